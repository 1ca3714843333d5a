"""Random input never crashes the explorer: keys, mouse clicks and wheel, and resizes from 1×1 to
300×100, on every pane and in every dialog, driven through Textual's pilot. After each step the app is
alive and consistent: a pane is shown, and when the terminal is large enough and no dialog is open,
a widget has the focus and the pane's keys work.

`make test` runs a short profile; `make fuzz` a long one (FUZZ_EXAMPLES, FUZZ_STEPS).
"""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stargate_tui.app import MIN_HEIGHT, MIN_WIDTH, StargateApp
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.ui.screen import MainScreen
from stargate_tui.views import PANES

pytestmark = pytest.mark.tui

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
STEPS = int(os.environ.get("FUZZ_STEPS", "40"))

KEYS = [
    *(str(n) for n in range(1, len(PANES) + 1)),
    "j", "k", "g", "G", "c", "slash", "question_mark", "f1", "ctrl+p",
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
    "tab", "shift+tab", "enter", "escape", "backspace", "alt+left", "alt+right", "space",
    "a", "b", "z", "A", "é", "0",
]  # fmt: skip

key = st.tuples(st.just("key"), st.sampled_from(KEYS))
text = st.tuples(st.just("text"), st.text(alphabet="abcdeéz /-0123456789", min_size=1, max_size=6))
click = st.tuples(st.just("click"), st.tuples(st.integers(0, 299), st.integers(0, 99)))
scroll = st.tuples(st.just("scroll"), st.tuples(st.integers(0, 299), st.integers(0, 99), st.booleans()))
resize = st.tuples(st.just("resize"), st.tuples(st.integers(1, 300), st.integers(1, 100)))
step = st.one_of(key, key, key, text, click, scroll, resize)


PACK: FactPack | None = None  # loaded once (a module global: hypothesis would print a fixture)


def pack() -> FactPack:
    global PACK
    if PACK is None:
        PACK = load_pack()
    return PACK


async def drive(pane: str, lang: str, steps: list[tuple[str, object]]) -> None:
    app = StargateApp(pack(), pane=pane, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for kind, arg in steps:
            if kind == "key":
                assert isinstance(arg, str)
                if arg == "q":
                    continue
                await pilot.press(arg)
            elif kind == "text":
                assert isinstance(arg, str)
                await pilot.press(*(" ".join(arg).split(" ")) if arg.strip() else ["space"])
            elif kind == "click":
                x, y = arg  # type: ignore[misc]
                width, height = app.size
                await pilot.click(offset=(x % width, y % height))
            elif kind == "scroll":
                x, y, down = arg  # type: ignore[misc]
                width, height = app.size
                await _scroll(pilot, x % width, y % height, down)
            elif kind == "resize":
                await pilot.resize_terminal(*arg)  # type: ignore[misc]
            await pilot.pause()
            if not app.is_running:
                return  # quit (the footer's Quit was clicked), or crashed: leaving run_test raises that
            check(app)
        # whatever happened, the explorer still answers at a normal size
        while not isinstance(app.screen, MainScreen):
            app.pop_screen()
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        check(app)
        assert app.focused is not None
        await pilot.press("3")
        await pilot.pause()
        assert app.current_pane == "money"
    assert app.return_code in (None, 0)


async def _scroll(pilot: object, x: int, y: int, down: bool) -> None:
    from textual import events

    app = pilot.app  # type: ignore[attr-defined]
    widget, _ = app.screen.get_widget_at(x, y)
    event = events.MouseScrollDown if down else events.MouseScrollUp
    widget.post_message(event(widget, x, y, 0, 0, 0, False, False, False, screen_x=x, screen_y=y))


def check(app: StargateApp) -> None:
    main = app.main_screen
    shown = [child.id for child in main.query_one("#panes").children if child.display]
    assert shown == [main.current_pane]
    width, height = app.size
    if app.screen is main and width >= MIN_WIDTH and height >= MIN_HEIGHT:
        assert app.focused is not None, f"nothing has the focus at {width}×{height}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize="FUZZ_SEED" not in os.environ,
)
@given(
    pane=st.sampled_from(PANES),
    lang=st.sampled_from(["en", "fr"]),
    steps=st.lists(step, min_size=1, max_size=STEPS),
)
def test_random_input_never_crashes_the_explorer(
    pane: str, lang: str, steps: list[tuple[str, object]]
) -> None:
    asyncio.run(drive(pane, lang, steps))


def test_a_terminal_one_row_high_and_large_again() -> None:
    """Keys, clicks and the wheel in a terminal one row high, then large again."""
    steps: list[tuple[str, object]] = [
        ("key", "1"), ("scroll", (172, 32, True)), ("click", (53, 4)), ("text", "00a37e"),
        ("resize", (107, 1)), ("text", "28"), ("text", "79bz72"), ("scroll", (100, 66, True)),
        ("text", "6-511c"), ("resize", (157, 100)), ("resize", (159, 74)),
        ("text", "3971-0"), ("scroll", (100, 2, False)), ("text", "éé69"), ("key", "space"),
        ("scroll", (172, 32, True)),
    ]  # fmt: skip
    asyncio.run(drive("overview", "en", steps))
