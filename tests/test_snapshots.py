"""SVG snapshots of the explorer (pytest-textual-snapshot).

A changed screen fails the test: open `snapshot_report.html`, look at the difference, and if the new
screen is right run `pytest tests/test_snapshots.py --snapshot-update` and commit the SVGs.
"""

from __future__ import annotations

import pytest
from sources import article_text

from stargate_tui.app import StargateApp
from stargate_tui.article import ArticleMap, ArticleText
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.views import PANES

pytestmark = pytest.mark.tui


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.fixture(scope="module")
def text(pack: FactPack) -> ArticleText:
    """The article with every character that no quote of the pack cites masked (`·`): the spans stay at
    their true offsets and the layout is the real one, but the SVGs hold no words beyond the pack's
    own quotes (the repository does not redistribute the article)."""
    real = article_text()
    cited = ArticleMap(pack, real)
    paragraphs = []
    for n, paragraph in enumerate(real.paragraphs, start=1):
        keep = [False] * len(paragraph)
        for span in cited.in_paragraph(n):
            for i in range(max(span.start, 0), span.end):
                keep[i] = True
        paragraphs.append("".join(c if keep[i] or c == " " else "·" for i, c in enumerate(paragraph)))
    return ArticleText(tuple(paragraphs), real.origin)


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


# -- the Article pane: without the text (the default install), with it, in French, from a record


def test_article_without_text(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack), terminal_size=(80, 24), press=["8"])


def test_article_without_text_120x40(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack, pane="article"), terminal_size=(120, 40))


def test_article_with_text(snap_compare, pack: FactPack, text: ArticleText) -> None:
    """Money → `s`: the total's first span in ¶1, then `n`: its second span, in ¶3."""
    app = StargateApp(pack, pane="money", article_text=text)
    assert snap_compare(app, terminal_size=(80, 24), press=["s", "n"])


def test_article_with_text_120x40(snap_compare, pack: FactPack, text: ArticleText) -> None:
    app = StargateApp(pack, pane="article", article_text=text)
    assert snap_compare(app, terminal_size=(120, 40))


def test_article_in_french(snap_compare, pack: FactPack, text: ArticleText) -> None:
    app = StargateApp(pack, pane="article", lang="fr", article_text=text)
    assert snap_compare(app, terminal_size=(80, 24), press=["j", "j"])


def test_article_in_french_without_text(snap_compare, pack: FactPack) -> None:
    assert snap_compare(StargateApp(pack, pane="article", lang="fr"), terminal_size=(80, 24))


def test_timeline_at_100_columns(snap_compare, pack: FactPack) -> None:
    """The visual timeline above the list, the second event selected."""
    assert snap_compare(StargateApp(pack, pane="timeline"), terminal_size=(100, 30), press=["j"])


def test_money_chart_scrolled_in_french(snap_compare, pack: FactPack) -> None:
    """The chart's notes that do not fit at 80×24 are reached by scrolling it."""
    app = StargateApp(pack, pane="money", lang="fr")
    assert snap_compare(app, terminal_size=(80, 24), press=["shift+tab", "end"])
