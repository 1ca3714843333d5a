"""Regenerate the user guide's screenshots (docs/images/*.svg) from the real app at fixed sizes.

    .venv/bin/python scripts/make_screenshots.py

Each shot is the embedded pack after a few key presses, saved by Textual's own SVG exporter.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from stargate_tui.app import StargateApp
from stargate_tui.loader import load_pack

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"

#: name, size, language, keys
SHOTS: list[tuple[str, tuple[int, int], str, list[str]]] = [
    ("overview", (100, 30), "en", []),
    ("partners", (100, 30), "en", ["2"]),
    ("money", (100, 30), "en", ["3"]),
    ("locations", (100, 30), "en", ["4"]),
    ("politics", (100, 30), "en", ["5"]),
    ("people", (100, 30), "en", ["6"]),
    ("timeline", (100, 30), "en", ["7"]),
    ("article", (100, 30), "en", ["8"]),  # without the article's text: the repository holds none
    ("search", (100, 30), "en", ["slash", *"abilene"]),
    ("help", (100, 30), "en", ["question_mark"]),
    ("money-fr", (100, 30), "fr", ["3"]),
]


async def shoot(name: str, size: tuple[int, int], lang: str, keys: list[str]) -> None:
    app = StargateApp(load_pack(), lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        await shoot(*shot)
        print(f"docs/images/{shot[0]}.svg")


if __name__ == "__main__":
    asyncio.run(main())
