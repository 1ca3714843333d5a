"""Load and validate a fact pack: safe YAML, strict records, every problem reported with its position.

The YAML is read as an event stream from libyaml's safe parser (no Python object is ever constructed
from a tag), and built into plain dicts and lists by hand so that we can: keep the line and column of
every node, reject duplicate keys, bound nesting depth and alias expansion, and never recurse deeply.

Positions are only read for a problem's message, so a pack is first read without them: each file in
the plain block YAML that packs are written in by the fast reader (blockyaml.py, half of a large
pack's files in a forked worker: readahead.py), any other file as above. A pack with any problem is
then read again, every file as above, for messages that say where.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from .model import KINDS, SECTIONS, PackInfo, Record

if TYPE_CHECKING:
    import yaml
else:

    class _LazyYaml:
        """PyYAML, imported on first use: a pack read from the cache never needs it (~25 ms)."""

        def __getattr__(self, name: str) -> Any:
            import yaml as real

            globals()["yaml"] = real
            return getattr(real, name)

    yaml = _LazyYaml()


@functools.cache
def _yaml_tools() -> tuple[Any, Any, Any]:
    """libyaml's safe C parser (the pure-Python one is slower but just as safe), a resolver and a
    constructor for plain scalars."""
    safe_loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return safe_loader, yaml.resolver.Resolver(), yaml.constructor.SafeConstructor()


ENV_CONTENT = "STARGATE_TUI_CONTENT"

#: Limits that keep a hostile or broken file from hanging or exhausting the loader.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FILES = 500
MAX_DEPTH = 32
MAX_NODES = 2_000_000  # per file, counting every alias expansion

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}

Path_ = tuple[str | int, ...]


class Problem(NamedTuple):
    """One thing wrong with a pack, printed as `path:line:col: message` (1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class PackInvalid(Exception):
    """The content is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__("\n".join(map(str, self.problems)))


class PackUnavailable(Exception):
    """The pack could not be read at all (missing directory, permissions): not a content problem."""


@dataclass
class FactPack:
    """A validated pack: its records by id, in file order, with back-links computed once (or given:
    the cache of validated packs stores them)."""

    info: PackInfo
    records: dict[str, Record]
    directory: Path
    files: list[Path]
    backlinks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.backlinks:
            return
        for record in self.records.values():
            for fld, target in record.ref_ids():
                self.backlinks.setdefault(target, []).append((record.id, fld))

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if kind == r.KIND]

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)


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


class _YamlError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _mark(event: Any) -> tuple[int, int]:
    m = event.start_mark
    return (m.line + 1, m.column + 1)


def _scalar(event: Any) -> Any:
    """The Python value of a scalar event under YAML 1.1 core rules, dates kept as strings."""
    tag = event.tag
    if tag in (None, "!"):
        if not event.style and event.implicit[0]:
            try:
                return plain_scalar(event.value)
            except _BadScalar as exc:
                raise _YamlError(*_mark(event), str(exc)) from exc
        tag = _YAML + "str"
    elif tag not in _ALLOWED_TAGS:
        raise _YamlError(*_mark(event), f"tag {tag!r} is not allowed (plain YAML data only)")
    try:
        return _construct(tag, event.value)
    except _BadScalar as exc:
        raise _YamlError(*_mark(event), str(exc)) from exc


_DECIMAL = re.compile(r"[-+]?[0-9]{1,300}\.[0-9]{1,300}")


class _BadScalar(ValueError):
    """A scalar whose resolved type does not accept its text (`!!int x`)."""


def plain_scalar(value: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under YAML 1.1 rules, dates kept as strings.
    Raises ValueError (_BadScalar) for one that does not make a value of the type it resolves to."""
    first = _resolved_first_characters()
    if value and first is not None:
        if value[0] not in first:
            return value  # no implicit type starts with this character: a string (most text)
        if len(value) > 6 and "A" <= value[0].upper() <= "Z":
            return value  # after a letter, only words up to `false` are something else (true, off, …)
    if len(value) < 19 and value.isdigit() and value.isascii() and (value[0] != "0" or value == "0"):
        return int(value)  # a decimal integer (a leading 0 makes one octal; Python bounds the digits)
    if _DECIMAL.fullmatch(value):
        return float(value)  # digits, a point, digits: what YAML 1.1 makes a float of, as Python does
    return _construct(_yaml_tools()[1].resolve(yaml.ScalarNode, value, (True, False)), value)


def _construct(tag: str, value: str) -> Any:
    if tag in (_YAML + "str", _YAML + "timestamp", _YAML + "merge", _YAML + "value", _YAML + "yaml"):
        return value
    node = yaml.ScalarNode(tag, value)
    try:
        return _yaml_tools()[2].construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        raise _BadScalar(f"invalid {tag.rsplit(':', 1)[-1]} {_short(value)!r}") from exc


@functools.cache
def _resolved_first_characters() -> frozenset[str] | None:
    """The first characters of plain scalars that YAML 1.1 may read as something other than a string
    (digits, signs, `y`, `n`, `~`, …); None when a resolver may match whatever the first character."""
    resolvers = _yaml_tools()[1].yaml_implicit_resolvers
    return None if None in resolvers else frozenset(resolvers)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Frame:
    __slots__ = ("anchor", "container", "first_keys", "key", "key_pos", "nodes", "path")

    def __init__(self, container: Any, path: Path_, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_pos: tuple[int, int] = (0, 0)
        self.first_keys: dict[str, tuple[int, int]] = {}
        self.nodes = 1


_NO_KEY = object()


def _events(text: str) -> Iterator[Any]:
    loader = _yaml_tools()[0](text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def parse_yaml(text: str) -> tuple[Any, _Positions]:
    """Build one YAML document into dicts, lists and scalars, with positions. Raises _YamlError."""
    pos = _Positions()
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int, bool]] = {}  # name -> (value, nodes, complete)
    open_anchors: set[str] = set()
    root: Any = None
    documents = 0
    total_nodes = 0

    def attach(
        value: Any, path_pos: tuple[int, int], nodes: int, event: Any, is_key_ok: bool, new: int
    ) -> None:
        nonlocal root, total_nodes
        total_nodes += new
        if total_nodes > MAX_NODES:
            raise _YamlError(*_mark(event), f"document too large: more than {MAX_NODES} nodes")
        if not stack:
            root = value
            pos.values[()] = path_pos
            return
        frame = stack[-1]
        frame.nodes += nodes
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            pos.values.setdefault(path, path_pos)
            return
        if frame.key is _NO_KEY:  # this node is a key
            if not is_key_ok:
                raise _YamlError(*path_pos, "mapping keys must be plain strings")
            key = value
            if not isinstance(key, str):
                key = str(key) if isinstance(key, int | float | bool) or key is None else key
                if not isinstance(key, str):
                    raise _YamlError(*path_pos, "mapping keys must be plain strings")
            if key in frame.first_keys:
                line, _ = frame.first_keys[key]
                raise _YamlError(*path_pos, f"duplicate key {key!r} (first at line {line})")
            frame.first_keys[key] = path_pos
            frame.key, frame.key_pos = key, path_pos
            pos.keys[(*frame.path, key)] = path_pos
            return
        path = (*frame.path, frame.key)
        frame.container[frame.key] = value
        pos.values.setdefault(path, path_pos)
        frame.key = _NO_KEY

    for event in _events(text):
        name = type(event).__name__
        if name == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise _YamlError(*_mark(event), "only one YAML document per file")
        elif name == "ScalarEvent":
            value = _scalar(event)
            if stack and isinstance(stack[-1].container, dict) and stack[-1].key is _NO_KEY:
                value = event.value  # a key is a name as written: `yes:` is 'yes', not True
            if event.anchor:
                anchors[event.anchor] = (value, 1, True)
            attach(value, _mark(event), 1, event, True, 1)
        elif name == "AliasEvent":
            if event.anchor in open_anchors:
                raise _YamlError(*_mark(event), f"recursive alias *{event.anchor}")
            if event.anchor not in anchors:
                raise _YamlError(*_mark(event), f"unknown alias *{event.anchor}")
            value, nodes, _ = anchors[event.anchor]
            attach(value, _mark(event), nodes, event, not isinstance(value, dict | list), nodes)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            if event.tag not in (None, "!", _YAML + "map", _YAML + "seq"):
                raise _YamlError(*_mark(event), f"tag {event.tag!r} is not allowed (plain YAML data only)")
            if stack and isinstance(stack[-1].container, dict) and stack[-1].key is _NO_KEY:
                raise _YamlError(*_mark(event), "mapping keys must be plain strings")
            if len(stack) >= MAX_DEPTH:
                raise _YamlError(*_mark(event), f"nesting deeper than {MAX_DEPTH} levels")
            container: Any = {} if name == "MappingStartEvent" else []
            if stack:
                parent = stack[-1]
                if isinstance(parent.container, list):
                    path: Path_ = (*parent.path, len(parent.container))
                else:
                    path = (*parent.path, parent.key)
            else:
                path = ()
            pos.values.setdefault(path, _mark(event))
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append(_Frame(container, path, event.anchor))
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            frame = stack.pop()
            if frame.anchor:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (frame.container, frame.nodes, True)
            # the container was registered at start; now attach it to its parent
            # children were counted as they came; the container itself is one more node
            attach(frame.container, pos.values[frame.path], frame.nodes, event, False, 1)
    return root, pos


def read_yaml(text: str, *, positions: bool = True, checked: bool = False) -> tuple[Any, _Positions | None]:
    """One YAML document as plain data, with the position of every node (`parse_yaml`); without
    `positions`, a file in the plain block YAML that packs are written in is read faster, without
    them (None), and any other is read with them. `checked`: `_decode` has checked the characters.
    Raises _YamlError or yaml.YAMLError."""
    if not positions:
        root = _read_block(text, checked=checked)
        if root is not None:
            return root, None
    return parse_yaml(text)


def _read_block(text: str, *, checked: bool) -> Any:
    """The data of a text in the plain block YAML that packs are written in (blockyaml.py), or None."""
    from . import blockyaml

    first = _resolved_first_characters()
    root = blockyaml.read(
        text, plain_scalar, first, max_depth=MAX_DEPTH - 4, max_nodes=MAX_NODES, checked=checked
    )
    return None if root is blockyaml.GIVE_UP else root


def read_fast(path: Path) -> Any:
    """A file's data when it is small enough, valid UTF-8 and in the plain block YAML the fast reader
    takes, else None (the loader reads it then, and says what is wrong)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text, bad = _decode(path.read_bytes())
    except OSError:
        return None
    return None if text is None or bad is not None else _read_block(text, checked=True)


def _yaml_error(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts its position in bytes; the first occurrence of the character is the one
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line, col = _offset_to_line_col(text, max(text.find(char), 0))
        return line, col, f"character U+{ord(char):04X} is not allowed in YAML"
    lines = _BREAK.split(text)
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: col + 1]:
        tab = lines[line - 1].index("\t")
        if not lines[line - 1][:tab].strip():
            return line, tab + 1, "tab character in indentation; YAML indents with spaces"
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context and context not in problem else problem
    return line, col, f"YAML syntax error: {message}"


#: Line breaks as YAML counts them: LF, CR LF and a lone CR. (NEL, U+2028 and U+2029 are breaks too,
#: but `_CONTROL` rejects them before any position past them is ever computed.)
_BREAK = re.compile(r"\r\n|\r|\n")
_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at `offset`, counting lines the way libyaml does."""
    before = text[:offset]
    breaks = list(_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def _decode(data: bytes) -> tuple[str | None, tuple[int, int, str] | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        breaks = list(_BREAK_BYTES.finditer(before))
        start = breaks[-1].end() if breaks else 0
        line = len(breaks) + 1
        col = len(before[start:].decode("utf-8", "replace")) + 1
        return None, (line, col, f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); files must be UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _CONTROL.search(text)  # libyaml accepts some characters we do not want in facts
    if bad is not None:
        line, col = _offset_to_line_col(text, bad.start())
        return None, (line, col, f"control character U+{ord(bad.group()):04X} is not allowed")
    return text, None


#: Unicode categories Cc and Cs except tab, LF and CR, plus the line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


# ---------------------------------------------------------------------------------------------
# plain data → records


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
            path = (*path, unknown.group(1))
            key = True
            text = f"unknown field {unknown.group(1)!r}"
        missing = re.match(r"Object missing required field `(.+)`", text)
        if missing:
            text = f"missing required field {missing.group(1)!r}"
        line, col = pos.at(path, key=key)
        where = _dotted(path)
        problems.append(Problem(rel, line, col, f"{where}: {_lower_first(text)}" if where else text))
        return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


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
    fast: bool = False  # read without positions (`read_yaml`): its problems have none


_UNREAD: Any = object()


def _load_file(
    path: Path, rel: str, problems: list[Problem], *, fast: bool = False, root: Any = _UNREAD
) -> _FileResult:
    """One file's records. `fast` lets a file in the plain block YAML that packs are written in be read
    without positions (`result.fast`): its problems are then reported without them, to be read again.
    `root` is the file's data when a worker has read it so already (readahead.py)."""
    result = _FileResult(rel)
    if root is not _UNREAD:
        return _records(result, root, None, problems)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(rel, 1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"))
            return result
        data = path.read_bytes()
    except OSError as exc:  # not the content's fault: exit 1, like a missing directory
        raise PackUnavailable(f"{rel}: cannot read file: {exc.strerror or exc}") from exc
    text, bad = _decode(data)
    if bad is not None or text is None:
        problems.append(Problem(rel, *(bad or (1, 1, "unreadable"))))
        return _unreadable(result, data)
    try:
        root, pos = read_yaml(text, positions=not fast, checked=True)
    except _YamlError as exc:
        problems.append(Problem(rel, exc.line, exc.col, exc.message))
        return _unreadable(result, data)
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, *_yaml_error(exc, text)))
        return _unreadable(result, data)
    except RecursionError:  # pragma: no cover - depth is bounded above
        problems.append(Problem(rel, 1, 1, "document nested too deeply"))
        return _unreadable(result, data)
    return _records(result, root, pos, problems, data)


def _records(
    result: _FileResult, root: Any, pos: _Positions | None, problems: list[Problem], data: bytes = b""
) -> _FileResult:
    """Validate a file's data (read with positions, or without: `pos` None) into `result`."""
    rel = result.rel
    result.fast = pos is None
    pos = result.pos = pos or _Positions()
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
    result.invalid_ids = _ids_written_in(data.decode("utf-8", "replace"))
    return result


def _ids_written_in(text: str) -> set[str]:
    """The ids a file that could not be read as YAML appears to define: links to them cannot be judged."""
    return {m.group(2) for m in _ID_LINE.finditer(text)}


def pack_files(directory: Path) -> list[Path]:
    """The YAML files of a pack, in a stable order, `pack.yaml` first."""
    files = sorted(
        (p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: (p.stem != "pack", p.name),
    )
    return files


def _embedded_content() -> Path:
    here = Path(__file__).resolve().parent
    embedded = here / "content"
    return embedded if embedded.is_dir() else here.parent / "content"


#: The pack shipped in the wheel, else the source tree's `content/`.
EMBEDDED_CONTENT = _embedded_content()


def default_content_dir() -> Path:
    """`$STARGATE_TUI_CONTENT`, else the embedded pack."""
    env = os.environ.get(ENV_CONTENT)
    return Path(env) if env else EMBEDDED_CONTENT


def load_pack(
    directory: Path | str | None = None, *, source: Path | str | None = None, cache: bool = False
) -> FactPack:
    """Read and validate every YAML file of a pack. Raises PackInvalid or PackUnavailable.

    With `cache`, a pack whose files are byte for byte those of a pack validated before is read from
    the cache of validated packs (see cache.py) instead of being parsed again."""
    directory, files = _locate(directory)
    key = None
    if cache and source is None:
        key, hit = _from_cache(directory, files)
        if hit is not None:
            return hit

    info, records, problems, fast = _validate(files, source, fast=True)
    if (problems or info is None) and fast:
        # read again with every position, for messages that say where (only an invalid pack pays this)
        info, records, problems, _ = _validate(files, source, fast=False)
    if problems or info is None:
        raise PackInvalid(problems)
    pack = FactPack(info, records, directory, files)
    if key is not None:
        from . import cache as pack_cache

        pack_cache.write(key, pack)
    return pack


def _validate(
    files: list[Path], source: Path | str | None, *, fast: bool
) -> tuple[PackInfo | None, dict[str, Record], list[Problem], bool]:
    """The pack's info, records and problems, and whether any file was read without positions."""
    problems: list[Problem] = []
    worker = None
    if fast:
        from . import readahead

        worker = readahead.start(files)
    elsewhere = set(worker.indices) if worker is not None else set()
    try:
        mine = {
            i: _load_file(p, _display(p), problems, fast=fast)
            for i, p in enumerate(files)
            if i not in elsewhere
        }
    except BaseException:
        if worker is not None:
            worker.stop()
        raise
    if worker is not None:
        read = worker.result()
        for i in worker.indices:
            path = files[i]
            mine[i] = _load_file(path, _display(path), problems, fast=True, root=read.get(i, _UNREAD))
    results = [mine[i] for i in range(len(files))]
    info = _check_info(results, problems)
    records = _check_records(results, problems, info)
    if source is not None:
        problems.extend(check_quotes(results, Path(source)))
    return info, records, problems, any(r.fast for r in results)


def cached_pack(directory: Path | str | None = None) -> FactPack | None:
    """The pack from the cache of validated packs, or None (not there, or not a readable pack: load it
    to learn why)."""
    try:
        located, files = _locate(directory)
    except PackUnavailable:
        return None
    return _from_cache(located, files)[1]


def _locate(directory: Path | str | None) -> tuple[Path, list[Path]]:
    """The pack's directory and its YAML files. Raises PackUnavailable."""
    directory = Path(directory) if directory is not None else default_content_dir()
    if not directory.exists():
        raise PackUnavailable(f"{directory}: no such directory")
    if not directory.is_dir():
        raise PackUnavailable(f"{directory}: not a directory")
    try:
        files = pack_files(directory)
    except OSError as exc:
        raise PackUnavailable(f"{directory}: cannot list: {exc.strerror or exc}") from exc
    if not files:
        raise PackUnavailable(f"{directory}: no .yaml files (is this a fact pack?)")
    if len(files) > MAX_FILES:
        raise PackUnavailable(f"{directory}: {len(files)} files; the limit is {MAX_FILES}")
    return directory, files


def _from_cache(directory: Path, files: list[Path]) -> tuple[str | None, FactPack | None]:
    """The files' cache key (None when one cannot be read) and the cached pack, if any."""
    from . import cache as pack_cache

    key = pack_cache.key_for(files)
    hit = pack_cache.read(key) if key else None
    return key, (FactPack(*hit[:2], directory, files, hit[2]) if hit is not None else None)


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
                at = result.pos.at(_ref_path(record, fld, target, path))
                problems.append(
                    Problem(
                        result.rel,
                        *result.pos.at(_ref_path(record, fld, target, path, nth)),
                        f"{fld}: {target!r} is listed more than once (first at line {at[0]}, column {at[1]})",
                    )
                )
                continue
            if target_record is None and target in invalid:
                continue  # the target exists but is invalid: its own problem is reported
            if target_record is None and failed & (set(allowed) or set(KINDS)):
                continue  # the target may be among records that could not be read: it cannot be judged
            if target_record is None:
                hint = _close(target, [*records, *invalid])
                problems.append(
                    Problem(
                        result.rel,
                        *result.pos.at(_ref_path(record, fld, target, path, nth)),
                        f"{fld}: unknown id {target!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                    )
                )
            elif allowed and target_record.KIND not in allowed:
                problems.append(
                    Problem(
                        result.rel,
                        *result.pos.at(_ref_path(record, fld, target, path, nth)),
                        f"{fld}: {target!r} is a {target_record.KIND}; expected {' or '.join(allowed)}",
                    )
                )
            elif target == record_id:
                problems.append(
                    Problem(
                        result.rel,
                        *result.pos.at(_ref_path(record, fld, target, path, nth)),
                        f"{fld}: links to itself",
                    )
                )
        if info is not None:
            for index, src in enumerate(record.sources):
                if src.paragraph > info.article.paragraphs:
                    sub: Path_ = ("source", index) if isinstance(record.source, list) else ("source",)
                    problems.append(
                        Problem(
                            result.rel,
                            *result.pos.at((*path, *sub, "paragraph")),
                            f"source paragraph {src.paragraph} is past the article's "
                            f"{info.article.paragraphs} paragraphs",
                        )
                    )
    return records


def _ref_path(record: Record, fld: str, target: str, path: Path_, nth: int = 0) -> Path_:
    """The path of the `nth` (from 0) occurrence of `target` in the field `fld`."""
    value = getattr(record, fld)
    if isinstance(value, list):
        return (*path, fld, [i for i, v in enumerate(value) if v == target][nth])
    return (*path, fld)


def _close(word: str, candidates: Iterable[str]) -> str | None:
    import difflib

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
                    problems.append(
                        Problem(
                            result.rel,
                            *result.pos.at((*path, *sub, "paragraph")),
                            f"paragraph {src.paragraph} not in {source.name} ({len(paragraphs)} paragraphs)",
                        )
                    )
                elif _squash(src.quote) not in paragraphs[src.paragraph - 1]:
                    problems.append(
                        Problem(
                            result.rel,
                            *result.pos.at((*path, *sub, "quote")),
                            f"quote not found verbatim in paragraph {src.paragraph}: {src.quote!r}",
                        )
                    )
    return problems
