#!/usr/bin/env python3
"""incident-wizard benchmarks, measured side by side with dialog(1) in the same run.

Every screen condition is checked on a pyte-emulated 80x24 xterm-256color screen fed by a real
pseudo-terminal (see ptyterm.py), polled with a deadline. Figures are medians over several runs;
the table compares them with the product's quality bars. Exit status 1 if any row fails.

Usually started by bench/run (which builds the release binary first); directly:

    WIZARD=/path/to/incident-wizard python3 bench/bench.py [--runs 15] [--only first-frame,flood]
"""

import argparse
import glob
import hashlib
import json
import os
import platform
import re
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.modules.setdefault("bench", sys.modules[__name__])  # scanrows.py imports this module as `bench`
from ptyterm import Exited, PtyTerm, Timeout, base_env  # noqa: E402

import pyte  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MiB = 1024 * 1024
TIME = "/usr/bin/time"
DIALOG = shutil.which("dialog") or "/usr/bin/dialog"

FIRST_TITLE = "Benchmark first frame"      # the wizard's first step title == dialog's msgbox text
QUIT_PROMPT = "Quit?"                        # the wizard's quit overlay (English)
SCAN_TITLE = "Flood scan"
SCAN_FINISHED = "No virus was found"      # the clean verdict's sentence (exit 0 → clean)
SCAN_RUNNING = re.compile(r"[|/\\-] Scanning\. Please wait…\s+(\d+):(\d\d)")
SHIPPED_TITLE = "First, take a breath"        # the shipped Emotet playbook's first step (English)
PROGRESS_TITLE = "Progress scan"
PROGRESS_VERDICT = "No virus was found"
PROGRESS_BAR = re.compile(r"[█░]+ (\d+)%")
PROGRESS_LEFT = re.compile(r"About (?:(\d+) hours? ?)?(?:(\d+|a) minutes? ?)?(?:(\d+) seconds )?left")


def seconds_left(line):
    """The wizard's "About 1 hour 30 minutes left" / "About a minute left" / "Almost done" in seconds."""
    if "Almost done" in line:
        return 5
    m = PROGRESS_LEFT.search(line)
    if not m or not any(m.groups()):
        return None
    hours, minutes, seconds = m.groups()
    return int(hours or 0) * 3600 + (1 if minutes == "a" else int(minutes or 0)) * 60 + int(seconds or 0)
ROWS = ["first-frame", "shipped-frame", "memory", "transition", "flood", "scan-progress", "validate", "hostile-mail", "large",
        "daemon", "admin-time", "scan-overhead"]


# ------------------------------------------------------------------------------------- helpers

def median(xs):
    return statistics.median(xs)


def p90(xs):
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(0.9 * len(s) + 0.5) - 1))]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def read_rss_kib(path):
    with open(path) as f:
        lines = [l.strip() for l in f if l.strip()]
    return int(lines[-1])  # "Command terminated by signal N" may come first


def sha256_file(path):
    out = subprocess.run(["sha256sum", path], check=True, capture_output=True, text=True).stdout
    return out.split()[0]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)  # validate warns about group/other-writable playbooks
    return path


class Row:
    def __init__(self, what, bar, wizard, dialog="—", ratio="—", ok=True, note=""):
        self.what, self.bar, self.wizard, self.dialog, self.ratio, self.ok, self.note = \
            what, bar, wizard, dialog, ratio, ok, note


def failed_row(what, bar, error):
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    log(f"  {what}: ERROR {error}")
    return Row(what, bar, f"error: {first}", ok=False)


# ------------------------------------------------------------------------------------ playbooks

def first_frame_playbook(directory):
    return write(os.path.join(directory, "bench-first-frame.yaml"), f"""\
playbook: 1
id: bench-first-frame
title: Timing run
languages: [en]
steps:
  - id: only
    type: info
    title: {FIRST_TITLE}
    text: Press Enter to continue.
""")


def transition_playbook(directory, count):
    steps = "".join(f"""\
  - id: s{i:03d}
    type: info
    title: Step {i:03d}
    text: Press Enter to continue.
""" for i in range(1, count + 1))
    return write(os.path.join(directory, "bench-transition.yaml"), f"""\
playbook: 1
id: bench-transition
title: Transition run
languages: [en]
steps:
{steps}""")


def flood_playbook(directory, scanner, size):
    return write(os.path.join(directory, "bench-flood.yaml"), f"""\
playbook: 1
id: bench-flood
title: Flood run
languages: [en]
steps:
  - id: scan
    type: scan
    title: {SCAN_TITLE}
    text: A fake scanner writes {size} bytes to its standard output.
    command: ["{scanner}", "{size}"]
    timeout: 3600
    verdicts: {{0: clean, 1: detected}}
  - id: done
    type: end
    title: Flood done
""")


def progress_playbook(directory, scanner, tree, rusage, ms_per_file):
    return write(os.path.join(directory, "progress.yaml"), f"""playbook: 1
id: progress
title: Progress benchmark
languages: [en]
steps:
  - id: scan
    type: scan
    title: {PROGRESS_TITLE}
    command: ["{scanner}", --recursive, "--start-delay=2", "--ms-per-file={ms_per_file}", "--rusage-file={rusage}", "{tree}"]
    timeout: 3600
    verdicts: {{0: clean, 1: detected}}
  - {{id: done, type: end, title: Progress done, outcome: done}}
""")


def progress_tree(directory, files):
    """`files` small files in folders of 100, as a home folder's documents might be."""
    for i in range(files):
        folder = os.path.join(directory, f"d{i // 100:03d}")
        if i % 100 == 0:
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"f{i:05d}.txt"), "w") as f:
            f.write(f"document {i}\n" * (1 + i % 20))
    return directory


def validate_playbook(directory, count):
    """`count` steps (a multiple of 10) cycling through info, confirm, choice, checklist, input,
    evidence, notify, info, confirm, end; every step reachable, every path reaches an end; `next`,
    `yes_next`/`no_next`, option `next`, `when` and answer placeholders; two languages."""
    assert count % 10 == 0
    today = time.strftime("%Y-%m-%d")
    out = [f"""\
playbook: 1
id: bench-validate
revision: "bench"
title:
  en: Generated playbook with {count} steps
  ja: {count}手順の生成プレイブック
summary:
  en: Generated by bench/bench.py.
  ja: bench/bench.py が生成しました。
languages: [en, ja]
contacts:
  bench-admin:
    name:
      en: Bench administrator
      ja: ベンチ管理者
    phone: "03-1234-5678"
    verified: {today}
steps:
"""]

    def sid(i):
        return f"s{i:05d}"

    def text(key, i):
        return f"""    {key}:
      en: "{key.capitalize()} {i}: read this calmly, then continue."
      ja: "{key} {i}：落ち着いて読んでから、次へ進んでください。"
"""

    for i in range(count):
        kind = ["info", "confirm", "choice", "checklist", "input", "evidence", "notify", "info", "confirm", "end"][i % 10]
        s = f"""  - id: {sid(i)}
    type: {kind}
    title:
      en: "Step {i} ({kind})"
      ja: "手順 {i}（{kind}）"
""" + text("text", i)
        if i % 3 == 0:
            s += text("help", i)
        if kind == "info" and i % 10 == 7:
            s += f"    next: {sid(i + 1)}\n"
        elif kind == "confirm":
            other = sid(min(i + 2, count - 1))
            s += f"    unsure: true\n    yes_next: {sid(i + 1)}\n    no_next: {other}\n    unsure_next: {other}\n"
        elif kind == "choice":
            s += f"""    options:
      - value: first
        label: {{en: "First option", ja: "最初の選択肢"}}
        next: {sid(i + 1)}
      - value: second
        label: {{en: "Second option", ja: "二番目の選択肢"}}
        next: {sid(i + 2)}
      - value: not-sure
        label: {{en: "I'm not sure", ja: "わからない"}}
"""
        elif kind == "checklist":
            s += f"""    when: {{step: {sid(i - 2)}, in: ["yes", "unsure"]}}
    require: any
    items:
      - value: cable
        label: {{en: "The cable is unplugged", ja: "ケーブルを抜いた"}}
      - value: wifi
        label: {{en: "Wi-Fi is off", ja: "Wi-Fi を切った"}}
"""
        elif kind == "input":
            s += f"""    fields:
      - id: sender
        label: {{en: "Sender ({{{{answer.{sid(i - 2)}}}}})", ja: "差出人（{{{{answer.{sid(i - 2)}}}}}）"}}
        required: true
      - id: notes
        label: {{en: "Notes", ja: "メモ"}}
        multiline: true
        max_length: 2000
"""
        elif kind == "evidence":
            s += "    attach: optional\n"
        elif kind == "notify":
            s += f"""    contact: bench-admin
    script:
      en: "Say: step {i}, sender {{{{answer.{sid(i - 2)}.sender}}}}."
      ja: "伝えること：手順 {i}、差出人 {{{{answer.{sid(i - 2)}.sender}}}}。"
"""
        elif kind == "end":
            s += f"    outcome: done-{i}\n"
        out.append(s)
    return write(os.path.join(directory, "bench-validate.yaml"), "".join(out))


def mail_playbook(directory):
    return write(os.path.join(directory, "bench-mail.yaml"), """\
playbook: 1
id: bench-mail
title: Hostile mail
languages: [en]
steps:
  - {id: photo, type: evidence, title: Save the mail, attach: optional}
  - {id: done, type: end, title: Done}
""")


MAIL_ATTACHMENT = b"A harmless stand-in for a Word document with macros.\n"
MAIL_SUBJECT = "請求書のご確認至急あ"   # what the first three words of the folded Subject decode to


def hostile_mail(path, size):
    """A mail of `size` bytes whose Subject is one header folded over ~70-byte lines of RFC 2047
    encoded words (two to a line: UTF-8 B, UTF-8 Q, ISO-2022-JP B, in turn), then an attachment: quality-bars.md's
    "a 10 MB folded header of encoded words in an attached .eml"."""
    import base64
    head = ("Received: from mail.example-bad.test ([203.0.113.45]) by mx.example.jp; Mon, 7 Dec 2026 09:12:03 +0900\r\n"
            "From: =?UTF-8?B?57WM55CG6YOoIOeUsOS4rQ==?= <tanaka@example-bad.test>\r\n"
            "To: <sato@customer.example.jp>\r\nDate: Mon, 7 Dec 2026 09:12:00 +0900\r\n"
            "Message-ID: <bench@example-bad.test>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\nSubject:").encode()
    tail = ("\r\n\r\n--b1\r\nContent-Type: application/msword; name=\"=?UTF-8?B?6KuL5rGC5pu4XzEyMDcuZG9j?=\"\r\n"
            "Content-Disposition: attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4XzEyMDcuZG9j?=\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(MAIL_ATTACHMENT).decode()
            + "\r\n--b1--\r\n").encode()
    words = [b" =?UTF-8?B?6KuL5rGC5pu444Gu44GU56K66KqN?= =?UTF-8?B?6KuL5rGC5pu4?=\r\n",     # 請求書のご確認 請求書
             b" =?UTF-8?Q?=E8=87=B3=E6=80=A5?= =?UTF-8?Q?=E3=81=8A=E9=A1=98=E3=81=84?=\r\n",  # 至急 お願い
             b" =?ISO-2022-JP?B?GyRCJCIbKEI=?= =?ISO-2022-JP?B?GyRCJCQbKEI=?=\r\n"]          # あ い
    body = bytearray(head)
    i = 0
    while len(body) + len(tail) + 80 < size:
        body += words[i % 3]
        i += 1
    body = bytes(body).rstrip(b"\r\n") + tail
    with open(path, "wb") as f:
        f.write(body)
    return len(body)
def large_playbook(directory, count):
    """`count` steps in two languages, small enough for the 4 MiB limit at 20,000 steps: info,
    confirm (`no` jumps three ahead), choice (an option jumps two ahead), a loop back to the start
    from the step before the last, and an end."""
    def sid(i):
        return f"s{i:05d}"

    out = ["playbook: 1\nid: bench-large\ntitle: {en: Large playbook, ja: 大きなプレイブック}\nlanguages: [en, ja]\nsteps:\n"]
    for i in range(count - 1):
        kind = "confirm" if i % 5 == 1 or i == count - 2 else "choice" if i % 5 == 3 else "info"
        line = f"  - {{id: {sid(i)}, type: {kind}, title: {{en: 'Step {i} ({kind})', ja: '手順 {i}（{kind}）'}}"
        if i == count - 2:
            line += f", yes_next: {sid(0)}"
        elif kind == "confirm":
            line += f", no_next: {sid(min(i + 3, count - 1))}"
        elif kind == "choice":
            line += (f", options: [{{value: a, label: {{en: A, ja: あ}}}}, "
                     f"{{value: b, label: {{en: B, ja: い}}, next: {sid(min(i + 2, count - 1))}}}]")
        out.append(line + "}\n")
    out.append(f"  - {{id: {sid(count - 1)}, type: end, title: {{en: The end, ja: おわり}}}}\n")
    return write(os.path.join(directory, "bench-large.yaml"), "".join(out))


# ---------------------------------------------------------------------------- the ClamAV daemon

CLAMD = "/usr/sbin/clamd"
CLAMSCAN = shutil.which("clamscan") or "/usr/bin/clamscan"


def daemon_database(directory, count):
    """`count` body signatures (.ndb `NAME:0:*:HEX`, 16 pseudo-random bytes each, seeded), made
    once in the bench's work folder."""
    path = os.path.join(directory, "bench.ndb")
    generator = random.Random(27)
    with open(path, "w") as f:
        for start in range(0, count, 100_000):
            n = min(100_000, count - start)
            data = generator.randbytes(16 * n).hex()
            f.write("".join(f"Bench-{start + i}:0:*:{data[32 * i:32 * (i + 1)]}\n" for i in range(n)))
    return path


def daemon_playbook(directory, tree):
    return write(os.path.join(directory, "bench-daemon.yaml"), f"""playbook: 1
id: bench-daemon
title: Daemon scan
languages: [en]
steps:
  - id: scan
    type: scan
    title: Daemon scan
    command: [clamscan, --recursive, "{tree}"]
    timeout: 3600
    verdicts: {{0: clean, 1: detected, 2: error}}
    next_on: {{clean: done, detected: done, error: done, unavailable: done, cancelled: done}}
  - {{id: done, type: end, title: Done, outcome: done}}
""")


def clamd_answers(path):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(path)
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False


def start_clamd(directory, database, timeout=600):
    """A private clamd (socket in `directory`, only `database`'s folder), once it answers PING."""
    sock = os.path.join(directory, "clamd.sock")
    config = write(os.path.join(directory, "clamd.conf"),
                   f"LocalSocket {sock}\nDatabaseDirectory {os.path.dirname(database)}\nForeground yes\n")
    with open(os.path.join(directory, "clamd.log"), "wb") as out:
        process = subprocess.Popen([CLAMD, f"--config-file={config}"], stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while not clamd_answers(sock):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            with open(os.path.join(directory, "clamd.log"), errors="replace") as f:
                raise RuntimeError(f"clamd did not answer: {f.read()[-1000:]}")
        time.sleep(0.05)
    return process, sock


# --------------------------------------------------------------------------------------- runs

class Bench:
    def __init__(self, args, work):
        self.args = args
        self.wizard = args.wizard
        self.work = work
        self.pbdir = os.path.join(work, "playbooks")
        os.makedirs(self.pbdir, exist_ok=True)
        # A cache folder private to this run (the wizard keeps nothing there; set for isolation).
        self.cache = os.path.join(work, "cache")
        self.env = base_env({"XDG_CACHE_HOME": self.cache})

    def reports(self):
        return tempfile.mkdtemp(prefix="reports-", dir=self.work)

    def wizard_argv(self, playbook, reports, rss_file=None, run_arguments=None):
        """`run_arguments` replaces `PLAYBOOK --playbooks DIR` (the shipped playbook by id, say)."""
        run = run_arguments if run_arguments is not None else [playbook, "--playbooks", self.pbdir]
        argv = [self.wizard, "run"] + run + ["--reports", reports, "--lang", "en"]
        return [TIME, "-f", "%M", "-o", rss_file] + argv if rss_file else argv

    def quit_wizard(self, t):
        t.send("q")
        t.wait_for(lambda t: t.visible(QUIT_PROMPT), 10, "the quit question")
        t.send("y")
        code = t.wait_exit(30)
        if code != 3:
            raise RuntimeError(f"wizard exited {code} after q, y (expected 3)")

    # -- first frame (and its memory) ------------------------------------------------------------

    def wizard_first_frame(self, playbook, rss_file=None, first_byte=None, run_arguments=None, title=FIRST_TITLE):
        reports = self.reports()
        try:
            with PtyTerm(self.wizard_argv(playbook, reports, rss_file, run_arguments), self.env) as t:
                seen = t.wait_for(lambda t: t.visible(title), 20, "the first step's title")
                if first_byte is not None:
                    first_byte.append(t.first_output - t.started)
                self.quit_wizard(t)
                return seen - t.started
        finally:
            shutil.rmtree(reports, ignore_errors=True)

    def dialog_first_frame(self, rss_file=None, first_byte=None):
        argv = [DIALOG, "--msgbox", FIRST_TITLE, "8", "40"]
        if rss_file:
            argv = [TIME, "-f", "%M", "-o", rss_file] + argv
        with PtyTerm(argv, self.env) as t:
            seen = t.wait_for(lambda t: t.visible(FIRST_TITLE), 20, "the msgbox text")
            if first_byte is not None:
                first_byte.append(t.first_output - t.started)
            t.send("\r")
            code = t.wait_exit(30)
            if code != 0:
                raise RuntimeError(f"dialog exited {code}")
            return seen - t.started

    def first_frame(self):
        bar = "median ratio ≤ 1.5 (goal ≤ 1.0)"
        try:
            playbook = first_frame_playbook(self.pbdir)
            self.wizard_first_frame(playbook)  # warm-up (page cache), not counted
            self.dialog_first_frame()
            wizard, dialog, ratios, wizard_byte, dialog_byte = [], [], [], [], []
            for i in range(self.args.frame_runs):  # interleaved, so both see the same background load
                w = self.wizard_first_frame(playbook, first_byte=wizard_byte)
                d = self.dialog_first_frame(first_byte=dialog_byte)
                wizard.append(w), dialog.append(d), ratios.append(w / d)
            log(f"  first frame wizard ms: {[round(x * 1000, 1) for x in wizard]}")
            log(f"  first frame dialog ms: {[round(x * 1000, 1) for x in dialog]}")
            r = median(ratios)
            return Row("first frame (exec → title visible)", bar,
                       f"{median(wizard) * 1000:.1f} ms (p90 {p90(wizard) * 1000:.1f})",
                       f"{median(dialog) * 1000:.1f} ms (p90 {p90(dialog) * 1000:.1f})",
                       f"{r:.2f}", r <= 1.5, "goal ≤ 1.0 " + ("met" if r <= 1.0 else "not met") +
                       f"; first output byte: wizard {median(wizard_byte) * 1000:.1f} ms, "
                       f"dialog {median(dialog_byte) * 1000:.1f} ms (first byte = terminal set-up)")
        except (Timeout, Exited, RuntimeError, OSError) as e:
            return failed_row("first frame (exec → title visible)", bar, e)

    def shipped_frame(self):
        """The shipped Emotet playbook by id, as `make run` starts it: every playbook of the
        directory read and checked (there is no cache), against dialog's msgbox. The bar is the
        100 ms a person perceives as instant; the ratio to dialog is reported, not a bar."""
        bar = "median ≤ 100 ms"
        what = "first frame, shipped Emotet playbook (by id)"
        shipped = os.path.join(ROOT, "playbooks")
        by_id = ["emotet", "--playbooks", shipped]
        try:
            self.wizard_first_frame(None, run_arguments=by_id, title=SHIPPED_TITLE)  # warm-up (the page cache)
            self.dialog_first_frame()
            wizard, dialog, ratios = [], [], []
            for i in range(self.args.frame_runs):
                w = self.wizard_first_frame(None, run_arguments=by_id, title=SHIPPED_TITLE)
                d = self.dialog_first_frame()
                wizard.append(w), dialog.append(d), ratios.append(w / d)
            log(f"  shipped first frame wizard ms: {[round(x * 1000, 1) for x in wizard]}")
            log(f"  shipped first frame dialog ms: {[round(x * 1000, 1) for x in dialog]}")
            m = median(wizard)
            return Row(what, bar, f"{m * 1000:.1f} ms (p90 {p90(wizard) * 1000:.1f})",
                       f"{median(dialog) * 1000:.1f} ms (p90 {p90(dialog) * 1000:.1f})", f"{median(ratios):.2f}", m <= 0.100,
                       f"{len(ratios)} interleaved pairs; the ratio to dialog is for information")
        except (Timeout, Exited, RuntimeError, OSError) as e:
            return failed_row(what, bar, e)

    def memory(self):
        bar = "≤ 32 MiB"
        try:
            playbook = first_frame_playbook(self.pbdir)
            rss = os.path.join(self.work, "rss")
            wizard, dialog = [], []
            for i in range(self.args.runs):
                self.wizard_first_frame(playbook, rss)
                wizard.append(read_rss_kib(rss))
                self.dialog_first_frame(rss)
                dialog.append(read_rss_kib(rss))
            log(f"  memory wizard KiB: {wizard}")
            log(f"  memory dialog KiB: {dialog}")
            w, d = median(wizard) / 1024, median(dialog) / 1024
            return Row("memory at first frame (peak RSS)", bar, f"{w:.1f} MiB (max {max(wizard) / 1024:.1f})",
                       f"{d:.1f} MiB", f"{w / d:.2f}", w <= 32)
        except (Timeout, Exited, RuntimeError, OSError, ValueError) as e:
            return failed_row("memory at first frame (peak RSS)", bar, e)

    # -- step transitions -------------------------------------------------------------------------

    def wizard_transitions(self, playbook, count):
        reports = self.reports()
        times = []
        try:
            with PtyTerm(self.wizard_argv(playbook, reports), self.env) as t:
                t.wait_for(lambda t: t.visible("Step 001"), 20, "Step 001")
                for i in range(2, count + 2):
                    title = f"Step {i:03d}"
                    t.send("\r")
                    start = time.perf_counter()
                    seen = t.wait_for(lambda t: t.visible(title), 10, title)
                    times.append(seen - start)
                self.quit_wizard(t)
        finally:
            shutil.rmtree(reports, ignore_errors=True)
        return times

    def dialog_transitions(self, count):
        script = (f'for i in $(seq 1 {count + 1}); do '
                  f'{DIALOG} --msgbox "$(printf "Step %03d" "$i")" 8 40 || exit 1; done')
        times = []
        with PtyTerm(["/bin/bash", "-c", script], self.env) as t:
            t.wait_for(lambda t: t.visible("Step 001"), 20, "Step 001")
            for i in range(2, count + 2):
                title = f"Step {i:03d}"
                t.send("\r")
                start = time.perf_counter()
                seen = t.wait_for(lambda t: t.visible(title), 10, title)
                times.append(seen - start)
            t.send("\r")
            t.wait_exit(30)
        return times

    def transition(self):
        bar = "median ≤ 15 ms"
        what = f"step transition (Enter → next title, {self.args.transitions} in a row)"
        try:
            n = self.args.transitions
            playbook = transition_playbook(self.pbdir, n + 1)
            wizard, dialog = [], []
            for session in range(self.args.transition_sessions):
                wizard += self.wizard_transitions(playbook, n)
                dialog += self.dialog_transitions(n)
            log(f"  transition wizard ms: {[round(x * 1000, 1) for x in wizard]}")
            log(f"  transition dialog ms: {[round(x * 1000, 1) for x in dialog]}")
            w, d = median(wizard), median(dialog)
            return Row(what, bar, f"{w * 1000:.1f} ms (p90 {p90(wizard) * 1000:.1f})",
                       f"{d * 1000:.1f} ms (p90 {p90(dialog) * 1000:.1f})", f"{w / d:.2f}", w <= 0.015,
                       f"{len(wizard)} transitions in {self.args.transition_sessions} sessions; "
                       "dialog: a new `dialog --msgbox` per step from a bash loop (reference)")
        except (Timeout, Exited, RuntimeError, OSError) as e:
            return failed_row(what, bar, e)

    # -- scanner output flood ---------------------------------------------------------------------

    def build_scanner(self):
        scanner = os.path.join(self.work, "fake-scanner")
        subprocess.run(["cc", "-O2", "-o", scanner, os.path.join(HERE, "fake-scanner.c")], check=True)
        return scanner

    def flood_once(self, playbook, expected_sha, size):
        reports = self.reports()
        rss = os.path.join(self.work, "rss-flood")
        changes = []  # (time, elapsed seconds shown) each time the shown value changes
        complete = []  # when the output file first had all its bytes (the scanner is done)
        batches = []  # when each batch of output was read (the wizard redraws every 250 ms)

        def sample(t, now):
            batches.append(now)
            if not complete:
                files = glob.glob(os.path.join(reports, "*", "evidence", "*scan*"))
                if files and os.path.getsize(files[0]) >= size:
                    complete.append(now)
            for line in t.screen.display:
                m = SCAN_RUNNING.search(line)
                if m:
                    value = int(m.group(1)) * 60 + int(m.group(2))
                    if not changes or changes[-1][1] != value:
                        changes.append((now, value))
                    return

        try:
            with PtyTerm(self.wizard_argv(playbook, reports, rss), self.env) as t:
                shown = t.wait_for(lambda t: t.visible(SCAN_TITLE), 20, "the scan step")
                finished = t.wait_for(lambda t: t.visible(SCAN_FINISHED), self.args.flood_timeout,
                                      "the scan's verdict", on_change=sample)
                verdict_clean = t.visible(SCAN_FINISHED)
                self.quit_wizard(t)
            rss_kib = read_rss_kib(rss)
            files = glob.glob(os.path.join(reports, "*", "evidence", "*scan*"))
            if len(files) != 1:
                raise RuntimeError(f"expected one scan output file, found {files}")
            got_size = os.path.getsize(files[0])
            identical = got_size == size and sha256_file(files[0]) == expected_sha
            times = [c[0] for c in changes] + [finished]
            gaps = [b - a for a, b in zip(times, times[1:])] or [finished - shown]
            skipped = sum(1 for a, b in zip(changes, changes[1:]) if b[1] - a[1] != 1)
            reads = [shown] + batches + [finished]
            read_gap = max(b - a for a, b in zip(reads, reads[1:]))
            return {
                "rss": rss_kib, "identical": identical, "size": got_size, "clean": verdict_clean,
                "duration": finished - shown,
                "after_output": finished - complete[0] if complete else float("nan"),
                "max_gap": max(gaps),
                "updates": len(changes), "skipped": skipped, "read_gap": read_gap,
            }
        finally:
            shutil.rmtree(reports, ignore_errors=True)

    def flood(self):
        size = self.args.flood_bytes
        label = "1 GiB" if size == 1 << 30 else f"{size} B"
        bars = ("peak RSS ≤ 64 MiB", "byte-identical", "elapsed display updates every second")
        whats = (f"scanner flood {label}: wizard peak RSS", f"scanner flood {label}: output file",
                 f"scanner flood {label}: elapsed display")
        try:
            scanner = self.build_scanner()
            start = time.perf_counter()
            out = subprocess.run(f"'{scanner}' {size} | sha256sum", shell=True, check=True,
                                 capture_output=True, text=True).stdout
            raw = time.perf_counter() - start
            expected = out.split()[0]
            playbook = flood_playbook(self.pbdir, scanner, size)
            runs = []
            for i in range(self.args.flood_runs):
                r = self.flood_once(playbook, expected, size)
                log(f"  flood run {i + 1}: {r}")
                runs.append(r)
        except (Timeout, Exited, RuntimeError, OSError, subprocess.CalledProcessError, ValueError) as e:
            return [failed_row(w, b, e) for w, b in zip(whats, bars)]
        rss = [r["rss"] for r in runs]
        gaps = [r["max_gap"] for r in runs]
        dur = median([r["duration"] for r in runs])
        after = median([r["after_output"] for r in runs])
        all_identical = all(r["identical"] for r in runs)
        return [
            Row(whats[0], bars[0], f"{median(rss) / 1024:.1f} MiB (max {max(rss) / 1024:.1f})",
                ok=max(rss) <= 64 * 1024, note=f"{len(runs)} runs; every run must pass"),
            Row(whats[1], bars[1], f"{sum(r['identical'] for r in runs)}/{len(runs)} identical",
                ok=all_identical and all(r["clean"] for r in runs),
                note=f"SHA-256 {expected[:16]}…; verdict 'No virus was found' "
                     f"{sum(r['clean'] for r in runs)}/{len(runs)}"),
            Row(whats[2], bars[2] + " (largest gap ≤ 1.5 s)", f"largest gap {max(gaps):.2f} s",
                ok=max(gaps) <= 1.5 and all(r["skipped"] == 0 for r in runs),
                note=f"scan screen for {dur:.1f} s, of which {after:.1f} s after the output was complete "
                     f"(medians; generator → sha256sum alone {raw:.1f} s); "
                     f"{sum(r['skipped'] for r in runs)} skipped seconds; largest gap per run "
                     f"{', '.join(f'{g:.2f}' for g in gaps)} s; largest silence on the pty "
                     f"{max(r['read_gap'] for r in runs):.2f} s"),
        ]

    # -- scan progress ----------------------------------------------------------------------------

    def scan_progress(self):
        files, ms = self.args.progress_files, self.args.progress_ms
        whats = (f"scan progress ({files} files): percentage", f"scan progress ({files} files): time left",
                 f"scan progress ({files} files): wizard CPU")
        bars = ("rises only, 100 % at the verdict", "within ±30 % from 25 % on (or the display's 5 s)",
                "≤ 5 % of the scanner's CPU")
        try:
            bindir = os.path.join(self.work, "fake-clamav")
            os.makedirs(bindir, exist_ok=True)
            scanner = os.path.join(bindir, "clamscan")  # the name the wizard follows
            subprocess.run(["cc", "-O2", "-o", scanner, os.path.join(HERE, "fake-clamscan.c")], check=True)
            tree = progress_tree(os.path.join(self.work, "tree"), files)
            rusage = os.path.join(self.work, "scanner-rusage")
            playbook = progress_playbook(self.pbdir, scanner, tree, rusage, ms)
            reports = self.reports()
            samples = []  # (time, percent or None, estimate seconds or None)

            def sample(t, now):
                percent = left = None
                for line in t.screen.display:
                    m = PROGRESS_BAR.search(line)
                    if m:
                        percent = int(m.group(1))
                    if seconds_left(line) is not None:
                        left = seconds_left(line)
                if percent is not None or left is not None:
                    samples.append((now, percent, left))

            with PtyTerm(self.wizard_argv(playbook, reports), self.env) as t:
                t.wait_for(lambda t: t.visible(PROGRESS_TITLE), 20, "the scan step")
                verdict = t.wait_for(lambda t: t.visible(PROGRESS_VERDICT), 600, "the verdict", on_change=sample)
                sample(t, verdict)
                final = [line for line in t.screen.display if PROGRESS_BAR.search(line)]
                with open(f"/proc/{t.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                wizard_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
                self.quit_wizard(t)
            shutil.rmtree(reports, ignore_errors=True)
            with open(rusage) as f:
                scanner_cpu = int(f.read().strip()) / 1e6
        except (Timeout, Exited, RuntimeError, OSError, subprocess.CalledProcessError, ValueError) as e:
            return [failed_row(w, b, e) for w, b in zip(whats, bars)]
        shown = [p for _, p, _ in samples if p is not None]
        rises = all(b >= a for a, b in zip(shown, shown[1:]))
        at_verdict = bool(final) and PROGRESS_BAR.search(final[0]).group(1) == "100"
        first = next((now for now, p, _ in samples if p is not None), verdict)
        errors = []  # (percent, estimate, real) from the 25 % mark on
        for now, p, left in samples:
            if p is not None and 25 <= p < 100 and left is not None:
                errors.append((p, left, verdict - now))
        worst = max(errors, key=lambda e: abs(e[1] - e[2]) / max(e[2], 1e-9)) if errors else None
        within = bool(errors) and all(abs(est - real) <= max(0.3 * real, 5.0) for _, est, real in errors)
        relative = [abs(est - real) / real for _, est, real in errors if real >= 10]
        ratio = wizard_cpu / scanner_cpu if scanner_cpu > 0 else float("inf")
        log(f"  progress: {len(samples)} samples, percentages {sorted(set(shown))[:5]}…{sorted(set(shown))[-3:]}, "
            f"worst estimate {worst}, wizard CPU {wizard_cpu:.2f} s, scanner CPU {scanner_cpu:.2f} s")
        return [
            Row(whats[0], bars[0], f"{len(set(shown))} values, {shown[0] if shown else '—'} → "
                f"{'100' if at_verdict else (shown[-1] if shown else '—')} %", ok=rises and at_verdict,
                note=f"a fake clamscan (2 s of start-up, then {ms} ms of CPU per file, one 'PATH: OK' line each) over {files} files "
                     f"in folders of 100; scan screen {verdict - first:.1f} s from the first percentage to the verdict"),
            Row(whats[1], bars[1], (f"worst {abs(worst[1] - worst[2]):.1f} s off at {worst[0]} % "
                                    f"(said {worst[1]} s, was {worst[2]:.1f} s)") if worst else "no estimate shown",
                ok=within, note=f"{len(errors)} estimates checked; with 10 s or more left the largest error was "
                                f"{max(relative) * 100 if relative else 0:.0f} %"),
            Row(whats[2], bars[2], f"{wizard_cpu * 1000:.0f} ms of {scanner_cpu:.1f} s", ratio=f"{ratio * 100:.1f} %",
                ok=ratio <= 0.05, note="the wizard's own CPU time (/proc/PID/stat, its counting thread included) "
                                      "against the scanner's (its getrusage)"),
        ]

    # -- validate ---------------------------------------------------------------------------------

    def validate(self):
        n = self.args.validate_steps
        bars = ("≤ 1 s", "≤ 128 MiB")
        whats = (f"validate {n}-step playbook: time", f"validate {n}-step playbook: peak RSS")
        try:
            playbook = validate_playbook(self.pbdir, n)
            first = subprocess.run([self.wizard, "validate", playbook], capture_output=True, text=True)
            if first.returncode != 0:
                raise RuntimeError(f"validate exited {first.returncode}: {(first.stdout + first.stderr)[:2000]}")
            diagnostics = len(re.findall(r": (?:error|warning): ", first.stdout + first.stderr))
            rss = os.path.join(self.work, "rss-validate")
            times, mem = [], []
            for i in range(self.args.runs):
                start = time.perf_counter()
                r = subprocess.run([self.wizard, "validate", playbook], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
                if r.returncode != 0:
                    raise RuntimeError(f"validate exited {r.returncode}")
                subprocess.run([TIME, "-f", "%M", "-o", rss, self.wizard, "validate", playbook],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                mem.append(read_rss_kib(rss))
            log(f"  validate s: {[round(x, 3) for x in times]}")
            log(f"  validate KiB: {mem}")
        except (RuntimeError, OSError, subprocess.CalledProcessError, ValueError) as e:
            return [failed_row(w, b, e) for w, b in zip(whats, bars)]
        size = os.path.getsize(playbook)
        return [
            Row(whats[0], bars[0], f"{median(times) * 1000:.0f} ms (p90 {p90(times) * 1000:.0f})",
                ok=median(times) <= 1.0, note=f"{size / 1024:.0f} KiB of YAML, exit 0, {diagnostics} diagnostics"),
            Row(whats[1], bars[1], f"{median(mem) / 1024:.1f} MiB (max {max(mem) / 1024:.1f})",
                ok=median(mem) <= 128 * 1024),
        ]


    # -- the ClamAV daemon ------------------------------------------------------------------------

    def daemon_scan(self, playbook, env, routed):
        """One plain-mode walk of the one-scan playbook: seconds from exec to exit (the verdict is
        the last thing), checked to be clean, every file checked, and run the way expected."""
        reports = self.reports()
        try:
            start = time.perf_counter()
            r = subprocess.run([self.wizard, "run", playbook, "--plain", "--reports", reports, "--lang", "en"],
                               input=b"\n\n", capture_output=True, env=env, timeout=3600)
            elapsed = time.perf_counter() - start
            out = r.stdout.decode(errors="replace")
            folders = glob.glob(os.path.join(reports, "*", "report.json"))
            if r.returncode != 0 or len(folders) != 1:
                raise RuntimeError(f"run exited {r.returncode}: {(out + r.stderr.decode(errors='replace'))[-2000:]!r}")
            with open(folders[0], encoding="utf-8") as f:
                scan = json.load(f)["scans"][0]
            with open(os.path.join(os.path.dirname(folders[0]), "journal.jsonl"), encoding="utf-8") as f:
                started = next(e for e in map(json.loads, f) if e.get("event") == "command.started")
            through = started["argv"][1:2] == ["clamd-scan"]
            files = f"All {self.args.daemon_files:,} files were checked."
            if scan.get("verdict") != "clean" or through != routed or files not in out:
                raise RuntimeError(f"verdict {scan.get('verdict')}, argv {started['argv'][:6]}, "
                                   f"'{files}' {'shown' if files in out else 'not shown'}")
            return elapsed
        finally:
            shutil.rmtree(reports, ignore_errors=True)

    def daemon(self):
        """The same wizard and playbook (`clamscan --recursive TREE`), with clamd answering on its
        socket (the scan runs through it) and without (clamscan, given the same database by a
        wrapper first on PATH): exec → exit, interleaved pairs, median of the per-pair ratios."""
        n, files = self.args.daemon_signatures, self.args.daemon_files
        what = f"scan with the daemon ({n:,} signatures, {files:,} files)"
        bar = "median ratio ≤ 0.2"
        clamd = None
        try:
            if not os.access(CLAMD, os.X_OK) or not os.access(CLAMSCAN, os.X_OK):
                raise RuntimeError("clamd or clamscan is not installed (apt-get install clamav clamav-daemon)")
            directory = os.path.join(self.work, "daemon")
            database_dir = os.path.join(directory, "db")
            os.makedirs(database_dir, exist_ok=True)
            os.chmod(directory, 0o755)
            os.chmod(database_dir, 0o755)
            start = time.perf_counter()
            database = daemon_database(database_dir, n)
            os.chmod(database, 0o644)
            made = time.perf_counter() - start
            tree = progress_tree(os.path.join(directory, "tree"), files)
            playbook = daemon_playbook(directory, tree)
            bin_dir = os.path.join(directory, "bin")
            os.makedirs(bin_dir, exist_ok=True)
            wrapper = os.path.join(bin_dir, "clamscan")
            with open(wrapper, "w") as f:
                f.write(f"#!/bin/sh\nexec {CLAMSCAN} --database={database} \"$@\"\n")
            os.chmod(wrapper, 0o755)
            start = time.perf_counter()
            clamd, sock = start_clamd(directory, database)
            loaded = time.perf_counter() - start
            path = bin_dir + ":" + os.environ.get("PATH", "/usr/bin:/bin")
            with_daemon = base_env({"PATH": path, "HOME": directory, "INCIDENT_WIZARD_CLAMD_SOCKET": sock})
            without = base_env({"PATH": path, "HOME": directory,
                                "INCIDENT_WIZARD_CLAMD_SOCKET": os.path.join(directory, "no-daemon.sock")})
            self.daemon_scan(playbook, with_daemon, True)    # warm-up (page cache), not counted
            self.daemon_scan(playbook, without, False)
            daemon, clamscan, ratios = [], [], []
            for _ in range(self.args.daemon_runs):
                d = self.daemon_scan(playbook, with_daemon, True)
                c = self.daemon_scan(playbook, without, False)
                daemon.append(d), clamscan.append(c), ratios.append(d / c)
            log(f"  daemon s: {[round(x, 3) for x in daemon]}; clamscan s: {[round(x, 3) for x in clamscan]}")
        except (RuntimeError, OSError, subprocess.SubprocessError, ValueError, KeyError, StopIteration) as e:
            return failed_row(what, bar, e)
        finally:
            if clamd is not None:
                clamd.kill()
                clamd.wait()
        r = median(ratios)
        return Row(what, bar, f"{median(daemon):.2f} s (p90 {p90(daemon):.2f})", dialog=f"clamscan {median(clamscan):.2f} s",
                   ratio=f"{r:.3f}", ok=r <= 0.2,
                   note=f"a plain-mode walk of a one-step playbook (`clamscan --recursive TREE`, exec → exit, the verdict "
                        f"clean and all {files:,} files checked), the same wizard and playbook with the private clamd "
                        f"answering (routed: `clamd-scan`) and not (clamscan, given the database by a wrapper on PATH); "
                        f"{len(ratios)} interleaved pairs, median of the per-pair ratios. The database ({n:,} random "
                        f"16-byte .ndb signatures) made in {made:.1f} s, loaded by clamd in {loaded:.1f} s (not timed)")

    # -- hostile mail -----------------------------------------------------------------------------

    def mail_walk(self, playbook, mail, home):
        """One plain-mode walk attaching `mail`: seconds from exec to exit, and report.json (its CPU
        seconds, user and system, are appended to `self.mail_cpu`)."""
        reports = self.reports()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        r = subprocess.run([self.wizard, "run", playbook, "--plain", "--reports", reports, "--lang", "en"],
                           input=f"y\n{mail}\n\n\n".encode(), capture_output=True, env=base_env({"HOME": home}),
                           timeout=600)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.mail_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if r.returncode != 0:
            raise RuntimeError(f"run exited {r.returncode}: {(r.stdout + r.stderr)[-2000:]!r}")
        folders = glob.glob(os.path.join(reports, "*", "report.json"))
        if len(folders) != 1:
            raise RuntimeError(f"no report.json under {reports}")
        with open(folders[0], encoding="utf-8") as f:
            report = json.load(f)
        shutil.rmtree(reports, ignore_errors=True)
        return elapsed, report

    def hostile_mail(self):
        size = self.args.mail_bytes
        what = f"hostile mail: a {size / 1e6:.0f} MB folded header of encoded words in an attached .eml"
        bar = "parsed in ≤ 2 s (linear)"
        try:
            home = tempfile.mkdtemp(prefix="home-", dir=self.work)   # no Downloads: nothing else listed
            playbook = mail_playbook(self.pbdir)
            big = os.path.join(home, "ご請求書の送付.eml")
            written = hostile_mail(big, size)
            small = os.path.join(home, "small.eml")
            hostile_mail(small, 2048)
            expected = hashlib.sha256(MAIL_ATTACHMENT).hexdigest()
            times, reference, half, cpu = [], [], [], []
            self.mail_cpu = []
            halfway = os.path.join(home, "half.eml")
            hostile_mail(halfway, size // 2)
            self.mail_walk(playbook, small, home)   # warm-up
            for i in range(self.args.mail_runs):
                elapsed, report = self.mail_walk(playbook, big, home)
                times.append(elapsed)
                cpu.append(self.mail_cpu[-1])
                email = (report.get("evidence") or [{}])[0].get("email") or {}
                if not (email.get("subject") or "").startswith(MAIL_SUBJECT[:7]) \
                        or [a.get("sha256") for a in email.get("attachments") or []] != [expected] \
                        or report["evidence"][0]["name"] != "evidence/ご請求書の送付.eml":
                    raise RuntimeError(f"the mail was not parsed as expected: {json.dumps(report.get('evidence'))[:1000]}")
                reference.append(self.mail_walk(playbook, small, home)[0])
                half.append(self.mail_walk(playbook, halfway, home)[0])
            log(f"  hostile mail s: {[round(x, 3) for x in times]}; half size {[round(x, 3) for x in half]}; "
                f"2 KB mail {[round(x, 3) for x in reference]}")
        except (RuntimeError, OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
            return failed_row(what, bar, e)
        full, part, base = median(times), median(half), median(reference)
        return Row(what, bar, f"{full * 1000:.0f} ms (p90 {p90(times) * 1000:.0f})", ok=full <= 2.0,
                   note=f"the whole plain-mode walk (exec → exit: copy, SHA-256, parse, journal, reports) attaching "
                        f"a {written / 1e6:.1f} MB .eml with a Japanese name, median of {len(times)}; the same walk "
                        f"with a {written / 2e6:.1f} MB one {part * 1000:.0f} ms and a 2 KB one {base * 1000:.0f} ms; "
                        f"the 10 MB walk's CPU time (user + system) {median(cpu) * 1000:.0f} ms "
                        f"(the 10 MB mail costs {(full - base) / max(part - base, 1e-6):.1f}× what the half-size one does beyond the 2 KB walk; 2.0 is linear)")
    # -- large playbook -------------------------------------------------------------------------

    def large(self):
        """A generated playbook of --large-steps steps (large_playbook: jumps ahead, a loop back,
        two languages): `validate` within 5 s, and `run` shows its first step in the 80×24 pty (a
        recursion per step used to crash it), the whole playbook read and checked."""
        n = self.args.large_steps
        whats = (f"large playbook ({n} steps): validate", f"large playbook ({n} steps): run's first screen")
        bars = ("≤ 5 s", "shown (no recursion)")
        title = "Step 0 (info)"
        try:
            directory = os.path.join(self.work, "large")
            os.makedirs(directory, exist_ok=True)
            playbook = large_playbook(directory, n)
            runs = max(3, self.args.runs // 3)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                r = subprocess.run([self.wizard, "validate", playbook], capture_output=True, text=True)
                times.append(time.perf_counter() - start)
                if r.returncode != 0:
                    raise RuntimeError(f"validate exited {r.returncode}: {(r.stdout + r.stderr)[:2000]}")
            log(f"  large validate s: {[round(x, 3) for x in times]}")
            arguments = [playbook, "--playbooks", directory]
            cold = [self.wizard_first_frame(None, run_arguments=arguments, title=title) for _ in range(runs)]
            log(f"  large first screen s: {[round(x, 3) for x in cold]}")
        except (Timeout, Exited, RuntimeError, OSError) as e:
            return [failed_row(w, b, e) for w, b in zip(whats, bars)]
        size = os.path.getsize(playbook)
        return [
            Row(whats[0], bars[0], f"{median(times):.2f} s (p90 {p90(times):.2f})", ok=median(times) <= 5.0,
                note=f"{size / MiB:.1f} MiB of YAML, exit 0, median of {runs}"),
            Row(whats[1], bars[1], f"{median(cold):.2f} s (p90 {p90(cold):.2f})", ok=True,
                note=f"exec → '{title}' visible (the whole playbook read and checked); then q, y: exit 3 (median of {runs})"),
        ]


# ------------------------------------------------------------------------------------- report

def command_line(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def pyte_version():
    try:
        import importlib.metadata
        return importlib.metadata.version("pyte")
    except Exception:  # noqa: BLE001
        return "?"


def machine(wizard):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    head = command_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = command_line(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    return [
        ("nproc", str(os.cpu_count()) + " (sched: " + str(len(os.sched_getaffinity(0))) + ")"),
        ("CPU", cpu),
        ("kernel", platform.release()),
        ("Swift", command_line(["swift", "--version"]).splitlines()[0] if shutil.which("swift") else "?"),
        ("dialog", command_line([DIALOG, "--version"])),
        ("pyte", pyte_version()),
        ("Python", platform.python_version()),
        ("wizard", f"{wizard} (source {head}{', working tree modified' if dirty else ''})"),
        ("load average", " ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]


def table(rows):
    header = ("row", "bar", "wizard", "dialog", "ratio", "result")
    lines = [header, tuple("---" for _ in header)]
    for r in rows:
        lines.append((r.what, r.bar, r.wizard, r.dialog, r.ratio, "PASS" if r.ok else "FAIL"))
    out = ["| " + " | ".join(cells) + " |" for cells in lines]
    notes = [f"- {r.what}: {r.note}" for r in rows if r.note]
    return "\n".join(out) + ("\n\n" + "\n".join(notes) if notes else "")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--wizard", default=os.environ.get("WIZARD", os.path.join(ROOT, ".build-bench/release/incident-wizard")))
    p.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 15)), help="runs per median (default 15)")
    p.add_argument("--frame-runs", type=int, default=int(os.environ.get("FRAME_RUNS", 31)),
                   help="interleaved wizard/dialog pairs for the first-frame ratio (default 31; bench/README.md)")
    p.add_argument("--transitions", type=int, default=50)
    p.add_argument("--transition-sessions", type=int, default=3)
    p.add_argument("--flood-runs", type=int, default=3)
    p.add_argument("--flood-bytes", type=int, default=1 << 30)
    p.add_argument("--flood-timeout", type=float, default=1800, help="seconds to wait for the verdict")
    p.add_argument("--validate-steps", type=int, default=2000)
    p.add_argument("--large-steps", type=int, default=20000, help="steps of the large-playbook rows")
    p.add_argument("--progress-files", type=int, default=20000, help="files in the scan-progress tree")
    p.add_argument("--progress-ms", type=float, default=1.5, help="the fake scanner's CPU milliseconds per file")
    p.add_argument("--mail-bytes", type=int, default=10_000_000, help="size of the hostile mail (default 10 MB)")
    p.add_argument("--mail-runs", type=int, default=5, help="walks attaching the hostile mail (default 5)")
    p.add_argument("--daemon-signatures", type=int, default=2_000_000, help="body signatures of the daemon row's database")
    p.add_argument("--daemon-files", type=int, default=2000, help="files in the daemon row's tree")
    p.add_argument("--daemon-runs", type=int, default=5, help="interleaved daemon/clamscan pairs (default 5)")
    p.add_argument("--admin-runs", type=int, default=3, help="walks to the notify card with each scanner (default 3)")
    p.add_argument("--admin-scan-seconds", type=float, default=60, help="the slow fake clamscan's seconds (default 60)")
    p.add_argument("--overhead-runs", type=int, default=7, help="wizard/clamscan pairs of the scan-overhead row (default 7)")
    p.add_argument("--only", default=",".join(ROWS), help="comma-separated subset of " + ",".join(ROWS))
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args()
    args.wizard = os.path.abspath(args.wizard)
    only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = [x for x in only if x not in ROWS]
    if unknown:
        p.error(f"unknown rows {unknown}")
    if not os.access(args.wizard, os.X_OK):
        p.error(f"no wizard binary at {args.wizard} (set WIZARD=... or --wizard)")

    info = machine(args.wizard)
    print("## Machine\n")
    for k, v in info:
        print(f"- {k}: {v}")
    print(flush=True)

    import scanrows  # noqa: E402 (the rows of bench/scanrows.py)
    work = tempfile.mkdtemp(prefix="iw-bench-")
    rows = []
    try:
        bench = Bench(args, work)
        for name in only:
            log(f"{name} …")
            start = time.perf_counter()
            result = {"first-frame": bench.first_frame, "shipped-frame": bench.shipped_frame, "memory": bench.memory,
                      "transition": bench.transition, "flood": bench.flood, "scan-progress": bench.scan_progress,
                      "validate": bench.validate, "hostile-mail": bench.hostile_mail, "large": bench.large,
                      "daemon": bench.daemon,
                      "admin-time": lambda: scanrows.admin_time(bench),
                      "scan-overhead": lambda: scanrows.scan_overhead(bench)}[name]()
            rows += result if isinstance(result, list) else [result]
            log(f"{name}: {time.perf_counter() - start:.1f} s")
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"## Results ({args.runs} runs per median, {args.frame_runs} pairs for the first frame; load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})\n")
    print(table(rows))
    failed = [r for r in rows if not r.ok]
    print(f"\n{len(rows) - len(failed)} PASS, {len(failed)} FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
