"""Search over every record: names and text in both languages, values, quotes. No Textual."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from .model import Record
from .views import LANGS, detail, list_label

if TYPE_CHECKING:
    from .article import ArticleMap
    from .pack import FactPack


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strip_marks(run: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", run.group())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case and strip accents so that "etats" finds "États" and "societe" finds "société".

    Only the runs of non-ASCII characters are decomposed: ASCII is its own decomposition and never
    reorders with a combining mark (10,000 records: 0.5 s to fold character by character)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _NOT_ASCII.sub(_strip_marks, folded)


class Hit(NamedTuple):
    record: Record
    score: int


class SearchIndex:
    """Built once per pack; a query is a scan of pre-folded strings (10,000 records in a few ms)."""

    def __init__(self, pack: FactPack, article: ArticleMap | None = None) -> None:
        """`article`, with the article's text: a record is also found by the words of the sentences
        its quotes stand in (a search for the article's words finds the records citing them)."""
        self._entries: list[tuple[Record, tuple[str, ...], str, str]] = []
        context = _sentences_cited(article) if article is not None and article.has_text else {}
        for record in pack.records.values():
            names = tuple({fold(record.title(lang)) for lang in LANGS})
            titles = " ".join(record.title(lang) for lang in LANGS)
            texts = [record.id, titles]
            for lang in LANGS:
                d = detail(record, pack, lang, links=False)  # the index holds no links
                texts.append(list_label(record, lang))
                texts.extend(value for _, value in d.facts)
                texts.extend(d.body)
            texts.extend(s.quote for s in record.sources)
            texts.extend(context.get(record.id, ()))
            self._entries.append((record, names, fold(titles + " " + record.id), fold(" ".join(texts))))

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        """Every record matching all the words of `query`, best first (the first `limit` of them)."""
        words = fold(query).split()
        if not words:
            return []
        phrase = " ".join(words)
        # the longest word first, in one comprehension (no generator per record): most records
        # fail on it; the others are checked for the remaining words
        words.sort(key=len, reverse=True)
        first, rest = words[0], words[1:]
        candidates = [e for e in self._entries if first in e[3]]
        if rest:
            candidates = [e for e in candidates if all(w in e[3] for w in rest)]
        hits = []
        for record, names, title, _ in candidates:
            # an exact name first, then names that start with the query, then words in names
            score = 0
            for w in words:
                score += 3 if w in title else 1
            if phrase in names:
                score += 100
            else:
                for name in names:
                    if name.startswith(phrase):
                        score += 10
                        break
            hits.append(Hit(record, score))
        hits.sort(key=lambda h: -h.score)
        return hits if limit is None else hits[:limit]


def _sentences_cited(article: ArticleMap) -> dict[str, list[str]]:
    """Each record's id and the whole sentences of the article its spans fall in."""
    from .article import sentences

    out: dict[str, list[str]] = {}
    for n in range(1, article.count + 1):
        text = article.paragraph_text(n)
        if not text:
            continue
        bounds = sentences(text)
        for span in article.in_paragraph(n):
            if span.placed:
                out.setdefault(span.record_id, []).extend(
                    text[a:b] for a, b in bounds if a < span.end and span.start < b
                )
    return out
