"""Search over every record: names and text in both languages, values, quotes. No Textual."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Record
from .views import LANGS, detail, list_label

if TYPE_CHECKING:
    from .loader import FactPack


def fold(text: str) -> str:
    """Lower-case and strip accents so that "etats" finds "États" and "societe" finds "société"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Hit:
    record: Record
    score: int


class SearchIndex:
    """Built once per pack; a query is a scan of pre-folded strings (10,000 records in a few ms)."""

    def __init__(self, pack: FactPack) -> None:
        self._entries: list[tuple[Record, tuple[str, ...], str, str]] = []
        for record in pack.records.values():
            names = tuple({fold(record.title(lang)) for lang in LANGS})
            titles = " ".join(record.title(lang) for lang in LANGS)
            texts = [record.id, titles]
            for lang in LANGS:
                d = detail(record, pack, lang)
                texts.append(list_label(record, lang))
                texts.extend(value for _, value in d.facts)
                texts.extend(d.body)
            texts.extend(s.quote for s in record.sources)
            self._entries.append((record, names, fold(titles + " " + record.id), fold(" ".join(texts))))

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        """Every record matching all the words of `query`, best first (the first `limit` of them)."""
        words = fold(query).split()
        if not words:
            return []
        phrase = " ".join(words)
        hits = []
        for record, names, title, text in self._entries:
            if all(w in text for w in words):
                # an exact name first, then names that start with the query, then words in names
                score = sum(3 if w in title else 1 for w in words)
                if phrase in names:
                    score += 100
                elif any(name.startswith(phrase) for name in names):
                    score += 10
                hits.append(Hit(record, score))
        hits.sort(key=lambda h: -h.score)
        return hits if limit is None else hits[:limit]
