"""Command palette: jump to any pane or record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..loader import FactPack
from ..views import PANES, kind_label, t


class Explorer(Protocol):
    """What the palette needs of the app (the app module imports this one, not the reverse)."""

    pack: FactPack
    lang: str
    show_pane: Callable[[str], Awaitable[None]]
    open_record: Callable[[str], Awaitable[None]]


class RecordCommands(Provider):
    """Every pane and every record of the pack, ranked by Textual's fuzzy matcher."""

    _built: list[tuple[str, str, str, object]] | None = None

    def _commands(self) -> list[tuple[str, str, str, object]]:
        """Built once per palette opening, not on every keystroke."""
        if self._built is None:
            self._built = self._build()
        return self._built

    def _build(self) -> list[tuple[str, str, str, object]]:
        app = cast(Explorer, self.app)
        lang = app.lang
        go = "Aller à" if lang == "fr" else "Go to"
        volet = "Volet" if lang == "fr" else "Pane"
        out: list[tuple[str, str, str, object]] = []
        for number, pane in enumerate(PANES, start=1):
            name = t(pane, lang)
            out.append((name, f"{volet}: {name}", f"key {number}", partial(app.show_pane, pane)))
        for record in app.pack.records.values():
            out.append(
                (
                    record.title(lang),
                    f"{go}: {record.title(lang)}",
                    f"{kind_label(record.KIND, lang)} · {record.id}",
                    partial(app.open_record, record.id),
                )
            )
        return out

    async def discover(self) -> Hits:
        for _, text, help_text, callback in self._commands()[: len(PANES)]:
            yield DiscoveryHit(text, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = query.strip().casefold()
        for title, text, help_text, callback in self._commands():
            score = max(matcher.match(text), matcher.match(help_text) * 0.8)
            folded = title.casefold()
            if wanted and folded == wanted:
                score += 2  # the exact name beats every fuzzy match, then names it starts
            elif wanted and folded.startswith(wanted):
                score += 1
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)  # type: ignore[arg-type]
