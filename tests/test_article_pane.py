"""Pilot tests of pane 8, Article: `8`, `enter` on a span, `s` from a record, `n`/`N`, back, copy, and
the pane with and without the article's text."""

from __future__ import annotations

import pytest
from sources import article_text

from stargate_tui.app import StargateApp
from stargate_tui.article import ArticleText
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.ui.article import ArticlePane, ParagraphView

pytestmark = pytest.mark.tui


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.fixture(scope="module")
def text() -> ArticleText:
    return article_text()


def article_pane(app: StargateApp) -> ArticlePane:
    widget = app.pane_widget("article")
    assert isinstance(widget, ArticlePane)
    return widget


def current_paragraph(app: StargateApp) -> ParagraphView:
    views = [v for v in article_pane(app).query(ParagraphView) if v.has_class("-current")]
    assert len(views) == 1
    return views[0]


async def test_key_8_shows_the_article_without_its_text(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        assert app.current_pane == "article"
        pane = article_pane(app)
        assert pane.span is not None and pane.span.paragraph == 1
        assert app.current_record_id() == pane.span.record_id
        views = list(pane.query(ParagraphView))
        assert [v.number for v in views] == list(range(1, 11))
        body = views[0].body().plain
        assert body.startswith("¶1\n")
        assert " … " in body  # rebuilt from the quotes
        assert "--source FILE" in str(pane.query_one(".article-note").render())


async def test_enter_on_a_span_opens_its_record_and_back_returns(pack: FactPack) -> None:
    app = StargateApp(pack, pane="article")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        span = article_pane(app).span
        assert span is not None
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_pane != "article"
        assert app.current_record_id() == span.record_id
        await pilot.press("backspace")
        await pilot.pause()
        assert app.current_pane == "article"
        assert article_pane(app).span == span


async def test_s_from_a_record_then_n_and_shift_n(pack: FactPack, text: ArticleText) -> None:
    app = StargateApp(pack, pane="money", article_text=text)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_record_id() == "stargate-total"
        await pilot.press("s")
        await pilot.pause()
        pane = article_pane(app)
        spans = pane.article.of_record("stargate-total")
        assert [s.paragraph for s in spans] == [1, 3, 3]
        assert pane.span == spans[0]
        view = current_paragraph(app)
        assert view.number == 1
        assert view.current == spans[0].key
        # the span is marked at its true place in the paragraph's text
        assert text.paragraphs[0][spans[0].start : spans[0].end] == spans[0].quote
        await pilot.press("n")
        await pilot.pause()
        assert pane.span == spans[1]
        assert current_paragraph(app).number == 3
        assert "n/N 2/3" in str(pane.query_one(".article-scroll").border_subtitle)
        await pilot.press("n", "n")
        await pilot.pause()
        assert pane.span == spans[0]  # round
        await pilot.press("N")
        await pilot.pause()
        assert pane.span == spans[2]
        await pilot.press("backspace")
        await pilot.pause()
        assert (app.current_pane, app.current_record_id()) == ("money", "stargate-total")


async def test_s_lands_on_the_first_span_even_when_the_pane_is_built(pack: FactPack) -> None:
    app = StargateApp(pack, pane="people")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8", "1", "6")  # the Article pane built, on another span
        await pilot.pause()
        person = app.current_record_id()
        assert person is not None
        await pilot.press("s")
        await pilot.pause()
        pane = article_pane(app)
        assert pane.span == pane.article.of_record(person)[0]


async def test_n_elsewhere_and_s_in_the_article_ring_the_bell(pack: FactPack) -> None:
    app = StargateApp(pack, pane="money")
    bells: list[bool] = []
    app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert bells == [True] and app.current_pane == "money"
        await pilot.press("8", "s")
        await pilot.pause()
        assert len(bells) == 2 and app.current_pane == "article"


async def test_copy_on_a_span_copies_it_with_its_citation(pack: FactPack) -> None:
    app = StargateApp(pack, pane="article", lang="fr")
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        span = article_pane(app).span
        assert span is not None
        assert copied and copied[0].startswith(f"“{span.quote}” — ")
        assert "paragraphe 1" in copied[0]


async def test_a_changed_text_flags_the_quotes_it_lost(pack: FactPack) -> None:
    paragraphs = tuple(f"Paragraphe {n} sans rapport." for n in range(1, 11))
    app = StargateApp(pack, pane="article", article_text=ArticleText(paragraphs, "autre.txt"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = article_pane(app)
        body = current_paragraph(app).body().plain
        assert "not found in the text" in body
        assert all(s.state == "missing" for s in pane.article.spans)
        assert str(pane.master.get_option_at_index(1).prompt).startswith("! ")


async def test_the_article_pane_in_french_and_too_small(pack: FactPack) -> None:
    app = StargateApp(pack, pane="article", lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Cité par" in current_paragraph(app).body().plain
        await pilot.resize_terminal(50, 14)
        await pilot.pause()
        assert app.main_screen.has_class("-too-small")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert article_pane(app).span is not None


async def test_sentences_no_record_cites_are_dimmed(pack: FactPack) -> None:
    from stargate_tui.article import ArticleMap

    rebuilt = ArticleMap(pack)
    paragraphs = [rebuilt.reconstruction(n).replace(" … ", " ") for n in range(1, 11)]
    paragraphs[0] += ". Personne ne cite cette phrase."
    app = StargateApp(pack, pane="article", article_text=ArticleText(tuple(paragraphs), "test.txt"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = current_paragraph(app)
        dim = view.get_component_rich_style("paragraph--uncited")
        body = view.body()
        dimmed = [body.plain[s.start : s.end] for s in body.spans if s.style == dim]
        assert dimmed == ["Personne ne cite cette phrase."]
