"""Pilot tests: drive the real explorer on the embedded pack with keys and the mouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.filter import Monochrome, NoColor
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from stargate_tui.app import MIN_HEIGHT, MIN_WIDTH, StargateApp
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.ui.detail import DetailView
from stargate_tui.ui.navlist import NavList
from stargate_tui.ui.pane import RecordPane
from stargate_tui.ui.panebar import PaneBar
from stargate_tui.ui.screens import RESULTS_SHOWN, HelpScreen, SearchScreen
from stargate_tui.views import PANES, list_label, overlaps, pane_records, t

pytestmark = pytest.mark.tui


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


def active(app: StargateApp) -> str:
    """The pane shown, checked against what the pane bar marks and which pane is displayed."""
    pane = app.current_pane
    assert app.main_screen.query_one(PaneBar).active == pane
    assert [child.id for child in app.main_screen.query_one("#panes").children if child.display] == [pane]
    return pane


def pane(app: StargateApp, name: str) -> RecordPane:
    assert name != "article", "the Article pane is no RecordPane: see test_article_pane.py"
    return app.main_screen.query_one(f"#panes > #{name}", RecordPane)


def bar_text(app: StargateApp) -> str:
    return app.main_screen.query_one(PaneBar).render().plain


def shown(app: StargateApp) -> str | None:
    return app.current_record_id()


def detail_text(app: StargateApp) -> str:
    """What the visible detail view says, as plain text."""
    body = pane(app, active(app)).query_one(DetailView).query_one(".detail-body", Static)
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(body.content)
    return console.export_text()


async def test_number_keys_select_every_pane_in_order(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert active(app) == "overview"
        for number, pane in enumerate(PANES, start=1):
            await pilot.press(str(number))
            await pilot.pause()
            assert active(app) == pane
            # the pane shows its first record, with provenance (the Article pane: its first span)
            assert shown(app) == pane_records(pack, pane)[0].id
            if pane != "article":
                assert "¶" in detail_text(app)


async def test_vim_keys_move_in_lists(pack: FactPack) -> None:
    app = StargateApp(pack, pane="people")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        people = pane_records(pack, "people")
        assert shown(app) == people[0].id
        await pilot.press("j")
        await pilot.pause()
        assert shown(app) == people[1].id
        await pilot.press("G")
        await pilot.pause()
        assert shown(app) == people[-1].id
        await pilot.press("k")
        await pilot.pause()
        assert shown(app) == people[-2].id


async def test_enter_follows_links_and_history_goes_back_and_forward(pack: FactPack) -> None:
    app = StargateApp(pack, pane="money")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = shown(app)
        assert start is not None
        first_link = pane(app, "money").query_one(DetailView).query_one(".links")
        target_id = first_link.get_option_at_index(0).id  # type: ignore[attr-defined]
        target = pack.get(target_id)
        assert target is not None
        await pilot.press("enter")  # from the list into the links
        await pilot.pause()
        assert app.focused is first_link
        await pilot.press("enter")  # follow the first link
        await pilot.pause()
        assert shown(app) == target_id
        assert active(app) != "money" or target.KIND == "figure"
        await pilot.press("backspace")
        await pilot.pause()
        assert (active(app), shown(app)) == ("money", start)
        await pilot.press("alt+right")
        await pilot.pause()
        assert shown(app) == target_id
        await pilot.press("alt+left")
        await pilot.pause()
        assert shown(app) == start


async def test_history_survives_pane_switches(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3", "j")
        await pilot.pause()
        money_record = shown(app)
        await pilot.press("7", "6")
        await pilot.pause()
        assert active(app) == "people"
        await pilot.press("backspace")
        await pilot.pause()
        assert active(app) == "timeline"
        await pilot.press("backspace")
        await pilot.pause()
        assert (active(app), shown(app)) == ("money", money_record)
        await pilot.press("alt+right", "alt+right")
        await pilot.pause()
        assert active(app) == "people"


async def test_search_finds_records_as_you_type_and_opens_them(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"abilene")
        await pilot.pause()
        count = str(app.screen.query_one(".finder-count", Static).content)
        assert "result" in count and not count.startswith("0 ")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert (active(app), shown(app)) == ("locations", "abilene")


async def test_search_ignores_accents_and_reaches_french_text(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"etats-unis")
        await pilot.pause()
        results = app.screen.query_one(".finder-results")
        ids = [results.get_option_at_index(i).id for i in range(results.option_count)]  # type: ignore[attr-defined]
        assert "united-states" in ids
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert active(app) == "overview"


async def test_palette_jumps_to_a_record(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Masayoshi Son")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert (active(app), shown(app)) == ("people", "masayoshi-son")


async def test_copy_puts_the_fact_and_its_citation_on_the_clipboard(pack: FactPack) -> None:
    app = StargateApp(pack, open_id="stargate-total")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        record = pack.get("stargate-total")
        assert record is not None
        assert "$500 billion" in app.clipboard
        for source in record.sources:
            assert source.quote in app.clipboard
            assert f"paragraph {source.paragraph}" in app.clipboard
        assert any(app.clipboard in str(n.message) for n in app._notifications)


async def test_help_opens_with_question_mark_and_f1(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)


async def test_open_option_starts_on_the_record_in_its_pane(pack: FactPack) -> None:
    app = StargateApp(pack, open_id="abilene")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert (active(app), shown(app)) == ("locations", "abilene")
        assert "Abilene" in detail_text(app)


async def test_french_translates_interface_and_facts(pack: FactPack) -> None:
    app = StargateApp(pack, lang="fr", open_id="stargate-total")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        labels = bar_text(app)
        assert "1 Aperçu" in labels and "7 Frise" in labels
        text = detail_text(app)
        assert "au moins 500 milliards de dollars" in text
        assert "Statut" in text


async def test_terminal_too_small_says_so_and_recovers_on_resize(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(MIN_WIDTH - 10, MIN_HEIGHT - 3)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        message = str(app.query_one("#too-small", Static).content)
        assert f"need {MIN_WIDTH}×{MIN_HEIGHT}" in message
        panes = app.main_screen.query_one("#panes")
        assert not panes.display or not panes.is_on_screen
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        await pilot.pause()
        assert app.focused is pane(app, "overview").master  # the list has the focus back
        before = shown(app)
        await pilot.press("j")
        await pilot.pause()
        assert shown(app) != before
        await pilot.press("3")
        await pilot.pause()
        assert active(app) == "money"


async def test_mouse_clicks_a_tab_and_a_record(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(PaneBar, offset=(bar_text(app).index("6") + 2, 0))
        await pilot.pause()
        assert active(app) == "people"
        people = pane(app, "people")
        # row 0 is the section heading, row 1 the first person, row 2 the second
        await pilot.click(people.master, offset=(4, 3))
        await pilot.pause()
        assert shown(app) == pane_records(pack, "people")[1].id


async def test_no_color_removes_every_colour(pack: FactPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any(isinstance(f, NoColor) for f in app.get_line_filters())
        assert not any(isinstance(f, Monochrome) for f in app.get_line_filters())
        assert app.no_color
        # with no colours the selection must still show: underlined
        master = pane(app, "overview").master
        style = master.get_component_rich_style("option-list--option-highlighted")
        assert style.underline


async def test_every_record_is_shown_with_its_provenance(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for record in pack.records.values():
            await app.open_record(record.id)
            await pilot.pause()
            assert shown(app) == record.id
            text = detail_text(app)
            for source in record.sources:
                assert f"¶{source.paragraph}" in text
                assert source.quote[:40] in text.replace("\n", " ") or source.quote[:20] in text


async def test_back_at_the_start_stays_put(pack: FactPack) -> None:
    app = StargateApp(pack, pane="money")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.history.can_go_back
        await pilot.press("backspace")
        await pilot.pause()
        assert active(app) == "money"


async def test_panes_are_built_when_first_shown(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # only the first pane is built; the others are built when first shown
        assert [p.id for p in app.query(RecordPane)] == ["overview"]
        assert app.pane_widget("partners") is None
        await pilot.press("2")
        await pilot.pause()
        assert [p.id for p in app.query(RecordPane)] == ["overview", "partners"]
        assert app.pane_widget("partners") is pane(app, "partners")


async def choose_in_palette(pilot: Pilot[int], words: str) -> None:
    """^p, type `words`, enter: what a user does to run a command."""
    await pilot.press("ctrl+p")
    await pilot.press(*words)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def test_palette_switches_language_in_place(pack: FactPack) -> None:
    app = StargateApp(pack, open_id="stargate-total")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await choose_in_palette(pilot, "Langue")
        assert app.lang == "fr"
        assert (active(app), shown(app)) == ("money", "stargate-total")
        assert "au moins 500 milliards de dollars" in detail_text(app)
        assert "1 Aperçu" in bar_text(app)
        # history from before the switch still works
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        assert (active(app), shown(app)) == ("money", "stargate-total")
        # and back to English from the French palette: the explorer keeps answering its keys
        await choose_in_palette(pilot, "English")
        assert app.lang == "en"
        assert "3 Money" in bar_text(app)
        await pilot.press("4")
        await pilot.pause()
        assert active(app) == "locations"


@pytest.mark.parametrize("target", ["pane", "record"])
async def test_a_key_while_the_other_language_screen_is_being_built(pack: FactPack, target: str) -> None:
    """A pane key or a jump that arrives before the new screen's panes are mounted is carried out
    once they are, instead of crashing (keys typed together with the palette's enter do this)."""
    from stargate_tui.ui.screen import SCREENS

    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.lang = "fr"
        app.push_screen(SCREENS["fr"](pack, "overview", None))  # not awaited: still being built
        if target == "pane":
            await app.show_pane("money")
        else:
            await app.open_record("abilene")
        await pilot.pause(0.3)
        assert type(app.screen) is SCREENS["fr"]
        if target == "pane":
            assert active(app) == "money"
        else:
            assert (active(app), shown(app)) == ("locations", "abilene")
        assert isinstance(app.focused, NavList)


async def test_map_marks_the_selected_place(pack: FactPack) -> None:
    from stargate_tui.ui.map import MapView

    app = StargateApp(pack, pane="locations")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(MapView)
        assert view.selected == shown(app)
        await pilot.press("j", "j")
        await pilot.pause()
        assert view.selected == shown(app) == pane_records(pack, "locations")[2].id


def footer_keys(app: StargateApp) -> dict[str, Widget]:
    """The footer's keys on screen, by their description."""
    return {str(key.description): key for key in app.screen.query("FooterKey") if key.region}


async def settled(pilot: Pilot[int], done: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Wait (on a busy machine too) until `done()`; its last answer."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return True
        await pilot.pause(0.05)
    return done()


async def test_footer_names_keys_in_the_language_shown(pack: FactPack) -> None:
    french = {"Chercher", "Aide", "Retour", "Copier", "Commandes", "Quitter"}
    english = {"Search", "Help", "Back", "Copy", "Commands", "Quit"}
    app = StargateApp(pack, lang="fr")
    async with app.run_test(size=(100, 24)) as pilot:
        assert await settled(pilot, lambda: french <= set(footer_keys(app)))
        await app.set_language("en")
        assert await settled(pilot, lambda: english <= set(footer_keys(app)))
        assert "Chercher" not in app.export_screenshot()


async def test_the_footer_is_rebuilt_only_when_its_keys_change_even_behind_a_dialog(pack: FactPack) -> None:
    from stargate_tui.ui.screen import KeysFooter, MainScreen

    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        keys = [id(key) for key in footer.children]
        assert keys
        for pane_key in "2131":  # a change of focus refreshes the bindings; the keys shown stay
            await pilot.press(pane_key)
            await pilot.pause()
        assert [id(key) for key in footer.children] == keys
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.bind("x", "bell", description="Ring")  # a new key, while the palette is open
        app.main_screen.refresh_bindings()
        await pilot.press("escape")
        assert await settled(pilot, lambda: isinstance(app.screen, MainScreen))
        assert await settled(pilot, lambda: "Ring" in footer_keys(app))
        assert {"Search", "Help", "Quit"} <= set(footer_keys(app))
        await pilot.press("3")
        await pilot.pause()
        assert active(app) == "money"


async def test_footer_keys_are_clickable(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(footer_keys(app)["Help"])
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(footer_keys(app)["Search"])
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_pane_bar_shortens_other_names_when_narrow_and_stays_clickable(pack: FactPack) -> None:
    app = StargateApp(pack, lang="fr")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) <= 60
        assert "1 Aperçu" in text  # the pane shown keeps its whole name
        assert "Personnes" not in text and "6 Pe" in text
        await pilot.click(PaneBar, offset=(text.index("6 Pe") + 1, 0))
        await pilot.pause()
        assert active(app) == "people"
        assert "6 Personnes" in bar_text(app) and "Aperçu" not in bar_text(app)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert all(f"{n} {t(p, 'fr')}" in bar_text(app) for n, p in enumerate(PANES, start=1))


async def test_search_counts_every_match_when_it_lists_only_the_first(tmp_path: Path) -> None:
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks import synthpack  # a valid pack of any size; every summary holds "refNNN"
    from stargate_tui.search import SearchIndex
    from stargate_tui.ui.screens import RESULTS_SHOWN

    synthpack.generate(tmp_path, 400)
    big = load_pack(tmp_path)
    matching = len(SearchIndex(big).search("ref"))
    assert matching > RESULTS_SHOWN
    app = StargateApp(big)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"ref")
        await pilot.pause()
        count = str(app.screen.query_one(".finder-count", Static).content)
        assert count == f"{matching} results (first {RESULTS_SHOWN} shown)"
        assert app.screen.query_one(".finder-results", NavList).option_count == RESULTS_SHOWN


def assert_focus_drawn(app: StargateApp) -> None:
    """Every list on screen has the focus border exactly when it has the focus."""
    accent = app.theme_variables["accent"].lower()
    focused = []
    for nav in app.screen.query(NavList):
        if not all(node.display for node in nav.ancestors_with_self if node is not app):
            continue  # hidden with its pane: restyled when shown again
        drawn = nav.styles.border_top[1].hex.lower() == accent
        assert drawn == nav.has_focus, f"{nav} in {nav.parent}: has focus {nav.has_focus}, drawn {drawn}"
        focused += [nav] if nav.has_focus else []
    assert focused == ([app.focused] if isinstance(app.focused, NavList) else [])


async def test_the_focused_list_and_only_it_is_drawn_focused(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for name in ("partners", "people", "partners", "overview"):
            await app.show_pane(name)
            await pilot.pause()
            assert_focus_drawn(app)
        await app.show_pane("partners")
        await pilot.press("enter")  # into the links of the partner shown
        await pilot.pause()
        assert app.focused is not None and app.focused.has_class("links")
        assert_focus_drawn(app)
        await app.show_pane("people")
        await app.show_pane("partners")  # back: the list has the focus again
        await pilot.pause()
        assert app.focused is pane(app, "partners").master
        assert_focus_drawn(app)
        for key in ("tab", "tab", "shift+tab"):
            before = app.focused
            await pilot.press(key)
            await pilot.pause()
            assert app.focused is not before
            assert_focus_drawn(app)


async def test_search_results_follow_the_typed_text_in_the_same_step(pack: FactPack) -> None:
    """The count and the list change with the input's value itself, not a message later: the typed
    character and its results are drawn in one frame."""
    from textual.widgets import Input

    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("/")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        search = screen.query_one(Input)
        count = screen.query_one(".finder-count", Static)
        results = screen.query_one(".finder-results", NavList)
        for text in ("milliards", "masayoshi", "zzzz-nothing"):
            search.value = text  # no pause: nothing else has run since
            hits = screen.index.search(text)
            assert str(count.render()).startswith(f"{len(hits)} result")
            assert results.option_count == min(len(hits), RESULTS_SHOWN)
            if hits:
                assert results.get_option_at_index(0).id == hits[0].record.id


async def test_the_search_index_is_built_once_after_the_first_frame(pack: FactPack) -> None:
    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        index = app.search_index()
        assert len(index.search("Abilene")) >= 1
        await pilot.press("/")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and app.screen.index is index


async def test_keys_typed_right_after_slash_reach_the_search_box(pack: FactPack) -> None:
    """Keys that arrive together (a fast typist, a paste, SSH) used to go to the pane's list while the
    search screen was still opening, and were lost. A `/` typed in the box is text, not a new search."""
    from textual import events
    from textual.widgets import Input

    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, character in (("slash", "/"), ("o", "o"), ("r", "r"), ("slash", "/"), ("a", "a")):
            app.post_message(events.Key(key, character))  # queued together, none handled yet
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "or/a"
        assert len(app.screen_stack) == 2  # one search screen over the explorer


async def test_keys_typed_right_after_ctrl_p_and_in_its_list_reach_the_palette_box(pack: FactPack) -> None:
    from textual import events
    from textual.widgets import Input

    from stargate_tui.ui.screens import PaletteScreen

    app = StargateApp(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, character in (("ctrl+p", None), ("m", "m"), ("o", "o"), ("n", "n")):
            app.post_message(events.Key(key, character))  # queued together, none handled yet
        await pilot.pause()
        assert isinstance(app.screen, PaletteScreen)
        box = app.screen.query_one(Input)
        assert box.value == "mon"
        results = app.screen.query_one(".finder-results", NavList)
        results.focus()  # as a click on the list does
        await pilot.press("e", "y")
        assert (box.value, app.focused) == ("money", box)
        await pilot.press("enter")
        await pilot.pause()
        assert active(app) == "money"


async def test_presses_on_a_notification_as_it_goes_do_not_crash(pack: FactPack) -> None:
    """A double click on the "Copied" notification: the first closes it, the second lands on a
    notification no longer in the screen (Textual's text selection failed on it)."""
    import asyncio

    from textual import events

    app = StargateApp(pack, open_id="stargate-total")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause(0.3)
        spots = [
            (x, y)
            for y in range(30)
            for x in range(100)
            if type(app.screen.get_widget_at(x, y)[0]).__name__ == "Toast"
        ]
        assert spots  # the notification is on screen
        x, y = spots[len(spots) // 2]
        for _ in range(3):
            for kind in (events.MouseDown, events.MouseUp):
                app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))
            await asyncio.sleep(0)  # the press is handled, the screen not yet redrawn
        await pilot.pause(0.3)
        assert app.is_running and app.return_code is None
        await pilot.press("2")  # and the explorer goes on
        await pilot.pause()
        assert active(app) == "partners"


async def test_page_keys_move_a_page_of_options_and_skip_section_titles() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets.option_list import Option

    class Lists(App[None]):
        CSS = "NavList { height: 6; } #flat { height: 0; }"

        def compose(self) -> ComposeResult:
            yield NavList(
                Option("TITLE", disabled=True),
                *(Option(str(n), id=str(n)) for n in range(10)),
                Option("SECOND", disabled=True),
                *(Option(f"b{n}") for n in range(3)),
                id="tall",
            )
            yield NavList(*(Option(str(n)) for n in range(5)), id="flat")

    app = Lists()
    async with app.run_test(size=(40, 20)) as pilot:
        tall = app.query_one("#tall", NavList)
        tall.focus()
        await pilot.pause()
        page = tall.scrollable_content_region.height
        assert tall.highlighted == 1 and page == 4
        seen = []
        for key in ("pagedown",) * 4 + ("pageup",) * 4:
            await pilot.press(key)
            await pilot.pause()
            seen.append(tall.highlighted)
        assert seen == [5, 9, 13, 14, 10, 6, 2, 1]  # 11 and 0 are titles: never highlighted
        flat = app.query_one("#flat", NavList)
        flat.focus()
        flat.clear_options()
        flat.add_options([Option(str(n)) for n in range(5)])  # replaced before it was ever drawn
        flat.highlighted = 0
        await pilot.press("pagedown", "pageup", "pagedown")
        await pilot.pause()
        assert flat.highlighted == 1


async def test_the_terminal_cursor_follows_the_highlighted_option(pack: FactPack) -> None:
    """Braille displays and review cursors follow the terminal's cursor: it sits on the selection."""
    app = StargateApp(pack, pane="politics")
    async with app.run_test(size=(80, 18)) as pilot:
        await pilot.pause()
        master = pane(app, "politics").master
        for _ in range(3):
            region = master.content_region
            assert master.highlighted is not None
            row = region.y + master.highlighted - round(master.scroll_offset.y)
            assert tuple(app.cursor_position) == (region.x, row)
            await pilot.press("j")
            await pilot.pause()
        await pilot.press("G")  # the last option: the list scrolls, the cursor stays on it
        await pilot.pause()
        region = master.content_region
        assert master.scroll_offset.y > 0
        assert tuple(app.cursor_position) == (
            region.x,
            region.y + master.highlighted - round(master.scroll_offset.y),
        )
        await pilot.press("enter")  # into the links: the cursor follows the focus
        await pilot.pause()
        links = app.focused
        assert isinstance(links, NavList) and links.has_class("links")
        assert tuple(app.cursor_position) == (links.content_region.x, links.content_region.y)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help_is_built_from_the_bindings(lang: str) -> None:
    from textual.binding import Binding

    from stargate_tui.ui.screen import main_bindings
    from stargate_tui.ui.screens import help_rows, key_text

    rows = help_rows(lang)
    keys = " ".join(k for k, _ in rows).split()
    for binding in Binding.make_bindings([*main_bindings(lang), *NavList.BINDINGS]):
        if not (binding.id or "").startswith("pane-"):
            assert key_text(binding.key) in keys, binding
    assert rows[0][0] == f"1 … {len(PANES)}"
    assert rows[0][1] == ", ".join(t(p, lang) for p in PANES)
    areas = dict(rows)["tab  shift+tab"]
    assert areas == t("help-areas", lang)
    assert ("texte" if lang == "fr" else "text") in areas  # tab visits the detail's text too


async def test_tab_cycles_list_text_links_as_help_says(pack: FactPack) -> None:
    app = StargateApp(pack, pane="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        order = []
        for _ in range(3):
            focused = app.focused
            assert focused is not None
            order.append("links" if focused.has_class("links") else type(focused).__name__)
            await pilot.press("tab")
            await pilot.pause()
        assert order == ["NavList", "VerticalScroll", "links"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_wrapped_detail_lines_hang_under_their_value(pack: FactPack, lang: str) -> None:
    from stargate_tui.ui.detail import render_detail
    from stargate_tui.views import detail

    console = Console(width=44, color_system=None, record=True)
    console.print(render_detail(detail(pack.records["donald-trump"], pack, lang), lang))
    lines = console.export_text().splitlines()
    source = next(i for i, line in enumerate(lines) if line.startswith(t("provenance", lang)))
    value_column = lines[source].index("¶")
    assert lines[source + 1][:value_column].strip() == ""  # the quote's next line, under the quote
    assert lines[source + 1][value_column] != " "
    basis = next(i for i, line in enumerate(lines) if line.lstrip().startswith(t("basis", lang)))
    basis_column = len(lines[basis]) - len(lines[basis].lstrip()) + len(t("basis", lang)) + 2
    basis_column += 1 if lang == "fr" else 0  # "Fondement :"
    assert lines[basis + 1][:basis_column].strip() == "", lines[basis : basis + 2]
    assert lines[basis + 1][basis_column] != " ", lines[basis : basis + 2]


@pytest.mark.parametrize(
    ("size", "width"), [((80, 24), 34), ((100, 30), 35), ((160, 50), 56), ((240, 50), 64)]
)
async def test_lists_take_a_share_of_the_width(pack: FactPack, size: tuple[int, int], width: int) -> None:
    app = StargateApp(pack, pane="politics")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        master = pane(app, "politics").master
        assert master.outer_size.width == width
        if size[0] >= 160:  # the labels the list was cutting ("Trump revokes B…") are whole
            room = master.content_region.width
            labels = [list_label(r, "en") for r in pane_records(pack, "politics")]
            assert sum(len(label) <= room for label in labels) >= len(labels) * 0.8


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_the_money_chart_hides_nothing_without_a_sign(
    pack: FactPack, lang: str, size: tuple[int, int]
) -> None:
    from stargate_tui.ui.chart import MoneyChart

    app = StargateApp(pack, pane="money", lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        chart = app.screen.query_one(MoneyChart)
        if chart.max_scroll_y > 0:  # it does not fit: it says so, and scrolls to the end
            assert chart.border_subtitle == t("more-below", lang)
            await pilot.press("shift+tab")  # from the list back to the chart
            await pilot.pause()
            assert app.focused is chart
            await pilot.press("end")
            await pilot.pause()
            assert chart.scroll_y == chart.max_scroll_y
            assert chart.border_subtitle == ""
        else:
            assert chart.border_subtitle == ""
        # every overlap sentence is in the chart, whole
        text = chart.chart_text(chart.scrollable_content_region.width).plain
        for sentence in overlaps(pack, lang):
            assert " ".join(sentence.split()) in " ".join(text.split())
        if size == (80, 24):
            assert chart.max_scroll_y > 0  # the French notes and the second English one are below


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_the_map_zooms_to_the_selected_places_surroundings(
    pack: FactPack, size: tuple[int, int]
) -> None:
    from stargate_tui.ui.map import MapView
    from stargate_tui.worldmap import DEFAULT_BOUNDS, render_map

    app = StargateApp(pack, pane="locations")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.query_one(MapView)
        width, height = view.content_size.width, view.content_size.height
        for place in ("united-states", "texas", "abilene", "white-house"):
            view.selected = place
            await pilot.pause()
            bounds, area = view.view(width, height)
            assert bounds != DEFAULT_BOUNDS and area in ("United States", "Texas")
            assert view.border_title == f"Map · {area}"
            drawn = render_map(width, height, view.markers(), bounds=bounds)
            ids = {marker.id for marker, _, _ in drawn.placed}
            assert place in ids
            assert not drawn.collisions, (place, drawn.collisions)  # neighbours are distinct cells
        view.selected = None  # nothing selected: fitted to the pack, here a world view
        bounds, area = view.view(width, height)
        assert area is None and bounds[2] - bounds[0] > 200


async def test_a_place_without_coordinates_gets_a_note_on_the_map(tmp_path: Path) -> None:
    from stargate_tui.ui.map import MapView

    minimal = load_pack(Path(__file__).parent / "data" / "minimal")
    app = StargateApp(minimal, pane="locations", lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(MapView)
        view.selected = "france"
        await pilot.pause()
        assert view.border_subtitle == "France : pas de coordonnées dans le paquet, absent de la carte"


async def test_the_visual_timeline_is_shown_from_100_columns_and_follows_the_list(pack: FactPack) -> None:
    from stargate_tui.ui.timeline import TimelineChart

    app = StargateApp(pack, pane="timeline")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(TimelineChart).display  # below 100 columns: the list alone
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        chart = app.screen.query_one(TimelineChart)
        assert chart.display and chart.region.height > 4
        await pilot.press("j")
        await pilot.pause()
        assert chart.selected == shown(app) == pane_records(pack, "timeline")[1].id
        text = chart.chart_text(chart.scrollable_content_region.width)
        assert "Masayoshi Son" in text.plain and "├" in text.plain and "Dec" in text.plain


async def test_search_counts_in_the_french_singular(pack: FactPack) -> None:
    app = StargateApp(pack, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"zzzqqq")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        count = str(screen.query_one(".finder-count", Static).render())
        assert count.startswith("0 résultat") and "résultats" not in count
