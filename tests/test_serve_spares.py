"""The spare pool on its own: which sessions a spare serves, the output cap and the crash backoff, with
small stand-in processes on real PTYs instead of the explorer (the end-to-end behaviour is in
test_serve_ssh.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

import pytest

from stargate_tui.serve import spares as spares_module
from stargate_tui.serve.session import SessionParams
from stargate_tui.serve.spares import SPARE_OUTPUT_CAP, SparePool, backoff_delay, spare_key
from stargate_tui.serve.spawn import Child

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PTYs: Linux")


class ScriptSpawner:
    """Runs `python -c SCRIPT` on the PTY for each spawn, like the cold spawner runs the explorer."""

    name = "script"

    def __init__(self, script: str) -> None:
        self.script = script
        self.children: list[Child] = []

    async def start(self) -> None:
        return None

    async def spawn(self, tty_fd: int, params: SessionParams) -> Child:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                self.script,
                stdin=tty_fd,
                stdout=tty_fd,
                stderr=tty_fd,
                start_new_session=True,
            )
        finally:
            os.close(tty_fd)
        exited: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_exit(task: asyncio.Task[int]) -> None:
            code = task.result()
            exited.set_result(128 - code if code < 0 else code)

        def send(sig: int) -> None:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)

        asyncio.get_running_loop().create_task(process.wait()).add_done_callback(on_exit)
        child = Child(process.pid, exited, send)
        self.children.append(child)
        return child

    async def close(self) -> None:
        for child in self.children:
            child.signal(signal.SIGKILL)
        await asyncio.gather(*(c.exited for c in self.children))

    def pids(self) -> list[int]:
        return [c.pid for c in self.children if not c.exited.done()]


async def wait_until(condition: object, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)


def test_only_plain_sessions_of_the_same_terminal_and_language_match() -> None:
    plain = SessionParams(term="xterm-256color", cols=120, rows=40)
    assert spare_key(plain) == ("xterm-256color", None)
    assert spare_key(SessionParams(colorterm="truecolor")) == ("xterm-256color", "truecolor")
    assert spare_key(SessionParams(pane="money")) is None
    assert spare_key(SessionParams(record="abilene")) is None


def test_backoff_doubles_up_to_a_minute() -> None:
    assert [backoff_delay(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


async def test_a_spare_is_handed_over_with_its_output_once() -> None:
    # a "first frame": a screenful of output (a byte per cell), then quiet
    spawner = ScriptSpawner("import os, time; os.write(1, b'first frame' * 200); time.sleep(60)")
    pool = SparePool(spawner, 1, "en")
    pool.start()
    try:
        await wait_until(lambda: pool.spares and pool.spares[0].ready)
        assert pool.take(SessionParams(pane="money")) is None
        assert pool.take(SessionParams(term="vt100")) is None
        assert pool.take(SessionParams(lang="fr")) is None
        spare = pool.take(SessionParams(cols=100, rows=30))
        assert spare is not None
        master, child, backlog = spare.adopt()
        assert backlog == b"first frame" * 200
        assert pool.spares == []
        assert pool.take(SessionParams()) is None  # taken once only
        os.close(master)
        child.signal(signal.SIGKILL)
    finally:
        await pool.close()
        await spawner.close()


async def test_a_spare_that_writes_too_much_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    chunks = SPARE_OUTPUT_CAP // 65536 + 4
    script = f"import os, time\nfor _ in range({chunks}): os.write(1, b'x' * 65536)\ntime.sleep(60)"
    spawner = ScriptSpawner(script)
    pool = SparePool(spawner, 1, "en")
    with caplog.at_level(logging.INFO, logger="stargate_tui.serve"):
        pool.start()
        try:
            await wait_until(lambda: "dropping it" in caplog.text)
            first = spawner.children[0]
            await asyncio.wait_for(first.exited, 10)
            assert first not in [s.child for s in pool.spares]
            assert pool.next_delay() > 0  # counted as a failure: the next one waits
            await wait_until(lambda: len(spawner.children) >= 2)  # and is started all the same
        finally:
            await pool.close()
            await spawner.close()


async def test_a_crash_loop_backs_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(spares_module, "BACKOFF_FIRST", 0.05)
    spawner = ScriptSpawner("raise SystemExit(3)")
    pool = SparePool(spawner, 1, "en")
    with caplog.at_level(logging.INFO, logger="stargate_tui.serve"):
        pool.start()
        try:
            await wait_until(lambda: len(spawner.children) >= 4)
        finally:
            await pool.close()
            await spawner.close()
    delays = [
        float(r.getMessage().split()[3]) for r in caplog.records if r.getMessage().startswith("next spare")
    ]
    assert "exited unexpectedly (status 3)" in caplog.text
    assert len(delays) >= 3
    assert delays[0] < delays[1] < delays[2]


class FinishedSession:
    """A session that has ended: the pool may refill at once."""

    def __init__(self, cols: int, rows: int) -> None:
        self.started = self.output_at = 0.0
        self.output_bytes = 0
        self.size = (cols, rows)
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.finished.set_result(None)


async def test_the_next_spare_starts_at_the_latest_sessions_size() -> None:
    script = (
        "import os, time; c, r = os.get_terminal_size(0); os.write(1, f'{c}x{r};'.encode()); time.sleep(60)"
    )
    spawner = ScriptSpawner(script)
    pool = SparePool(spawner, 1, "en")
    pool.start()
    try:
        await wait_until(lambda: pool.spares and pool.spares[0].buffer)
        first = pool.take(SessionParams(cols=100, rows=30))
        assert first is not None
        master, child, backlog = first.adopt()
        assert backlog == b"80x24;"  # before any session: 80×24
        os.close(master)
        child.signal(signal.SIGKILL)
        pool.session_started(FinishedSession(100, 30), SessionParams(cols=100, rows=30))
        await wait_until(lambda: pool.spares and pool.spares[0].buffer)
        second = pool.take(SessionParams(cols=100, rows=30))
        assert second is not None
        master, child, backlog = second.adopt()
        assert backlog == b"100x30;"
        os.close(master)
        child.signal(signal.SIGKILL)
    finally:
        await pool.close()
        await spawner.close()
