"""Plain output for scripts, pipes and dumb terminals: `show` and `export` in text, markdown, json, yaml.

Every label, amount, date, status, list and detail comes from `views`, exactly as the explorer shows
it; this module only lays it out. It never imports Textual (Rich only for the text format), so a
pipeline pays for neither.

JSON and YAML hold the records as the model holds them (`msgspec.to_builtins`), in three documents
described by `json_schema()` (published as docs/record.schema.json):

- a pane:    {"pane": NAME, "sections": [{"key": KEY, "records": [ENTRY, ...]}, ...]}
- a record:  {"kind": KIND, "record": {...}, "links": [{"field", "id", "kind", "incoming"}, ...]}
- the pack:  {"pack": {...}, "organisations": [...], "people": [...], ...}: a valid one-file fact pack

where ENTRY is {"kind": KIND, "record": {...}}.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import msgspec

from .model import KINDS, RECORD_TYPES, SECTIONS, PackInfo, Record
from .views import (
    PANES,
    Detail,
    Section,
    chart_legend,
    chart_more,
    chart_rows,
    citation_lines,
    colon,
    detail,
    kind_label,
    list_label,
    overlaps,
    pane_sections,
    status_label,
    t,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from .article import ArticleMap, ArticleText, Span
    from .pack import FactPack

FORMATS: tuple[str, ...] = ("text", "markdown", "json", "yaml")
DEFAULT_WIDTH = 100
MIN_WIDTH, MAX_WIDTH = 20, 1000

#: The panes whose sections, together, list every record once: the grouping of `export`.
_EXPORT_PANES: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("partners", None),
    ("people", None),
    ("locations", None),
    ("money", None),
    ("timeline", None),
    ("politics", ("claims", "quotations")),
)


# ---------------------------------------------------------------------------------------------
# what to show


@dataclass(frozen=True)
class Target:
    """What `show` was asked for: a pane, or one record."""

    pane: str | None = None
    record: Record | None = None

    def describe(self, lang: str) -> str:
        if self.record is not None:
            return f"record {self.record.id}"
        pane = self.pane or "overview"
        return "overview" if pane == "overview" else f"{pane} pane"


class UnknownTarget(LookupError):
    """Neither a pane nor a record id; `suggestions` are the close matches."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        if suggestions:
            hint = f"did you mean {_or(suggestions)}?"
        else:
            hint = f"panes are {', '.join(PANES)}; `export --format json` lists every record id"
        super().__init__(f"no pane or record {name!r}; {hint}")


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def resolve(pack: FactPack, name: str) -> Target:
    """A pane name (case-insensitive) wins over a record id of the same spelling."""
    if name.lower() in PANES:
        return Target(pane=name.lower())
    record = pack.get(name)
    if record is not None:
        return Target(record=record)
    raise UnknownTarget(name, close_matches(pack, name))


def close_matches(pack: FactPack, name: str, limit: int = 5) -> list[str]:
    """Panes and ids spelled like `name`, then ids that contain it."""
    candidates = [*PANES, *pack.records]
    key = name.lower()
    found = difflib.get_close_matches(key, candidates, n=limit, cutoff=0.6)
    if len(key) >= 3:
        found += [c for c in candidates if key in c and c not in found]
    return found[:limit]


def sections_of(pack: FactPack, pane: str) -> list[Section]:
    """The pane's sections as the explorer lists them: each record once, empty sections left out."""
    out: list[Section] = []
    seen: set[str] = set()
    for section in pane_sections(pack, pane):
        records = tuple(r for r in section.records if r.id not in seen)
        seen.update(r.id for r in records)
        if records:
            out.append(Section(section.key, records))
    return out


def export_sections(pack: FactPack) -> list[Section]:
    """Every record of the pack once, grouped by the sections the explorer uses."""
    out: list[Section] = []
    seen: set[str] = set()
    for pane, keys in _EXPORT_PANES:
        for section in pane_sections(pack, pane):
            if keys is not None and section.key not in keys:
                continue
            records = tuple(r for r in section.records if r.id not in seen)
            seen.update(r.id for r in records)
            if records:
                out.append(Section(section.key, records))
    for kind in KINDS:  # anything no pane lists still gets exported
        rest = tuple(r for r in pack.of_kind(kind) if r.id not in seen)
        if rest:
            out.append(Section(kind, rest))
    return out


# ---------------------------------------------------------------------------------------------
# entry points


def render(
    pack: FactPack,
    target: Target | None,
    fmt: str,
    lang: str = "en",
    width: int = DEFAULT_WIDTH,
    *,
    color: bool = False,
    ascii_only: bool = False,
    article: ArticleText | None = None,
) -> str:
    """`show` (a pane or a record) or, with `target=None`, `export` (the whole pack), as a string.

    `color` lets the text format carry terminal styles; without it the output has no control
    sequence at all. `ascii_only` escapes non-ASCII characters in json and yaml. `article`: the
    article's text, for the Article pane and the offsets of a record's spans.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if target is not None and target.pane == "article" and fmt in ("text", "markdown"):
        from .article import ArticleMap

        amap = ArticleMap(pack, article)
        if fmt == "markdown":
            return markdown_article(amap, lang)
        return render_text(text_article(amap, lang), width, color=color)
    if fmt in ("json", "yaml"):
        doc = document(pack, target, article)
        return to_json(doc, ascii_only=ascii_only) if fmt == "json" else to_yaml(doc, ascii_only=ascii_only)
    if fmt == "markdown":
        if target is None:
            return markdown_pack(pack, lang)
        if target.record is not None:
            return markdown_record(pack, target.record, lang)
        return markdown_pane(pack, target.pane or "overview", lang)
    if target is None:
        parts = text_pack(pack, lang, width)
    elif target.record is not None:
        parts = [record_panel(pack, target.record, lang)]
    else:
        parts = text_pane(pack, target.pane or "overview", lang, width)
    return render_text(parts, width, color=color)


# ---------------------------------------------------------------------------------------------
# json and yaml: the records as the model holds them


def entry(record: Record) -> dict[str, Any]:
    return {"kind": record.KIND, "record": msgspec.to_builtins(record)}


def document(pack: FactPack, target: Target | None, article: ArticleText | None = None) -> dict[str, Any]:
    """The builtins (dicts, lists, str, float, bool, None) of a pane, a record or the whole pack.
    The Article pane adds its paragraphs; with the article's text, a record adds its spans."""
    if target is None:
        doc: dict[str, Any] = {"pack": msgspec.to_builtins(pack.info)}
        for name, cls in SECTIONS.items():
            doc[name] = [msgspec.to_builtins(r) for r in pack.of_kind(cls.KIND)]
        return doc
    if target.record is not None:
        d = detail(target.record, pack, "en")
        links = [
            {"field": link.field, "id": link.target.id, "kind": link.target.KIND, "incoming": link.incoming}
            for link in d.links
        ]
        doc = {**entry(target.record), "links": links}
        if article is not None:
            from .article import ArticleMap, span_builtins

            doc["spans"] = [span_builtins(s) for s in ArticleMap(pack, article).of_record(target.record.id)]
        return doc
    pane = target.pane or "overview"
    doc = {
        "pane": pane,
        "sections": [
            {"key": s.key, "records": [entry(r) for r in s.records]} for s in sections_of(pack, pane)
        ],
    }
    if pane == "article":
        from .article import ArticleMap, article_builtins

        doc["article"] = article_builtins(ArticleMap(pack, article))
    return doc


def to_json(doc: object, *, ascii_only: bool = False) -> str:
    if ascii_only:
        import json

        return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
    return msgspec.json.format(msgspec.json.encode(doc), indent=2).decode("utf-8") + "\n"


def to_yaml(doc: object, *, ascii_only: bool = False) -> str:
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        doc,
        Dumper=dumper,
        allow_unicode=not ascii_only,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text


def record_from(data: Mapping[str, Any]) -> Record:
    """The record of an ENTRY ({"kind", "record"}) read back from json or yaml."""
    cls = KINDS[data["kind"]]
    return msgspec.convert(data["record"], cls)


def pack_from(data: Mapping[str, Any]) -> tuple[PackInfo, list[Record]]:
    """The pack info and records of an exported pack document read back from json or yaml."""
    info = msgspec.convert(data["pack"], PackInfo)
    records = [msgspec.convert(item, cls) for name, cls in SECTIONS.items() for item in data.get(name, [])]
    return info, records


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of every json document `show` and `export` print."""
    _, defs = msgspec.json.schema_components([*RECORD_TYPES, PackInfo], ref_template="#/$defs/{name}")
    kinds = [cls.KIND for cls in RECORD_TYPES]

    def closed(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
            **extra,
        }

    entries = [
        closed({"kind": {"const": cls.KIND}, "record": {"$ref": f"#/$defs/{cls.__name__}"}})
        for cls in RECORD_TYPES
    ]
    defs["Entry"] = {
        "title": "Entry",
        "description": "One record with its kind, which says which record schema it follows.",
        "oneOf": entries,
    }
    defs["Link"] = closed(
        {
            "field": {"type": "string", "description": "the field holding the link (on the source record)"},
            "id": {"type": "string", "description": "the linked record"},
            "kind": {"enum": kinds},
            "incoming": {"type": "boolean", "description": "true when the linked record points here"},
        },
        title="Link",
    )
    defs["PaneDocument"] = closed(
        {
            "pane": {"enum": list(PANES)},
            "sections": {
                "type": "array",
                "items": closed(
                    {
                        "key": {"type": "string", "description": "section key, e.g. money-figures"},
                        "records": {"type": "array", "items": {"$ref": "#/$defs/Entry"}, "minItems": 1},
                    }
                ),
            },
        },
        title="PaneDocument",
        description="`show PANE --format json`: the pane's sections and records, in the explorer's order.",
    )
    span = closed(
        {
            "record": {"type": "string"},
            "source": {"type": "integer", "description": "which source of the record, from 0"},
            "paragraph": {"type": "integer", "description": "the paragraph the record cites"},
            "quote": {"type": "string", "description": "the quote, white space squashed"},
            "state": {"enum": ["exact", "folded", "elsewhere", "approximate", "missing", "unplaced"]},
            "found_in": {"type": ["integer", "null"], "description": "the paragraph it was found in"},
            "start": {"type": ["integer", "null"], "description": "offset in that paragraph's text"},
            "end": {"type": ["integer", "null"]},
        },
        title="ArticleSpan",
    )
    defs["ArticleSpan"] = span
    defs["PaneDocument"]["properties"]["article"] = {
        "description": "`show article` only: each paragraph's text (null without --source), its form "
        "rebuilt from the quotes, its spans and, with the text, the share of it cited",
        "type": "object",
    }
    record_doc = closed(
        {
            "kind": {"enum": kinds},
            "record": {"type": "object"},
            "links": {"type": "array", "items": {"$ref": "#/$defs/Link"}},
        },
        title="RecordDocument",
        description="`show RECORD_ID --format json`: one record, its kind and its links (out, then in).",
    )
    record_doc["properties"]["spans"] = {
        "description": "with --source only: where each source's quote is in the article",
        "type": "array",
        "items": {"$ref": "#/$defs/ArticleSpan"},
    }
    record_doc["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": cls.KIND}}},
            "then": {"properties": {"record": {"$ref": f"#/$defs/{cls.__name__}"}}},
        }
        for cls in RECORD_TYPES
    ]
    defs["RecordDocument"] = record_doc
    defs["PackDocument"] = closed(
        {
            "pack": {"$ref": "#/$defs/PackInfo"},
            **{
                name: {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
                for name, cls in SECTIONS.items()
            },
        },
        title="PackDocument",
        description="`export --format json`: the whole pack, itself a valid one-file fact pack.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stargate-tui plain output (json)",
        "description": (
            "What `stargate-tui show` and `stargate-tui export` print with `--format json` (and, "
            "as the same data, with `--format yaml`). Generated from the record model; see "
            "docs/plain-output.md."
        ),
        "oneOf": [
            {"$ref": "#/$defs/PaneDocument"},
            {"$ref": "#/$defs/RecordDocument"},
            {"$ref": "#/$defs/PackDocument"},
        ],
        "$defs": dict(sorted(defs.items())),
    }


def json_schema_text() -> str:
    return to_json(json_schema())


# ---------------------------------------------------------------------------------------------
# text: Rich tables and panels


def render_text(parts: list[RenderableType], width: int, *, color: bool = False) -> str:
    """Render to a string; with `color` False there is no escape sequence in it."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
    )
    for index, part in enumerate(parts):
        if index:
            console.print()
        console.print(part)
    text = buffer.getvalue()
    if color:
        return text
    return "".join(line.rstrip() + "\n" for line in text.splitlines())  # Rich pads lines to the width


def chart_lines(pack: FactPack, width: int, lang: str) -> list[str]:
    """The money chart as plain lines, drawn by `views.chart_rows` as the explorer draws it."""
    rows = chart_rows(pack, width, lang)
    if not rows:
        return []
    lines = ["".join(text for text, _ in row).rstrip() for row in rows]
    more = chart_more(pack, len(rows), lang)
    if more:
        lines.append(more)
    return lines


def _status(record: Record, lang: str) -> str:
    status = getattr(record, "status", None)
    return status_label(status, lang) if isinstance(status, str) else ""


def text_pane(pack: FactPack, pane: str, lang: str, width: int) -> list[RenderableType]:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    title = f"{t(pane, lang)} — {pack.info.title.get(lang)}"
    if pane == "overview":
        parts.append(Panel(Text(pack.info.summary.get(lang)), title=title, title_align="left"))
    else:
        parts.append(Text(title, style="bold"))
    if pane == "money":
        lines = chart_lines(pack, width - 4, lang)
        if lines:
            chart = Text("\n".join(lines), no_wrap=True, overflow="crop")
            legend = chart_legend(chart_rows(pack, width - 4, lang), lang)
            notes = [Text(legend, style="italic")] if legend else []
            notes += [Text(f"• {line}") for line in overlaps(pack, lang)]
            parts.append(Panel(Group(chart, *notes), title=t("chart", lang), title_align="left"))
    for section in sections_of(pack, pane):
        table = Table(
            title=section.title(lang),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            expand=True,
            leading=1,
            pad_edge=False,
        )
        statuses = [_status(record, lang) for record in section.records]
        table.add_column("id", style="dim", no_wrap=True, overflow="fold")
        table.add_column("", ratio=3)
        if any(statuses):
            table.add_column(t("status", lang), no_wrap=True)
        table.add_column(t("provenance", lang), ratio=4, style="italic")
        for record, status in zip(section.records, statuses, strict=True):
            sources = "\n".join(citation_lines(record.sources, lang))
            cells = [record.id, list_label(record, lang), *([status] if any(statuses) else []), sources]
            table.add_row(*cells)
        parts.append(table)
    return parts


def record_panel(pack: FactPack, record: Record, lang: str, *, links: bool = True) -> RenderableType:
    """One record's detail, as the explorer's detail view shows it, in a panel."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    d: Detail = detail(record, pack, lang)
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(ratio=1)
    for label, value in d.facts:
        facts.add_row(label, value)
    parts: list[RenderableType] = [facts]
    for paragraph in d.body:
        parts += [Text(""), Text(paragraph)]
    parts += [Text(""), Text(t("provenance", lang), style="bold underline")]
    parts += [Text(line, style="italic") for line in citation_lines(d.sources, lang)]
    if d.background:
        parts += [Text(""), Text(t("background", lang), style="bold underline")]
        notes = Table.grid(padding=(0, 1))
        notes.add_column(no_wrap=True)
        notes.add_column(ratio=1)
        for note, basis in d.background:
            notes.add_row("•", Text(note))
            notes.add_row("", Text(f"{t('basis', lang)}{colon(lang)} {basis}", style="italic"))
        parts.append(notes)
    if links and d.links:
        parts += [Text(""), Text(t("links", lang), style="bold underline")]
        parts += [Text(f"{link.label(lang)} [{link.target.id}]") for link in d.links]
    return Panel(
        Group(*parts),
        title=Text(d.title, style="bold"),
        title_align="left",
        subtitle=record.id,
        subtitle_align="right",
    )


def text_article(article: ArticleMap, lang: str) -> list[RenderableType]:
    """`show article`: each paragraph (or its rebuilt form) with its spans styled, then its spans
    listed with the records citing them (so that the spans are plain even without styles)."""
    from rich.table import Table
    from rich.text import Text

    pack = article.pack
    note = (
        t("with-text", lang).replace("{origin}", article.text.origin) if article.text else t("no-text", lang)
    )
    parts: list[RenderableType] = [
        Text(f"{t('article', lang)} — {_article_line(pack, lang)}", style="bold"),
        Text(note, style="italic"),
    ]
    for n in range(1, article.count + 1):
        text, placed = article.shown(n)
        body = Text(f"¶{n}  ", style="bold")
        paragraph = Text(text or "…")
        coverage = article.coverage(n)
        if coverage is not None:
            for start, end in coverage.uncited:
                paragraph.stylize("dim", start, end)
        for _, start, end in placed:
            paragraph.stylize("underline", start, end)
        body.append_text(paragraph)
        parts.append(body)
        spans = Table.grid(padding=(0, 1))
        spans.add_column(no_wrap=True)
        spans.add_column(ratio=1, style="italic")
        for span in article.in_paragraph(n):
            record = pack.get(span.record_id)
            title = record.title(lang) if record is not None else span.record_id
            spans.add_row("  •", f"“{span.quote}” — {title} [{span.record_id}]{_span_flag(span, lang)}")
        parts.append(spans if spans.row_count else Text(f"  {t('no-spans', lang)}", style="italic"))
    return parts


def _span_flag(span: Span, lang: str) -> str:
    if span.state in ("exact", "unplaced"):
        return ""
    return " (" + t(f"span-flag-{span.state}", lang).replace("{n}", str(span.found_in)) + ")"


def text_pack(pack: FactPack, lang: str, width: int) -> list[RenderableType]:
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.text import Text

    info = pack.info
    head = Text(info.summary.get(lang))
    head.append(f"\n\n{_article_line(pack, lang)}", style="italic")
    parts: list[RenderableType] = [Panel(head, title=info.title.get(lang), title_align="left")]
    for section in export_sections(pack):
        parts.append(Rule(_section_title(section, lang), align="left", style="bold"))
        parts += [record_panel(pack, record, lang) for record in section.records]
    return parts


def _section_title(section: Section, lang: str) -> str:
    title = section.title(lang)
    return kind_label(section.key, lang) if title == section.key else title


def _article_line(pack: FactPack, lang: str) -> str:
    article = pack.info.article
    publisher = f", {article.publisher}" if article.publisher else ""
    return f"{article.title.get(lang)} ({article.date}{publisher}; {article.paragraphs} ¶)"


# ---------------------------------------------------------------------------------------------
# markdown


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|$~#"})


def md(text: str) -> str:
    """Text escaped for GitHub-flavoured Markdown (`$` too: GitHub reads `$…$` as maths)."""
    return text.translate(_MD_SPECIAL).replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`"


def markdown_pane(pack: FactPack, pane: str, lang: str) -> str:
    out = [f"# {md(t(pane, lang))} — {md(pack.info.title.get(lang))}", ""]
    if pane == "overview":
        out += [md(pack.info.summary.get(lang)), ""]
    if pane == "money":
        lines = chart_lines(pack, 76, lang)
        if lines:
            out += [f"## {md(t('chart', lang))}", "", "```text", *lines, "```", ""]
            legend = chart_legend(chart_rows(pack, 76, lang), lang)
            out += [f"*{md(legend)}*", ""] if legend else []
            notes = overlaps(pack, lang)
            if notes:
                out += [f"- {md(line)}" for line in notes] + [""]
    for section in sections_of(pack, pane):
        out += [f"## {md(section.title(lang))}", ""]
        for record in section.records:
            status = _status(record, lang)
            head = f"- **{md(list_label(record, lang))}**"
            if status:
                head += f" ({md(status)})"
            out.append(f"{head} · {_code(record.id)}")
            out += [f"  - {md(line)}" for line in citation_lines(record.sources, lang)]
        out.append("")
    return "\n".join(out)


def markdown_article(article: ArticleMap, lang: str) -> str:
    """`show article --format markdown`: each paragraph with its cited spans in bold (overlapping
    spans merged), then the spans with their records."""
    pack = article.pack
    note = (
        t("with-text", lang).replace("{origin}", article.text.origin) if article.text else t("no-text", lang)
    )
    out = [f"# {md(t('article', lang))} — {md(pack.info.title.get(lang))}", "", f"*{md(note)}*", ""]
    for n in range(1, article.count + 1):
        text, placed = article.shown(n)
        runs: list[list[int]] = []
        for _, start, end in sorted(placed, key=lambda p: p[1]):
            if runs and start <= runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        shown, at = "", 0
        for start, end in runs:
            shown += md(text[at:start]) + "**" + md(text[start:end]).strip() + "**"
            at = end
        shown += md(text[at:])
        out += [f"## ¶{n}", "", shown or "…", ""]
        for span in article.in_paragraph(n):
            record = pack.get(span.record_id)
            title = record.title(lang) if record is not None else span.record_id
            out.append(
                f"- “{md(span.quote)}” — {md(title)} · {_code(span.record_id)}{md(_span_flag(span, lang))}"
            )
        out.append("")
    return "\n".join(out)


def markdown_record(pack: FactPack, record: Record, lang: str, *, level: int = 1) -> str:
    d = detail(record, pack, lang)
    h = "#" * level
    out = [f"{h} {md(d.title)}", "", _code(record.id), ""]
    out += [f"- **{md(label)}:** {md(value)}" for label, value in d.facts]
    out.append("")
    for paragraph in d.body:
        out += [md(paragraph), ""]
    out += [f"**{md(t('provenance', lang))}**", ""]
    out += [f"- {md(line)}" for line in citation_lines(d.sources, lang)]
    out.append("")
    if d.background:
        out += [f"**{md(t('background', lang))}**", ""]
        out += [f"- {md(note)} — *{md(t('basis', lang))}:* {md(basis)}" for note, basis in d.background]
        out.append("")
    if d.links:
        out += [f"**{md(t('links', lang))}**", ""]
        out += [f"- {md(link.label(lang))} · {_code(link.target.id)}" for link in d.links]
        out.append("")
    return "\n".join(out)


def markdown_pack(pack: FactPack, lang: str) -> str:
    info = pack.info
    out = [f"# {md(info.title.get(lang))}", "", md(info.summary.get(lang)), ""]
    out += [f"*{md(_article_line(pack, lang))}*", ""]
    for section in export_sections(pack):
        out += [f"## {md(_section_title(section, lang))}", ""]
        out += [markdown_record(pack, record, lang, level=3) for record in section.records]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# terminals and files


def plain_reason(stdin: IO[str] | None, stdout: IO[str] | None, environ: Mapping[str, str]) -> str | None:
    """Why the explorer cannot run here (and plain text is printed instead), or None."""
    if environ.get("TERM", "") == "dumb":
        return "TERM is dumb"
    if stdout is None or not _isatty(stdout):
        return "stdout is not a terminal"
    if stdin is None or not _isatty(stdin):
        return "stdin is not a terminal"
    return None


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def use_color(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """Styles only on a real terminal that is not dumb; NO_COLOR is honoured by `render_text`."""
    return _isatty(stream) and environ.get("TERM", "") != "dumb"


def output_width(requested: int | None, stream: IO[str]) -> int:
    """`--width`, else the terminal's width when writing to one, else 100."""
    if requested:
        return requested
    if _isatty(stream):
        import shutil

        return max(MIN_WIDTH, min(MAX_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns))
    return DEFAULT_WIDTH


def can_encode(stream: IO[str], text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and `os.replace`.

    Either the whole new file is there or the old one (if any) is untouched; the temporary file is
    removed on any failure, interruption included. Keeps an existing file's permissions.
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
