"""Shared by the `serve` tests: a server subprocess on 127.0.0.1 (port 0) with its log in a file."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Self

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")


class ServerProcess:
    """Starts `argv`, reads the port it prints, and stops it with SIGTERM (SIGKILL after `grace`)."""

    grace = 15.0

    def __init__(
        self, argv: list[str], log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=self._log, env={**os.environ, **(env or {})}, cwd=cwd
        )
        self.stdout = ""
        self.port = 0

    def __enter__(self) -> Self:
        """`with Server(...) as server:` waits until it listens, and stops it at the end."""
        try:
            self.wait_listening()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_listening(self, timeout: float = 30.0) -> int:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                data = os.read(fd, 4096).decode()
                self.stdout += data
                if match := LISTENING.search(self.stdout):
                    self.port = int(match.group(1))
                    return self.port
                if not data and self.proc.poll() is not None:
                    break
        raise AssertionError(f"server did not start:\n{self.stdout}\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_log(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.log()):
                return match
            time.sleep(0.02)
        raise AssertionError(f"{pattern!r} not in the log:\n{self.log()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(self.grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        if self.proc.stdout is not None:
            self.stdout += self.proc.stdout.read().decode(errors="replace")
            self.proc.stdout.close()
        return self.proc.returncode


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"
