"""SVG snapshots of the explorer (pytest-textual-snapshot).

A changed screen fails the test: open `snapshot_report.html`, look at the difference, and if the new
screen is right run `pytest tests/test_snapshots.py --snapshot-update` and commit the SVGs.
"""

from __future__ import annotations

import pytest

from stargate_tui.app import StargateApp
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.views import PANES

pytestmark = pytest.mark.tui


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.mark.parametrize("number,pane", list(enumerate(PANES, start=1)))
def test_pane_80x24(snap_compare, pack: FactPack, number: int, pane: str) -> None:
    assert snap_compare(StargateApp(pack), terminal_size=(80, 24), press=[str(number)])


@pytest.mark.parametrize("pane", ["overview", "money", "locations"])
def test_pane_120x40(snap_compare, pack: FactPack, pane: str) -> None:
    assert snap_compare(StargateApp(pack, pane=pane), terminal_size=(120, 40))


@pytest.mark.parametrize("pane", ["overview", "money", "people"])
def test_pane_in_french(snap_compare, pack: FactPack, pane: str) -> None:
    assert snap_compare(StargateApp(pack, pane=pane, lang="fr"), terminal_size=(80, 24))


def test_link_followed(snap_compare, pack: FactPack) -> None:
    """Money → enter (links) → enter: the first link of the total opens in its own pane."""
    assert snap_compare(StargateApp(pack, pane="money"), terminal_size=(80, 24), press=["enter", "enter"])


def test_help(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack), terminal_size=(80, 24), press=["question_mark"])


def test_search_results(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack), terminal_size=(80, 24), press=["slash", *"milliards"])


def test_too_small(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack), terminal_size=(50, 14))
