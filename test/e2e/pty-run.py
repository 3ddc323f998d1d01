#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal of a given size, types keystrokes into
it, and reports what it printed and how it ended.

Usage:
  pty-run.py [--cols 80] [--rows 30] [--timeout 10] [--env-json JSON]
             [--steps JSON] [--out FILE] -- command [args...]

--env-json  the child's whole environment, as a JSON object (default: ours).
--steps     a JSON list of keystrokes to type, in order. Each step is an object
            with "data" (the text to write), or "signal" (a name such as
            "TERM" to send to the command instead), or "resize" ([cols, rows]:
            the new window size; the kernel sends SIGWINCH), and when to do it:
              "after": milliseconds to wait after the previous step (or start);
              "when":  text that must appear in the output printed since the
                       previous step (ANSI sequences are not removed);
            both may be given: wait for the text, then the delay.
            A step whose text never appears is not sent ("unsent" in the
            result) and the run ends at the total timeout.
--timeout   total seconds; then the child is killed (SIGKILL) and
            "timedOut" is true.
--out FILE  also write the raw output bytes to FILE.

Prints one JSON object on stdout:
  {"exitCode": int|null, "signal": str|null, "timedOut": bool,
   "sent": [step indexes written], "sentAt": [how many output bytes had
   been read when each of those steps was taken], "output": base64 of
   everything printed}
"""
import argparse
import base64
import errno
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--env-json", default=None)
    ap.add_argument("--steps", default="[]")
    ap.add_argument("--out", default=None)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command given")
    env = json.loads(args.env_json) if args.env_json is not None else dict(os.environ)
    steps = json.loads(args.steps)

    pid, fd = pty.fork()
    if pid == 0:
        # Child: the pty slave is our controlling terminal on fds 0, 1, 2.
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))
            os.execvpe(cmd[0], cmd, env)
        except Exception as exc:  # noqa: BLE001 - report anything, then die
            os.write(2, f"pty-run: cannot run {cmd[0]}: {exc}\n".encode())
        os._exit(127)

    # Parent. Set the size on the master side too, in case the child raced us.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))

    output = bytearray()
    start = time.monotonic()
    deadline = start + args.timeout
    step_index = 0
    step_base = 0  # output offset where the current step starts looking for its text
    step_clock = start  # when the previous step was sent
    step_seen_at = None  # when the current step's text appeared
    sent = []
    sent_at = []
    timed_out = False
    status = None
    eof = False

    def step_ready(now: float) -> bool:
        nonlocal step_seen_at
        step = steps[step_index]
        if "when" in step and step_seen_at is None:
            if output.find(step["when"].encode(), step_base) < 0:
                return False
            step_seen_at = now
        ref = step_seen_at if step_seen_at is not None else step_clock
        return now >= ref + step.get("after", 0) / 1000.0

    while True:
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        while step_index < len(steps) and not eof and step_ready(now):
            step = steps[step_index]
            try:
                if "signal" in step:
                    os.kill(pid, getattr(signal, "SIG" + step["signal"]))
                elif "resize" in step:
                    cols, rows = step["resize"]
                    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                else:
                    os.write(fd, step["data"].encode())
            except OSError:
                pass
            sent.append(step_index)
            sent_at.append(len(output))
            step_index += 1
            step_base = len(output)
            step_clock = now
            step_seen_at = None
        if eof:
            # The slave side is closed: collect the exit status.
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
            time.sleep(0.01)
            continue
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                if exc.errno != errno.EIO:
                    raise
                chunk = b""
            if chunk:
                output.extend(chunk)
            else:
                eof = True
        else:
            # No output: the child may have exited while something else
            # still holds the slave open.
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                # Drain what is left without blocking.
                while select.select([fd], [], [], 0)[0]:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    output.extend(chunk)
                break

    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
    try:
        os.close(fd)
    except OSError:
        pass

    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    sig = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None
    if timed_out:
        exit_code = None
    if args.out:
        with open(args.out, "wb") as f:
            f.write(output)
    json.dump(
        {
            "exitCode": exit_code,
            "signal": sig,
            "timedOut": timed_out,
            "sent": sent,
            "sentAt": sent_at,
            "output": base64.b64encode(bytes(output)).decode("ascii"),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
