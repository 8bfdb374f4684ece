"""A program in a real pseudo-terminal, watched through a real terminal emulator (pyte).

The child gets a new session with the pty's slave as its controlling terminal and as
stdin/stdout/stderr, an 80x24 window size (TIOCSWINSZ) and the environment it is given.
Everything it writes is fed into a pyte Screen; `wait_for` polls that emulated screen with a
deadline. Nothing here sleeps to wait for a screen.
"""

import errno
import fcntl
import os
import select
import signal
import struct
import termios
import time

import pyte

COLUMNS, LINES = 80, 24


class Timeout(Exception):
    pass


class Exited(Exception):
    pass


def base_env(extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    if extra:
        env.update(extra)
    return env


def resolve(program):
    if "/" in program:
        return program
    for directory in os.environ.get("PATH", "").split(":"):
        candidate = os.path.join(directory or ".", program)
        if os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(program)


class PtyTerm:
    def __init__(self, argv, env=None):
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.first_output = None  # perf_counter() of the first byte read
        self.eof = False
        self.status = None  # raw wait status once reaped
        master, slave = os.openpty()  # both close-on-exec
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        slave_name = os.ttyname(slave)
        path = resolve(argv[0])
        actions = [
            # setsid() runs before the file actions in glibc's posix_spawn, so opening the slave
            # (without O_NOCTTY) makes it the child's controlling terminal.
            (os.POSIX_SPAWN_OPEN, 0, slave_name, os.O_RDWR, 0),
            (os.POSIX_SPAWN_DUP2, 0, 1),
            (os.POSIX_SPAWN_DUP2, 0, 2),
        ]
        self.started = time.perf_counter()  # just before exec
        self.pid = os.posix_spawn(path, list(argv), env if env is not None else base_env(),
                                  file_actions=actions, setsid=True)
        os.close(slave)
        self.master = master
        os.set_blocking(master, False)

    # -- output ---------------------------------------------------------------------------------

    def _read_available(self):
        """Reads everything available now into the emulator. Returns True if anything was read."""
        got = False
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except BlockingIOError:
                return got
            except OSError as e:
                if e.errno == errno.EIO:  # slave closed: the child (and its children) are gone
                    self.eof = True
                    return got
                raise
            if not data:
                self.eof = True
                return got
            if self.first_output is None:
                self.first_output = time.perf_counter()
            self.bytes_read += len(data)
            self.stream.feed(data)
            got = True

    def pump(self, timeout):
        """Waits at most `timeout` seconds for output and feeds it. True if anything arrived."""
        if self.eof:
            return False
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        return self._read_available()

    def display(self):
        return "\n".join(self.screen.display)

    def visible(self, text):
        return any(text in line for line in self.screen.display)

    def wait_for(self, predicate, timeout, what="condition", on_change=None):
        """Polls the emulated screen until predicate(self) holds; returns perf_counter() then.
        `on_change(self, now)` is called after every batch of output (for sampling)."""
        deadline = time.perf_counter() + timeout
        while True:
            if predicate(self):
                return time.perf_counter()
            now = time.perf_counter()
            if now >= deadline:
                raise Timeout(f"timed out after {timeout:.0f} s waiting for {what}; screen:\n{self.display()}")
            if self.eof:
                self.reap(block=True)
                raise Exited(f"program ended (status {self.status}) before {what}; screen:\n{self.display()}")
            if self.pump(min(deadline - now, 0.5)) and on_change is not None:
                on_change(self, time.perf_counter())

    # -- input ----------------------------------------------------------------------------------

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        while data:
            try:
                n = os.write(self.master, data)
                data = data[n:]
            except BlockingIOError:
                self.pump(0.01)

    # -- end ------------------------------------------------------------------------------------

    def reap(self, block=False):
        if self.status is not None:
            return self.status
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid == self.pid:
            self.status = status
        return self.status

    def wait_exit(self, timeout):
        """Drains output until the child exits; returns its exit code (or -signal)."""
        deadline = time.perf_counter() + timeout
        while self.reap() is None:
            if time.perf_counter() >= deadline:
                raise Timeout(f"program did not exit within {timeout:.0f} s; screen:\n{self.display()}")
            if self.eof:
                self.reap(block=True)
                break
            self.pump(0.05)
        return os.waitstatus_to_exitcode(self.status)

    def close(self):
        if self.status is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.reap(block=True)
            except ChildProcessError:
                pass
        try:
            os.close(self.master)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
