#!/usr/bin/env python3
"""Where the wizard's start-up goes, without sampling: exec → `main` → first screen drawn.

    sudo bench/startup.py [--runs N] [--by-path] BINARY [BINARY...]

Each binary (and `dialog --msgbox`, the reference) is started in turn in the bench's 80×24
pseudo-terminal (ptyterm.py) on the shipped Emotet playbook, by id (`--by-path`: by path), with a
run cache of its own, until the first step's title is on the emulated screen. `perf record`
takes the kernel's tracepoints only (`sched_process_exec`, `sys_enter_poll`, `sys_enter_read`)
and, when `perf probe` can place one, a uprobe on each binary's `main` (not on the packaged,
stripped binary: use the release build); nothing is sampled, so the figures carry only the small
cost of the tracepoints and the one uprobe trap. Per binary, medians over N runs (the first, which
fills the cache, is left out):

- exec → main: the loader and the static initialisers (ld.so, the Swift runtime, Foundation);
- exec → drawn: until the program waits for a key with the first screen written — the first
  poll(2) with a timeout (the wizard's) or read(2) of the terminal (dialog's: it polls only with a
  zero timeout while drawing, then reads).

The pty harness and pyte add the same few milliseconds to both programs in `bench/run`'s rows;
these figures leave them out. Root and perf are needed.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def child(binaries, runs, by_path):
    """The runs themselves, with bench.py's own first-frame runs (the same pty, screen and keys)."""
    import bench
    temp = tempfile.mkdtemp(prefix='iw-startup-')
    try:
        playbooks = os.path.join(bench.ROOT, 'playbooks')
        target = os.path.join(playbooks, 'emotet.yaml') if by_path else 'emotet'
        # A Bench per binary: each has its own run cache (an entry is per playbook path, so two
        # binaries sharing one cache would replace each other's entries at every run).
        benches = [bench.Bench(types.SimpleNamespace(wizard=binary), os.path.join(temp, str(index)))
                   for index, binary in enumerate(binaries)]
        pairs = list(zip(binaries, benches))
        for round in range(runs + 1):
            # The order turns each round: a program run right after another runs measurably
            # slower or faster (up to ~0.5 ms here), which a fixed order would give to one binary.
            shift = round % len(pairs)
            for binary, runner in pairs[shift:] + pairs[:shift]:
                if binary == bench.DIALOG:
                    runner.dialog_first_frame()
                else:
                    runner.wizard_first_frame(None, run_arguments=[target, '--playbooks', playbooks], title=bench.SHIPPED_TITLE)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=40)
    parser.add_argument('--by-path', action='store_true')
    parser.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('binaries', nargs='+')
    args = parser.parse_args()
    binaries = [os.path.abspath(b) for b in args.binaries]
    dialog = shutil.which('dialog')
    if args.child:
        child(binaries, args.runs, args.by_path)
        return
    if dialog and dialog not in binaries:
        binaries.append(dialog)
    probes = []
    for index, binary in enumerate(binaries):
        if binary == dialog:
            continue
        name = f'iwstartup{index}'
        done = subprocess.run(['perf', 'probe', '-x', binary, '--add', f'{name}=main'], capture_output=True, text=True)
        added = re.search(r'(\S+):' + name + r'\b', done.stdout + done.stderr)
        if done.returncode == 0 and added:
            probes.append(f'{added.group(1)}:{name}')
        else:
            print(f'no uprobe on main of {binary}: {done.stderr.strip()[:200]}', file=sys.stderr)
    workspace = tempfile.mkdtemp(prefix='iw-startup-')
    data = os.path.join(workspace, 'perf.data')
    events = ['-e', 'sched:sched_process_exec', '-e', 'syscalls:sys_enter_poll', '-e', 'syscalls:sys_enter_read']
    for probe in probes:
        events += ['-e', probe]
    try:
        subprocess.run(['perf', 'record', '-q', '-o', data] + events + ['--', sys.executable, os.path.abspath(__file__), '--child',
                        '--runs', str(args.runs)] + (['--by-path'] if args.by_path else []) + binaries,
                       check=True)
        script = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,pid,time,event,trace'],
                                capture_output=True, text=True, check=True).stdout
    finally:
        for probe in probes:
            subprocess.run(['perf', 'probe', '-q', '-d', probe], capture_output=True)
        shutil.rmtree(workspace, ignore_errors=True)
    # A run is keyed by its pid and its exec's place in the trace (a pid may be used again).
    started, reached, drawn, order, current = {}, {}, {}, [], {}
    for line in script.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        pid, time = fields[1], float(fields[2].rstrip(':'))
        if 'sched_process_exec' in line:
            match = re.search(r'filename=(\S+)', line)
            current.pop(pid, None)
            if match and match.group(1) in binaries:
                run = (pid, len(order))
                current[pid] = run
                started[run] = (match.group(1), time)
                order.append(run)
            continue
        pid = current.get(pid)
        if pid is None or pid in drawn:
            continue
        elif any(f'{probe}:' in line for probe in probes):
            reached.setdefault(pid, time)
        elif ('sys_enter_poll' in line and 'timeout_msecs: 0x00000000' not in line) or \
             ('sys_enter_read' in line and re.search(r'fd: 0x0+,', line)):
            drawn[pid] = time
    seen = {b: 0 for b in binaries}
    to_main = {b: [] for b in binaries}
    to_drawn = {b: [] for b in binaries}
    for pid in order:
        binary, time = started[pid]
        seen[binary] += 1
        if seen[binary] == 1:
            continue  # fills the run cache
        if pid in reached:
            to_main[binary].append((reached[pid] - time) * 1000)
        if pid in drawn:
            to_drawn[binary].append((drawn[pid] - time) * 1000)
    print(f'{"program":40s} {"runs":>4s} {"exec → main":>20s} {"exec → drawn":>20s}  (medians, ms; p25–p75)')
    for binary in binaries:
        drawn_ms = sorted(to_drawn[binary])
        main_ms = sorted(to_main[binary])
        def cell(values):
            if not values:
                return '—'
            return f'{statistics.median(values):.2f} ({values[len(values) // 4]:.2f}–{values[3 * len(values) // 4]:.2f})'
        print(f'{binary[-40:]:40s} {len(drawn_ms):4d} {cell(main_ms):>20s} {cell(drawn_ms):>20s}')


if __name__ == '__main__':
    main()
