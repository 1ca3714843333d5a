"""The forked read-ahead of a large pack: the same pack and the same problems as reading it alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stargate_tui import loader, readahead
from stargate_tui.loader import EMBEDDED_CONTENT, PackInvalid, load_pack

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs fork")


@pytest.fixture
def big_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The embedded pack, with a read-ahead for any size."""
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    pack = tmp_path / "pack"
    shutil.copytree(EMBEDDED_CONTENT, pack)
    return pack


def _workers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], dict[int, Any]]]:
    """Each worker's files and what it sent back, as the loader takes them."""
    seen: list[tuple[list[int], dict[int, Any]]] = []
    real = readahead.Worker.result

    def spy(self: readahead.Worker) -> dict[int, Any]:
        got = real(self)
        seen.append((self.indices, got))
        return got

    monkeypatch.setattr(readahead.Worker, "result", spy)
    return seen


def _alone(monkeypatch: pytest.MonkeyPatch, directory: Path) -> Any:
    with monkeypatch.context() as m:
        m.setattr(readahead, "start", lambda files: None)
        try:
            pack = load_pack(directory)
        except PackInvalid as exc:
            return exc.problems
        return pack.info, pack.records, pack.backlinks


def test_a_pack_read_with_a_worker_is_the_pack_read_alone(
    big_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers = _workers(monkeypatch)
    pack = load_pack(big_pack)
    ((indices, sent),) = workers
    assert indices and sorted(sent) == indices  # the worker read every file it took
    assert len(indices) < len(loader.pack_files(big_pack))  # and left the others to the loader
    assert (pack.info, pack.records, pack.backlinks) == _alone(monkeypatch, big_pack)
    assert list(pack.records) == list(_alone(monkeypatch, big_pack)[1])  # in the same order


def test_problems_are_the_same_with_a_worker(big_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("figures.yaml", "events.yaml", "people.yaml"):  # some read by the worker, some not
        path = big_pack / name
        path.write_text(path.read_text("utf-8").replace("  - id: ", "  - idd: ", 1), "utf-8")
    workers = _workers(monkeypatch)
    with pytest.raises(PackInvalid) as info:
        load_pack(big_pack)
    assert workers and workers[0][1], "the worker read files"
    assert info.value.problems == _alone(monkeypatch, big_pack)
    assert {Path(p.path).name for p in info.value.problems} >= {"figures.yaml", "events.yaml", "people.yaml"}


def test_a_file_the_worker_cannot_read_fast_is_read_by_the_loader(
    big_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers = _workers(monkeypatch)
    files = loader.pack_files(big_pack)
    indices = readahead._half([p.stat().st_size for p in files])
    odd = files[indices[0]]
    odd.write_text(odd.read_text("utf-8").replace("\n  - id: ", "\n  - !!str id: ", 1), "utf-8")  # a tag
    pack = load_pack(big_pack)
    ((taken, sent),) = workers
    assert indices[0] in taken and indices[0] not in sent
    assert (pack.info, pack.records, pack.backlinks) == _alone(monkeypatch, big_pack)


def test_a_worker_that_fails_leaves_every_file_to_the_loader(
    big_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path) -> Any:
        raise RuntimeError("the worker breaks")

    monkeypatch.setattr(loader, "read_fast", broken)  # the forked worker inherits it
    workers = _workers(monkeypatch)
    pack = load_pack(big_pack)
    assert workers and workers[0][1] == {}
    assert (pack.info, pack.records, pack.backlinks) == _alone(monkeypatch, big_pack)


def test_the_worker_is_stopped_when_the_load_gives_up(
    big_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped: list[int] = []
    real_stop = readahead.Worker.stop

    def stop(self: readahead.Worker) -> None:
        real_stop(self)
        stopped.append(self.pid)

    def unreadable(*args: Any, **kwargs: Any) -> Any:
        raise loader.PackUnavailable("cannot read")

    monkeypatch.setattr(readahead.Worker, "stop", stop)
    monkeypatch.setattr(loader, "_load_file", unreadable)
    with pytest.raises(loader.PackUnavailable):
        load_pack(big_pack)
    (pid,) = stopped
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_small_packs_and_threaded_processes_get_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = loader.pack_files(EMBEDDED_CONTENT)
    assert readahead.start(files) is None  # the embedded pack is below MIN_BYTES
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    monkeypatch.setattr(readahead.threading, "active_count", lambda: 2)
    assert readahead.start(files) is None  # forking a process with threads is not safe


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=40))
@settings(max_examples=200, deadline=None)
def test_the_worker_takes_about_half_the_bytes(sizes: list[int]) -> None:
    taken = readahead._half(sizes)
    assert taken == sorted(set(taken)) and all(0 <= i < len(sizes) for i in taken)
    mine = sum(sizes[i] for i in taken)
    rest = sum(sizes) - mine
    assert abs(mine - rest) <= max(sizes)  # no side is heavier than the other by more than one file
