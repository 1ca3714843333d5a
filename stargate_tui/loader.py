"""Load and validate a fact pack: safe YAML, strict records, every problem reported with its position.

One path for every pack: each file is composed into a node tree by PyYAML's safe parser (libyaml's
when it is there), and the tree is walked into plain dicts, lists and scalars, keeping the line and
column of every value and key. The walk constructs only the plain types (no Python object is ever
built from a tag), rejects duplicate keys, and bounds nesting and alias expansion. msgspec then
validates the data against the model, and the records are checked across the pack.

With `cache`, a pack validated before is read from the cache of validated packs (cache.py).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import yaml

from . import cache as pack_cache
from .model import KINDS, SECTIONS, PackInfo, Record
from .pack import (
    EMBEDDED_CONTENT,
    ENV_CONTENT,
    MAX_FILES,
    FactPack,
    PackInvalid,
    PackUnavailable,
    Problem,
    default_content_dir,
    locate,
    pack_files,
)

__all__ = [
    "EMBEDDED_CONTENT",
    "ENV_CONTENT",
    "MAX_DEPTH",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "FactPack",
    "PackInvalid",
    "PackUnavailable",
    "Problem",
    "YamlProblem",
    "check_quotes",
    "default_content_dir",
    "load_pack",
    "pack_files",
    "parse_yaml",
    "read_paragraphs",
]

#: Limits that keep a hostile or broken file from hanging or exhausting the loader.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 2_000_000  # per file, counting every alias expansion

#: libyaml's parser when PyYAML was built with it, else the pure-Python one (slower, just as safe).
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_YAML = "tag:yaml.org,2002:"
_CONSTRUCTED = {_YAML + t for t in ("int", "float", "bool", "null")}
#: Scalars kept as written: strings, and what YAML 1.1 resolves plain dates, `<<`, `=` to.
_TEXT = {_YAML + t for t in ("str", "timestamp", "merge", "value", "yaml")}
_CONTAINERS = {_YAML + "map", _YAML + "seq"}

Path_ = tuple[str | int, ...]
Progress = Callable[[int, int], None]


def load_pack(
    directory: Path | str | None = None,
    *,
    source: Path | str | None = None,
    cache: bool = False,
    progress: Progress | None = None,
) -> FactPack:
    """Read and validate every YAML file of a pack (None: the default one). Raises PackInvalid or
    PackUnavailable.

    `source`: the article's text, to check every quote against. `cache`: a pack whose files are byte
    for byte those of a pack validated before is read from the cache instead (never with `source`).
    `progress(done_bytes, total_bytes)` is called after each file read."""
    directory, files = locate(directory)
    key = pack_cache.key_for(files) if cache and source is None else None
    if key is not None:
        hit = pack_cache.read(key)
        if hit is not None:
            return FactPack(*hit, directory, files)
    problems: list[Problem] = []
    with _no_garbage_collection():
        results = _read_files(files, problems, progress)
    info = _check_info(results, problems)
    records = _check_records(results, problems, info)
    if source is not None:
        problems.extend(check_quotes(results, Path(source)))
    if problems or info is None:
        raise PackInvalid(problems)
    pack = FactPack(info, records, directory, files)
    if key is not None:
        pack_cache.write(key, pack)
    return pack


@contextlib.contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Reading YAML makes an object per node and per value (10,000 records: millions), which the
    cyclic garbage collector would scan again and again, for half the time of the whole read; nothing
    made here needs it. (Not around a cached read: collecting later cost a launch more than it saved.)"""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ---------------------------------------------------------------------------------------------
# YAML → plain data with positions


class _Positions:
    """Line and column (1-based) of every value node, and of every mapping key, by path."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def at(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor known (content reached via an alias)."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


class YamlProblem(Exception):
    """A file that is not the plain YAML data a pack is written in, and where."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def parse_yaml(text: str) -> tuple[Any, _Positions]:
    """One YAML document as dicts, lists and scalars (None for none), with the position of every
    node. Raises YamlProblem."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise YamlProblem(*_yaml_error(exc, text)) from None
    except RecursionError:  # the pure-Python parser nests a call per level; libyaml stops at 1000
        raise YamlProblem(1, 1, f"nesting deeper than {MAX_DEPTH} levels") from None
    walk = _Walk(text)
    return (None if root is None else walk.value(root, (), 0)), walk.pos


def _mark(item: Any) -> tuple[int, int]:
    """The 1-based line and column where a node or an event starts."""
    return item.start_mark.line + 1, item.start_mark.column + 1


class _Walk:
    """A composed node tree → plain data, positions recorded on the way.

    Composition shares a node wherever an alias refers to it: the walk builds each node once and
    gives an alias the value already built, adding its node count to the file's budget (so a
    "billion laughs" file is refused as soon as the count passes MAX_NODES, long before anything is
    expanded). A node met again while it is still being built is a recursive alias. The tree does
    not say where its aliases are written, so the parser's events tell, for a file that has any."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = _Positions()
        self.nodes = 0
        self.built: dict[int, tuple[Any, int]] = {}  # id(node) -> its value and node count
        self.open: set[int] = set()  # ids of the containers being built
        self.aliases: list[tuple[str, tuple[int, int]]] | None = None  # (name, position), in order
        self.aliases_met = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def value(self, node: Any, path: Path_, depth: int) -> Any:
        """The value of `node`, found at `path` under `depth` containers."""
        ident = id(node)
        if ident in self.built or ident in self.open:
            at, value = self.alias(ident)
            self.pos.values[path] = at
            return value
        at = self.pos.values[path] = _mark(node)
        start = self.count(1, at)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, at)
        else:
            if node.tag not in _CONTAINERS:
                raise YamlProblem(*at, f"tag {node.tag!r} is not allowed (plain YAML data only)")
            if depth >= MAX_DEPTH:
                raise YamlProblem(*at, f"nesting deeper than {MAX_DEPTH} levels")
            self.open.add(ident)
            if isinstance(node, yaml.SequenceNode):
                value = [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
            else:
                value = self.mapping(node, path, depth)
            self.open.discard(ident)
        self.built[ident] = (value, self.nodes - start)
        return value

    def mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_at: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key, at = self.key(key_node)
            if key in first_at:
                raise YamlProblem(*at, f"duplicate key {key!r} (first at line {first_at[key][0]})")
            sub = (*path, key)
            first_at[key] = self.pos.keys[sub] = at
            out[key] = self.value(value_node, sub, depth + 1)
        return out

    def key(self, node: Any) -> tuple[str, tuple[int, int]]:
        """A mapping key as written (`yes:` is the key 'yes', not True) and its position."""
        ident = id(node)
        if ident in self.built or ident in self.open:
            at, _ = self.alias(ident)
        else:
            at = _mark(node)
            start = self.count(1, at)
            if isinstance(node, yaml.ScalarNode):  # its value, for an alias that uses it as one
                self.built[ident] = (self.scalar(node, at), self.nodes - start)
            elif node.tag not in _CONTAINERS:
                raise YamlProblem(*at, f"tag {node.tag!r} is not allowed (plain YAML data only)")
        if not isinstance(node, yaml.ScalarNode):
            raise YamlProblem(*at, "mapping keys must be plain strings")
        return node.value, at

    def scalar(self, node: Any, at: tuple[int, int]) -> Any:
        """A scalar's value under the tag YAML 1.1 resolved for it (or the one written), dates kept
        as strings; only the plain types are ever constructed."""
        tag = node.tag
        if tag in _TEXT:
            return node.value
        if tag not in _CONSTRUCTED:
            raise YamlProblem(*at, f"tag {tag!r} is not allowed (plain YAML data only)")
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, KeyError):  # `!!int x`, `!!bool maybe`, 5,000 digits
            raise YamlProblem(*at, f"invalid {tag.rsplit(':', 1)[-1]} {_short(node.value)!r}") from None

    def alias(self, ident: int) -> tuple[tuple[int, int], Any]:
        """The position of the document's next alias (the one that refers to the node `ident`), and
        the value built for that node."""
        if self.aliases is None:
            events = yaml.parse(self.text, Loader=SafeLoader)
            self.aliases = [(str(e.anchor), _mark(e)) for e in events if isinstance(e, yaml.AliasEvent)]
        name, at = self.aliases[self.aliases_met]
        self.aliases_met += 1
        if ident in self.open:
            raise YamlProblem(*at, f"recursive alias *{name}")
        value, nodes = self.built[ident]
        self.count(nodes, at)
        return at, value

    def count(self, nodes: int, at: tuple[int, int]) -> int:
        """Add `nodes` to the file's count (the count before them is returned)."""
        before = self.nodes
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise YamlProblem(*at, f"document too large: more than {MAX_NODES} nodes")
        return before


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_error(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """Where PyYAML's error is and what it means, in our words where they say it better."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    written = text[mark.index :] if mark is not None else ""
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts its position in bytes; the first occurrence of the character is the one
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line, col = _offset_to_line_col(text, max(text.find(char), 0))
        return line, col, f"character U+{ord(char):04X} is not allowed in YAML"
    if problem.startswith("found undefined alias"):
        return line, col, f"unknown alias {_name(written)}"
    if "found duplicate anchor" in context:
        first = exc.context_mark.line + 1  # type: ignore[attr-defined]
        return line, col, f"duplicate anchor {_name(written)} (first at line {first})"
    if problem == "but found another document":
        return line, col, "only one YAML document per file"
    if problem == "exceeded maximum nesting depth":
        return line, col, f"nesting deeper than {MAX_DEPTH} levels"
    lines = _BREAK.split(text)
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: col + 1]:
        tab = lines[line - 1].index("\t")
        if not lines[line - 1][:tab].strip():
            return line, tab + 1, "tab character in indentation; YAML indents with spaces"
    message = f"{problem} ({context})" if context and context not in problem else problem
    hint = _indent_hint(problem, lines, line, col)
    return line, col, f"YAML syntax error: {message}" + (f"; hint: {hint}" if hint else "")


def _indent_hint(problem: str, lines: list[str], line: int, col: int) -> str:
    """What PyYAML's wording means for the usual mistakes, in plain words."""
    if not 0 < line <= len(lines):
        return ""
    here = lines[line - 1]
    indent = len(here) - len(here.lstrip(" "))
    above = next((text for text in reversed(lines[: line - 1]) if text.strip()), "")
    above_indent = len(above) - len(above.lstrip(" "))
    if problem.startswith(("did not find expected key", "did not find expected '-'", "expected <block end>")):
        return (
            f"line {line} is indented {_count(indent, 'space')} and does not line up with the lines above "
            "it; "
            "the keys of one record (and the items of one list) start in the same column"
        )
    if problem.startswith("mapping values are not allowed"):
        if indent > above_indent and here.find(":") + 1 == col and not above.rstrip().endswith(":"):
            return (
                f"line {line} is indented {_count(indent - above_indent, 'space')} more than the line above "
                "it; "
                "a key of the same record starts in the same column"
            )
        return "a value that holds ': ' must be in quotes"
    return ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _name(written: str) -> str:
    """The anchor or alias (`&name`, `*name`) at the start of `written`."""
    found = re.match(r"[&*][^\s,\[\]{}]+", written)
    return found.group() if found else "?"


#: Line breaks as YAML counts them: LF, CR LF and a lone CR. (NEL, U+2028 and U+2029 are breaks too,
#: but `_CONTROL` rejects them before any position past them is ever computed.)
_BREAK = re.compile(r"\r\n|\r|\n")


def _offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at `offset`, counting lines the way libyaml does."""
    before = text[:offset]
    breaks = list(_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def _decode(data: bytes) -> str:
    """A file's text. Raises YamlProblem for bytes that are not UTF-8 text we accept."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); files must be UTF-8"
        raise YamlProblem(*_offset_to_line_col(before, len(before)), message) from None
    text = text.removeprefix("\ufeff")
    bad = _CONTROL.search(text)  # libyaml accepts some characters we do not want in facts
    if bad is not None:
        line, col = _offset_to_line_col(text, bad.start())
        raise YamlProblem(line, col, f"control character U+{ord(bad.group()):04X} is not allowed")
    return text


#: Unicode categories Cc and Cs except tab, LF and CR, plus the line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


# ---------------------------------------------------------------------------------------------
# plain data → records


@dataclass
class _FileResult:
    rel: str
    info: PackInfo | None = None
    info_pos: tuple[int, int] = (1, 1)
    records: list[tuple[Record, Path_]] = field(default_factory=list)
    pos: _Positions = field(default_factory=_Positions)
    mapping: bool = False  # the file was read as a mapping of sections
    invalid_ids: set[str] = field(default_factory=set)  # ids of records that failed validation
    failed_kinds: set[str] = field(default_factory=set)  # kinds whose section is not a list
    declares_pack: bool = False  # the file has a `pack` section (valid or not)


def _read_files(files: list[Path], problems: list[Problem], progress: Progress | None) -> list[_FileResult]:
    """Every file's records, its problems added to `problems`; `progress` told after each file."""
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError as exc:  # not the content's fault: exit 1, like a missing directory
            raise PackUnavailable(f"{_display(path)}: cannot read file: {exc.strerror or exc}") from exc
    results = []
    done, total = 0, sum(sizes)
    for path, size in zip(files, sizes, strict=True):
        results.append(_load_file(path, size, problems))
        done += size
        if progress is not None:
            progress(done, total)
    return results


def _load_file(path: Path, size: int, problems: list[Problem]) -> _FileResult:
    result = _FileResult(_display(path))
    rel = result.rel
    if size > MAX_FILE_BYTES:
        problems.append(Problem(rel, 1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"))
        return result
    try:
        data = path.read_bytes()
    except OSError as exc:  # not the content's fault: exit 1, like a missing directory
        raise PackUnavailable(f"{rel}: cannot read file: {exc.strerror or exc}") from exc
    try:
        root, pos = parse_yaml(_decode(data))
    except YamlProblem as exc:
        problems.append(Problem(rel, exc.line, exc.col, exc.message))
        return _unreadable(result, data)
    result.pos = pos
    if root is None:
        problems.append(Problem(rel, 1, 1, "file is empty; expected a mapping of sections"))
        return result
    if not isinstance(root, dict):
        problems.append(Problem(rel, *pos.at(()), "expected a mapping of sections at the top level"))
        return _unreadable(result, data)
    result.mapping = True
    result.declares_pack = "pack" in root
    for section, items in root.items():
        if section == "pack":
            result.info = _convert(items, PackInfo, ("pack",), pos, rel, problems)
            result.info_pos = pos.at(("pack",), key=True)
            continue
        cls = SECTIONS.get(section)
        if cls is None:
            known = ", ".join(["pack", *SECTIONS])
            problems.append(
                Problem(rel, *pos.at((section,), key=True), f"unknown section {section!r} (known: {known})")
            )
            # a misspelt section name: links to its records are judged once it is spelt right
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    result.invalid_ids.add(item["id"])
            continue
        if not isinstance(items, list):
            problems.append(Problem(rel, *pos.at((section,)), f"{section}: expected a list of records"))
            result.failed_kinds.add(cls.KIND)
            continue
        for index, item in enumerate(items):
            record = _convert(item, cls, (section, index), pos, rel, problems)
            if record is not None:
                result.records.append((record, (section, index)))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                result.invalid_ids.add(item["id"])
    return result


#: `id: x` as a record would write it, in block (`- id: x`) or flow (`{id: x, ...}`) style.
_ID_LINE = re.compile(
    r"(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)"  # at the start of a line or list item, or in a flow mapping
    r"""id:[ \t]+(["']?)([a-z0-9][a-z0-9._-]{0,63})\1[ \t]*(?=[,}#\r\n]|$)""",
    re.MULTILINE,
)


def _unreadable(result: _FileResult, data: bytes) -> _FileResult:
    """A file that could not be read as a mapping of sections: links to the ids it appears to define
    cannot be judged (its own problem is reported)."""
    result.invalid_ids = {m.group(2) for m in _ID_LINE.finditer(data.decode("utf-8", "replace"))}
    return result


_MSGSPEC_PATH = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _msgspec_path(message: str) -> tuple[str, Path_]:
    """Split msgspec's "Expected `int` - at `$.a[0].b`" into the text and a path tuple."""
    text, sep, where = message.rpartition(" - at `")
    if not sep:
        return message, ()
    parts: list[str | int] = []
    for name, index in _MSGSPEC_PATH.findall(where.rstrip("`")):
        parts.append(name if name else int(index))
    return text, tuple(parts)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not re.fullmatch(r"[A-Za-z0-9_-]+", part):  # a key as written may hold anything, even "\n"
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else part
    return out


def _convert(
    data: Any, cls: type[Any], base: Path_, pos: _Positions, rel: str, problems: list[Problem]
) -> Any | None:
    """msgspec-validate `data` as `cls`; on failure add a positioned problem and return None."""
    try:
        return msgspec.convert(data, cls)
    except msgspec.ValidationError as exc:
        text, sub = _msgspec_path(str(exc))
        path = (*base, *sub)
        key = False
        unknown = re.match(r"Object contains unknown field `(.+)`", text, re.DOTALL)  # "\n" in a key
        if unknown:
            hint = _close(unknown.group(1), _field_names(cls, sub))
            path = (*path, unknown.group(1))
            key = True
            text = f"unknown field {unknown.group(1)!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        missing = re.match(r"Object missing required field `(.+)`", text)
        if missing:
            text = f"missing required field {missing.group(1)!r}"
        if text.startswith("Invalid enum value"):
            allowed = _literal_values(cls, sub)
            if allowed:
                text += " (allowed: " + ", ".join(str(v) for v in allowed) + ")"
        line, col = pos.at(path, key=key)
        where = _dotted(path)
        problems.append(Problem(rel, line, col, f"{where}: {text[:1].lower()}{text[1:]}" if where else text))
        return None


def _types_at(cls: type[Any], path: Path_) -> list[Any]:
    """The msgspec types that a value at `path` under `cls` may have (a union gives several)."""
    import msgspec.inspect as mi  # only for a problem worth a hint

    found: list[Any] = [mi.type_info(cls)]
    for part in path:
        step: list[Any] = []
        for typ in _flatten(found):
            if isinstance(part, int) and isinstance(typ, mi.ListType):
                step.append(typ.item_type)
            elif isinstance(part, str) and isinstance(typ, mi.StructType):
                step.extend(f.type for f in typ.fields if f.encode_name == part)
        found = step
    return _flatten(found)


def _flatten(types: list[Any]) -> list[Any]:
    import msgspec.inspect as mi

    out: list[Any] = []
    for typ in types:
        out.extend(_flatten(list(typ.types)) if isinstance(typ, mi.UnionType) else [typ])
    return out


def _field_names(cls: type[Any], path: Path_) -> list[str]:
    """The fields an object at `path` under `cls` may have."""
    import msgspec.inspect as mi

    types = _types_at(cls, path)
    return [f.encode_name for t in types if isinstance(t, mi.StructType) for f in t.fields]


def _literal_values(cls: type[Any], path: Path_) -> list[Any]:
    """The values allowed at `path` under `cls`, when it is one of a fixed set."""
    import msgspec.inspect as mi

    return [v for t in _types_at(cls, path) if isinstance(t, mi.LiteralType) for v in t.values]


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# across the pack


def _check_info(results: list[_FileResult], problems: list[Problem]) -> PackInfo | None:
    infos = [r for r in results if r.info is not None]
    declared = [r for r in results if r.declares_pack]
    if not declared:
        if not all(r.mapping for r in results):
            return None  # a file that could not be read may hold it; its problem is reported
        first = results[0].rel
        problems.append(Problem(first, 1, 1, "no file has a 'pack' section (id, title, summary, article)"))
        return None
    for extra in declared[1:]:
        line, _ = declared[0].info_pos
        problems.append(
            Problem(extra.rel, *extra.info_pos, f"second 'pack' section (first in {declared[0].rel}:{line})")
        )
    return infos[0].info if infos else None


def _check_records(
    results: list[_FileResult], problems: list[Problem], info: PackInfo | None
) -> dict[str, Record]:
    records: dict[str, Record] = {}
    where: dict[str, tuple[_FileResult, Path_]] = {}
    for result in results:
        for record, path in result.records:
            if record.id in records:
                first, first_path = where[record.id]
                line, _ = first.pos.at((*first_path, "id"))
                problems.append(
                    Problem(
                        result.rel,
                        *result.pos.at((*path, "id")),
                        f"duplicate id {record.id!r} (first defined at {first.rel}:{line})",
                    )
                )
                continue
            records[record.id] = record
            where[record.id] = (result, path)
    invalid = set().union(*(r.invalid_ids for r in results))
    failed = set().union(*(r.failed_kinds for r in results))
    for record_id, record in records.items():
        result, path = where[record_id]
        seen: dict[tuple[str, str], int] = {}
        for fld, target in record.ref_ids():
            allowed = record.REFS.get(fld, ())
            target_record = records.get(target)
            nth = seen[fld, target] = seen.get((fld, target), -1) + 1
            if nth:  # the first occurrence has had every check below
                line, col = result.pos.at(_ref_path(record, fld, target, path))
                message = f"{target!r} is listed more than once (first at line {line}, column {col})"
            elif target_record is None and target in invalid:
                continue  # the target exists but is invalid: its own problem is reported
            elif target_record is None and failed & (set(allowed) or set(KINDS)):
                continue  # the target may be among records that could not be read: it cannot be judged
            elif target_record is None:
                hint = _close(target, [*records, *invalid])
                message = f"unknown id {target!r}" + (f" (did you mean {hint!r}?)" if hint else "")
            elif allowed and target_record.KIND not in allowed:
                message = f"{target!r} is a {target_record.KIND}; expected {' or '.join(allowed)}"
            elif target == record_id:
                message = "links to itself"
            else:
                continue
            at = result.pos.at(_ref_path(record, fld, target, path, nth))
            problems.append(Problem(result.rel, *at, f"{fld}: {message}"))
        if info is not None:
            for index, src in enumerate(record.sources):
                if src.paragraph > info.article.paragraphs:
                    sub: Path_ = ("source", index) if isinstance(record.source, list) else ("source",)
                    message = (
                        f"source paragraph {src.paragraph} is past the article's "
                        f"{info.article.paragraphs} paragraphs"
                    )
                    problems.append(Problem(result.rel, *result.pos.at((*path, *sub, "paragraph")), message))
    return records


def _ref_path(record: Record, fld: str, target: str, path: Path_, nth: int = 0) -> Path_:
    """The path of the `nth` (from 0) occurrence of `target` in the field `fld`."""
    value = getattr(record, fld)
    if isinstance(value, list):
        return (*path, fld, [i for i, v in enumerate(value) if v == target][nth])
    return (*path, fld)


def _close(word: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only for an unknown id (7 ms to import)

    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


# ---------------------------------------------------------------------------------------------
# the article


def read_paragraphs(path: Path) -> list[str]:
    """The article's paragraphs, numbered from 1 (index 0), separated by blank lines."""
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    return [_squash(b) for b in blocks if b.strip()]


def _squash(text: str) -> str:
    return " ".join(text.split())


def check_quotes(results: list[_FileResult], source: Path) -> list[Problem]:
    """Every `quote` must appear verbatim (white space aside) in the paragraph it cites."""
    try:
        paragraphs = read_paragraphs(source)
    except (OSError, UnicodeDecodeError) as exc:
        raise PackUnavailable(f"{source}: cannot read the article: {exc}") from exc
    problems: list[Problem] = []
    for result in results:
        for record, path in result.records:
            for index, src in enumerate(record.sources):
                sub: Path_ = ("source", index) if isinstance(record.source, list) else ("source",)
                if src.paragraph > len(paragraphs):
                    at = result.pos.at((*path, *sub, "paragraph"))
                    message = f"paragraph {src.paragraph} not in {source.name} ({len(paragraphs)} paragraphs)"
                elif _squash(src.quote) not in paragraphs[src.paragraph - 1]:
                    at = result.pos.at((*path, *sub, "quote"))
                    message = f"quote not found verbatim in paragraph {src.paragraph}: {src.quote!r}"
                else:
                    continue
                problems.append(Problem(result.rel, *at, message))
    return problems
