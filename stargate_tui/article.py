"""The article behind a pack: its paragraphs, every cited span placed in them, and what no record cites.

Two modes, one interface (`ArticleMap`):

- *with the text* (`--source FILE`, or the `text_file` a pack names): each quote is placed at its
  offset in its paragraph. A quote is found verbatim (white space aside); failing that, with quote
  marks and case folded; failing that, in another paragraph (the text was renumbered); failing that,
  by its longest common run with the paragraph (an edited text, re-anchored the way W3C's
  TextQuoteSelector re-anchors by context). Every placement says which of these it is; a quote
  found nowhere is `missing`, listed and flagged, never dropped.
- *without it* (the default: the Stargate article is news-agency copy that the package does not
  ship): each paragraph is rebuilt from the pack's own quotes, joined by "…".

Offsets count characters in the paragraph as shown: white space squashed to single spaces, which is
how `check --source` compares quotes. No Textual here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .pack import FactPack

__all__ = [
    "ArticleMap",
    "ArticleText",
    "Coverage",
    "Span",
    "TextFileError",
    "article_text_for",
    "read_article",
    "split_paragraphs",
]

#: How a span was placed: verbatim; with quotes and case folded; in another paragraph than the one
#: cited; approximately (an edited text); not at all; or not looked for (no text).
State = Literal["exact", "folded", "elsewhere", "approximate", "missing", "unplaced"]

#: The share of a quote that must survive in an edited paragraph for it to be re-anchored there.
REANCHOR_SHARE = 0.6

#: Distinct quotes in one paragraph beyond which they are not joined (only generated packs have so many).
MERGE_LIMIT = 200

#: Larger article files are refused: an article is a few kilobytes.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024

ELLIPSIS = " … "


def squash(text: str) -> str:
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, white space squashed (as `check --source` reads them)."""
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    return [squash(b) for b in blocks if b.strip()]


class TextFileError(Exception):
    """The article's text could not be read: one line that says why."""


@dataclass(frozen=True)
class ArticleText:
    """The article's paragraphs (numbered from 1: index 0) and where they were read from."""

    paragraphs: tuple[str, ...]
    origin: str

    def paragraph(self, n: int) -> str | None:
        return self.paragraphs[n - 1] if 1 <= n <= len(self.paragraphs) else None


def read_article(path: Path) -> ArticleText:
    """Read an article file. Raises TextFileError (missing, unreadable, not UTF-8, too large)."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise TextFileError(f"{path}: {size:,} bytes; an article file is at most {MAX_ARTICLE_BYTES:,}")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise TextFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TextFileError(f"{path}: is a directory, not a text file") from None
    except UnicodeDecodeError:
        raise TextFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise TextFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return ArticleText(tuple(split_paragraphs(text)), path.name)


def text_file_path(pack: FactPack) -> Path | None:
    """The file the pack names in `pack.article.text_file`, resolved in the pack's directory; None
    when it names none. Raises TextFileError for a path that leaves the pack's directory."""
    name = pack.info.article.text_file
    if not name:
        return None
    base = pack.directory.resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):
        raise TextFileError(f"article.text_file {name!r} is outside the pack's directory")
    return path


def article_text_for(pack: FactPack) -> ArticleText | None:
    """The text the pack names in `pack.article.text_file` (None when it names none). Raises
    TextFileError for a path that leaves the pack's directory or a file that cannot be read."""
    path = text_file_path(pack)
    return read_article(path) if path is not None else None


# ---------------------------------------------------------------------------------------------
# placing the quotes


@dataclass(frozen=True)
class Span:
    """One source of one record, placed in the article. `start`/`end` index `found_in`'s text."""

    record_id: str
    index: int  # which source of the record, from 0
    paragraph: int  # the paragraph the record cites
    quote: str  # white space squashed
    state: State
    found_in: int = 0  # the paragraph where it was placed (0: nowhere)
    start: int = -1
    end: int = -1

    @property
    def placed(self) -> bool:
        return self.start >= 0

    @property
    def key(self) -> str:
        """A stable id for lists: `record#index`."""
        return f"{self.record_id}#{self.index}"


_QUOTES = str.maketrans({c: '"' for c in "“”«»„‟″"} | {c: "'" for c in "‘’‚‛′"})


def _fold(text: str) -> str:
    """Quote marks made straight and case folded, one character for one (offsets stay valid)."""
    folded = text.translate(_QUOTES)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _find(quote: str, text: str) -> tuple[State, int] | None:
    at = text.find(quote)
    if at >= 0:
        return "exact", at
    at = _fold(text).find(_fold(squash(quote.replace("\u00a0", " "))))
    if at >= 0:
        return "folded", at
    return None


def _reanchor(quote: str, text: str) -> tuple[int, int] | None:
    """Where most of `quote` survives in an edited `text`: the longest common run, widened to the
    quote's length around it; None when too little of the quote is left."""
    a, b = _fold(quote), _fold(text)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks:
        return None
    # the run of matching blocks around the longest one, in order in both strings
    best = max(blocks, key=lambda m: m.size)
    first = last = best
    kept = best.size
    for m in blocks:
        if m.a < first.a and m.b < first.b and first.b - (m.b + m.size) <= len(a):
            first, kept = m, kept + m.size
        elif m.a > last.a and m.b > last.b and m.b - (last.b + last.size) <= len(a):
            last, kept = m, kept + m.size
    if kept < REANCHOR_SHARE * len(a):
        return None
    start = max(0, first.b - first.a)
    end = min(len(text), last.b + last.size + (len(a) - last.a - last.size))
    return start, end


def place(record_id: str, index: int, paragraph: int, quote: str, paragraphs: tuple[str, ...]) -> Span:
    quote = squash(quote)
    cited = paragraphs[paragraph - 1] if 1 <= paragraph <= len(paragraphs) else None
    if cited is not None and (hit := _find(quote, cited)) is not None:
        state, at = hit
        return Span(record_id, index, paragraph, quote, state, paragraph, at, at + len(quote))
    for n, text in enumerate(paragraphs, start=1):
        if n != paragraph and (hit := _find(quote, text)) is not None:
            return Span(record_id, index, paragraph, quote, "elsewhere", n, hit[1], hit[1] + len(quote))
    if cited is not None and (where := _reanchor(quote, cited)) is not None:
        return Span(record_id, index, paragraph, quote, "approximate", paragraph, *where)
    return Span(record_id, index, paragraph, quote, "missing")


# ---------------------------------------------------------------------------------------------
# the map


@dataclass(frozen=True)
class Coverage:
    """How much of a paragraph the records cite, and the sentences none of them cites."""

    paragraph: int
    length: int
    cited: int  # characters inside at least one span
    uncited: tuple[tuple[int, int], ...]  # (start, end) of each sentence no span touches

    @property
    def share(self) -> float:
        return self.cited / self.length if self.length else 0.0


_SENTENCE_END = re.compile(r"""(?<=[.!?])(["»”]?)\s+(?=["«“]?[A-ZÀ-ÖØ-Þ])""")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append((start, match.start() + len(match.group(1))))
        start = match.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


@dataclass
class ArticleMap:
    """Every cited span of a pack, by paragraph and by record, in the article (`text`) or without it."""

    pack: FactPack
    text: ArticleText | None = None
    spans: list[Span] = field(init=False)

    def __post_init__(self) -> None:
        self.spans = []
        paragraphs = self.text.paragraphs if self.text is not None else None
        for record in self.pack.records.values():
            for index, source in enumerate(record.sources):
                if paragraphs is None:
                    span = Span(record.id, index, source.paragraph, squash(source.quote), "unplaced")
                else:
                    span = place(record.id, index, source.paragraph, source.quote, paragraphs)
                self.spans.append(span)
        self._by_paragraph: dict[int, list[Span]] = {}
        for span in self.spans:
            self._by_paragraph.setdefault(span.found_in or span.paragraph, []).append(span)
        for spans in self._by_paragraph.values():
            spans.sort(key=lambda s: (not s.placed, s.start, -s.end))
        self._pieces: dict[int, list[str]] = {}
        self._by_record: dict[str, list[Span]] = {}
        for span in self.spans:
            self._by_record.setdefault(span.record_id, []).append(span)

    @property
    def has_text(self) -> bool:
        return self.text is not None

    @property
    def count(self) -> int:
        """How many paragraphs: the text's when known, else the pack's count."""
        stated = self.pack.info.article.paragraphs
        return max(stated, len(self.text.paragraphs)) if self.text is not None else stated

    def paragraph_text(self, n: int) -> str | None:
        return self.text.paragraph(n) if self.text is not None else None

    def in_paragraph(self, n: int) -> list[Span]:
        """The spans shown in paragraph `n`, in article order (with the text) or pack order."""
        return list(self._by_paragraph.get(n, []))

    def of_record(self, record_id: str) -> list[Span]:
        """A record's spans in the order of its sources."""
        return list(self._by_record.get(record_id, []))

    def records_in(self, n: int) -> list[str]:
        """The ids of the records citing paragraph `n`, each once, in the order of their spans."""
        return list(dict.fromkeys(s.record_id for s in self.in_paragraph(n)))

    def flagged(self) -> list[Span]:
        """Spans not found where they were cited: elsewhere, approximate or missing."""
        return [s for s in self.spans if s.state in ("elsewhere", "approximate", "missing")]

    # -- without the text --------------------------------------------------------------------

    def pieces(self, n: int) -> list[str]:
        """Paragraph `n` rebuilt from its quotes: each distinct quote once, quotes inside a longer
        one left out, quotes that overlap joined; in article order when the text is known, else in
        the pack's order. (A paragraph cited by more than MERGE_LIMIT distinct quotes, which only a
        generated pack has, keeps them as they are: joining them is quadratic.)"""
        if n not in self._pieces:
            quotes = list(dict.fromkeys(span.quote for span in self.in_paragraph(n)))
            if len(quotes) > MERGE_LIMIT:
                self._pieces[n] = quotes
                return quotes
            kept = [q for q in quotes if not any(q != other and q in other for other in quotes)]
            merged: list[str] = []
            for quote in kept:
                for i, done in enumerate(merged):
                    joined = _overlap_join(done, quote) or _overlap_join(quote, done)
                    if joined:
                        merged[i] = joined
                        break
                else:
                    merged.append(quote)
            self._pieces[n] = merged
        return self._pieces[n]

    def reconstruction(self, n: int) -> str:
        return ELLIPSIS.join(self.pieces(n))

    def reconstruction_spans(
        self, n: int, limit: int | None = None
    ) -> tuple[str, list[tuple[Span, int, int]]]:
        """The rebuilt paragraph (its first `limit` pieces) and where each of its spans falls in it."""
        pieces = self.pieces(n)[:limit]
        text, starts = "", []
        for piece in pieces:
            if text:
                text += ELLIPSIS
            starts.append(len(text))
            text += piece
        where = {piece: start for piece, start in zip(pieces, starts, strict=True)}
        every = set(self.pieces(n))
        placed = []
        for span in self.in_paragraph(n):
            if span.quote in where:  # the piece is the quote itself
                start = where[span.quote]
                placed.append((span, start, start + len(span.quote)))
                continue
            if span.quote in every:  # a piece past the limit
                continue
            for piece, start in zip(pieces, starts, strict=True):
                at = piece.find(span.quote)
                if at >= 0:
                    placed.append((span, start + at, start + at + len(span.quote)))
                    break
        placed.sort(key=lambda p: (p[1], -p[2]))
        return text, placed

    def shown(self, n: int, limit: int | None = None) -> tuple[str, list[tuple[Span, int, int]]]:
        """Paragraph `n` as the Article pane shows it: the text with every placed span at its offset,
        or the reconstruction (its first `limit` pieces) with its spans."""
        text = self.paragraph_text(n)
        if text is None:
            return self.reconstruction_spans(n, limit)
        return text, [(s, s.start, s.end) for s in self.in_paragraph(n) if s.placed]

    # -- coverage ------------------------------------------------------------------------------

    def coverage(self, n: int) -> Coverage | None:
        """None without the text."""
        text = self.paragraph_text(n)
        if text is None:
            return None
        marked = [False] * len(text)
        for span in self.in_paragraph(n):
            if span.placed:
                for i in range(span.start, min(span.end, len(text))):
                    marked[i] = True
        uncited = tuple((a, b) for a, b in sentences(text) if not any(marked[a:b]))
        return Coverage(n, len(text), sum(marked), uncited)


def _overlap_join(left: str, right: str, least: int = 4) -> str | None:
    """`left` and `right` joined when the end of `left` is the start of `right` (`least` characters
    or more), else None."""
    for size in range(min(len(left), len(right)) - 1, least - 1, -1):
        if left.endswith(right[:size]):
            return left + right[size:]
    return None


def span_citation(span: Span, pack: FactPack, lang: str) -> str:
    """A span as `c` copies it: the words, then where they are (“…” — article (date), paragraph N)."""
    record = pack.get(span.record_id)
    article = pack.info.article
    word = "paragraphe" if lang == "fr" else "paragraph"
    about = f" [{record.title(lang)}]" if record is not None else ""
    return f"“{span.quote}” — {article.title.get(lang)} ({article.date}), {word} {span.paragraph}{about}"


# ---------------------------------------------------------------------------------------------
# plain data (json and yaml output)


def span_builtins(span: Span) -> dict[str, object]:
    """A span for json/yaml: offsets index the paragraph `found_in` (white space squashed); -1 when
    the span was not placed (no text, or not found)."""
    return {
        "record": span.record_id,
        "source": span.index,
        "paragraph": span.paragraph,
        "quote": span.quote,
        "state": span.state,
        "found_in": span.found_in or None,
        "start": span.start if span.placed else None,
        "end": span.end if span.placed else None,
    }


def article_builtins(article: ArticleMap) -> dict[str, object]:
    """The Article pane as data: each paragraph's text (None without it), its rebuilt form, its spans
    and, with the text, its coverage."""
    paragraphs = []
    for n in range(1, article.count + 1):
        coverage = article.coverage(n)
        text = article.paragraph_text(n)
        paragraphs.append(
            {
                "paragraph": n,
                "text": text,
                "rebuilt": article.reconstruction(n),
                "spans": [span_builtins(s) for s in article.in_paragraph(n)],
                "cited_share": round(coverage.share, 3) if coverage is not None else None,
                "uncited": [text[a:b] for a, b in coverage.uncited] if coverage and text else [],
            }
        )
    return {
        "text": article.text.origin if article.text is not None else None,
        "paragraphs": paragraphs,
    }
