#!/usr/bin/env python3
"""Time to first output byte of a command running in a pseudo-terminal.

Used by scripts/bench.mjs: `python3 scripts/bench-pty.py TIMEOUT_S CMD [ARGS...]`.
stdin and stdout are one pty (as in a real terminal), stderr is a second pty so
that only bytes written to stdout count. The clock starts just before the
spawn and stops when the first stdout byte can be read; the command's process
group is then killed. A command that prints nothing is timed to its exit.
The environment is passed through unchanged: the caller cleans it.

Prints one JSON line on stdout:
  {"firstByteMs": float|null, "firstTextMs": float|null, "untilMs": float|null,
   "exitMs": float|null, "bytes": str}   ("bytes": the first output read, escaped, for inspection)
"firstTextMs" is the first printable character that is not part of an escape
sequence (Ink may start with cursor/mode sequences before the first frame).
With BENCH_PTY_UNTIL=TEXT in the environment the helper reads on until TEXT is
visible (escape sequences removed) and reports it as "untilMs": the moment a
given frame, not just the first byte, is on the screen.
Exits 1 with a message on stderr when the command does not print or exit
within TIMEOUT_S seconds.
"""
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def set_winsize(fd, rows=40, cols=120):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def ms(t0):
    return (time.perf_counter() - t0) * 1000.0


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: bench-pty.py TIMEOUT_S CMD [ARGS...]\n")
        return 2
    timeout_s = float(sys.argv[1])
    cmd = sys.argv[2:]

    out_master, out_slave = os.openpty()
    err_master, err_slave = os.openpty()
    for fd in (out_slave, err_slave):
        set_winsize(fd)

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=out_slave,
        stdout=out_slave,
        stderr=err_slave,
        start_new_session=True,  # own session: the pty becomes its controlling terminal
        close_fds=True,
    )
    os.close(out_slave)
    os.close(err_slave)

    until = os.environ.get("BENCH_PTY_UNTIL", "").encode()
    first_byte = first_text = until_ms = exit_ms = None
    seen = b""
    deadline = t0 + timeout_s
    try:
        while first_text is None or (until and until_ms is None):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            ready, _, _ = select.select([out_master, err_master], [], [], min(remaining, 0.05))
            if err_master in ready:
                try:
                    os.read(err_master, 65536)  # drain so stderr writes never block
                except OSError:
                    pass
            if out_master in ready:
                try:
                    chunk = os.read(out_master, 65536)
                except OSError:  # EIO: every slave end closed, the command is gone
                    chunk = b""
                if chunk:
                    if first_byte is None:
                        first_byte = ms(t0)
                    seen += chunk
                    visible = ESCAPES.sub(b"", seen)
                    if first_text is None and visible.strip():
                        first_text = ms(t0)
                    if until and until_ms is None and until in visible:
                        until_ms = ms(t0)
                    continue
            if proc.poll() is not None:
                exit_ms = ms(t0)
                break
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=5)
        os.close(out_master)
        os.close(err_master)

    if first_byte is None and exit_ms is None:
        sys.stderr.write(f"bench-pty: {' '.join(cmd)}: no output and no exit within {timeout_s}s\n")
        return 1
    print(json.dumps({
        "firstByteMs": first_byte,
        "firstTextMs": first_text,
        "untilMs": until_ms,
        "exitMs": exit_ms,
        "bytes": seen[:200].decode("utf-8", "backslashreplace"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
