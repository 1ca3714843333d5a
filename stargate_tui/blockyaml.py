"""A fast reader for the plain block YAML that fact packs are written in, or nothing.

libyaml's events cost the loader about 6 µs each once they reach Python (a 10,000-record pack has
over half a million), most of it spent on things only an error message needs: marks, paths and
positions. Packs are written in a small part of YAML: block mappings and sequences, plain, quoted
and folded scalars, one-line flow lists and mappings, comments. `read` builds exactly that part
straight from the lines, with no positions, and gives up (returns `GIVE_UP`) on anything else:
anchors, tags, escapes, tabs, a duplicate key, text it is not sure how libyaml would read. The loader
then reads the file with libyaml as before, so a file is either read here into the very data the
loader would have built, or not at all; a differential property test holds the two together.

Plain scalars are resolved by the caller's `plain` function, the loader's YAML 1.1 rules, so `yes`,
`0x1F` or `~` mean the same on both paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from typing import Any, Final

#: What `read` returns for a text it leaves to libyaml.
GIVE_UP: Final = object()


class _GiveUp(Exception):
    pass


#: A first character that makes a scalar anything but plain text (or a plain scalar hard to be sure of).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
#: What may follow a quoted scalar or a flow collection on its line.
_END = re.compile(r"(?: +#.*| *)")
_BLOCK_HEADER = re.compile(r"([|>])(-?)(?: +#.*| *)")
#: One item of a one-line flow collection: a quoted scalar or a plain one, then `,` or the closer.
_FLOW_ITEM = re.compile(
    r""" *(?:'((?:[^']|'')*)'|"([^"\\]*)"|([^-?:,\[\]{}#&*!|>'"%@`\\ ][^,\[\]{}#:]*?)) *([,\]}])"""
)
_FLOW_KEY = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]{0,1000}): +")
#: Characters that libyaml refuses or reads as line breaks (NEL, U+2028, U+2029): any but LF, the
#: printable ASCII characters and the rest of YAML's printable set.
_UNREADABLE = re.compile("[^\n -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What a line's part of a plain scalar may hold that needs a closer look: a comment, `: `, an end in
#: `:` or a space.
_TRICKY = re.compile(r" #|: |:$| $")


def read(
    text: str,
    plain: Callable[[str], Any],
    typed: Container[str] | None,
    *,
    max_depth: int,
    max_nodes: int,
    checked: bool = False,
) -> Any:
    """The document in `text` as dicts, lists and scalars, or GIVE_UP. The root must be a mapping.

    `plain` gives the value of a plain scalar (and raises ValueError for one that libyaml's reader
    would refuse); a plain scalar whose first character is not in `typed` is a string without asking
    it (None: always ask). Mapping keys are kept as written. `checked` says that the caller has
    refused control characters, surrogates and the line and paragraph separators already."""
    if "\t" in text or "\r" in text or "\ufffe" in text or "\uffff" in text:  # libyaml's business
        return GIVE_UP
    if not checked and _UNREADABLE.search(text):
        return GIVE_UP
    try:
        return _Reader(text, plain, typed, max_depth, max_nodes).document()
    except (_GiveUp, ValueError, RecursionError):
        return GIVE_UP


#: One line: its indentation, a sequence dash (with the spaces after it), a `key:` and the rest. Keys
#: are read only when written plainly, followed by a space or the end of the line (YAML's limit for
#: such keys is 1024 characters).
_LINE = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]{0,1000}):(?: +|$))?(.*)$", re.MULTILINE)
_MISSING: Final = object()


class _Reader:
    def __init__(
        self,
        text: str,
        plain: Callable[[str], Any],
        typed: Container[str] | None,
        max_depth: int,
        max_nodes: int,
    ) -> None:
        self.lines = text.split("\n")
        self.tokens = _LINE.findall(text)
        #: whether the last line ends with a line break (a block scalar may not end the text without one)
        self.final_break = self.lines[-1] == ""
        if self.final_break:
            self.lines.pop()
            self.tokens.pop()
        if len(self.tokens) != len(self.lines):  # pragma: no cover - one match per line, always
            raise _GiveUp
        self.i = 0
        self.plain = plain
        self.typed: Container[str] = _Everything() if typed is None else typed
        self.memo: dict[str, Any] = {}
        self.max_depth = max_depth
        self.nodes_left = max_nodes

    # -- lines

    def next_content(self) -> int:
        """Move past blank and comment lines; the indentation of the next line, or -1 at the end."""
        tokens = self.tokens
        i = self.i
        while i < len(tokens):
            indent, dash, key, rest = tokens[i]
            if dash or key or (rest and rest[0] != "#"):
                self.i = i
                return len(indent)
            i += 1
        self.i = i
        return -1

    def count(self, n: int = 1) -> None:
        self.nodes_left -= n
        if self.nodes_left < 0:
            raise _GiveUp

    def resolve(self, text: str) -> Any:
        value = self.memo.get(text, _MISSING)
        if value is _MISSING:
            value = self.memo[text] = self.plain(text)
        return value

    # -- structure

    def document(self) -> Any:
        if self.next_content() != 0 or not self.tokens[self.i][2] or self.tokens[self.i][1]:
            raise _GiveUp  # empty, or not a mapping at the left margin: libyaml says what it is
        root = self.mapping(0, 1)
        if self.next_content() != -1:
            raise _GiveUp  # a line at the margin that is not a key (`---`, `...`, `- x`, text)
        return root

    def below(self, col: int, depth: int, *, in_mapping: bool) -> Any:
        """The value of an entry at column `col` written on the lines below it (the current line ends
        with `key:` or `-`): a block collection indented past `col`, a list at `col` for a mapping's
        entry (`key:` then `- x`, not indented), or null."""
        self.i += 1
        indent = self.next_content()
        if indent > col:
            _, dash, key, _ = self.tokens[self.i]
            if dash:
                return self.sequence(indent, depth + 1)
            if key:
                return self.mapping(indent, depth + 1)
            raise _GiveUp  # a scalar on a line of its own, or a key written otherwise
        if indent == col and in_mapping and self.tokens[self.i][1]:
            return self.sequence(col, depth + 1)
        return self.resolve("")

    def mapping(self, col: int, depth: int) -> dict[str, Any]:
        """A block mapping whose keys sit at column `col`, from the current line, whose key is at `col`
        (after a dash when the mapping starts in a sequence item: `- key: value`)."""
        if depth > self.max_depth:
            raise _GiveUp
        result: dict[str, Any] = {}
        tokens = self.tokens
        _, _, key, rest = tokens[self.i]
        while True:
            if key in result:
                raise _GiveUp  # libyaml's path names both places
            if rest and rest[0] not in _INDICATORS:  # most values: one call fewer
                result[key] = self.plain_value(rest, col)
            else:
                result[key] = self.value(rest, col, depth, in_mapping=True)
            indent = self.next_content()
            if indent != col:
                if indent > col:
                    raise _GiveUp
                break  # the end of this mapping
            _, dash, key, rest = tokens[self.i]
            if dash:
                break  # a dash of the list this mapping is the value of (`key:` then `- x`)
            if not key:
                raise _GiveUp
        self.count(2 * len(result) + 1)
        return result

    def sequence(self, col: int, depth: int) -> list[Any]:
        """A block sequence whose dashes sit at column `col`, from the current line (a dash at `col`)."""
        if depth > self.max_depth:
            raise _GiveUp
        result: list[Any] = []
        tokens = self.tokens
        _, dash, key, rest = tokens[self.i]
        while True:
            if key:
                result.append(self.mapping(col + len(dash), depth + 1))
            else:  # `- - x` too: `value` leaves it to libyaml
                result.append(self.value(rest, col, depth, in_mapping=False))
            indent = self.next_content()
            if indent != col:
                if indent > col:
                    raise _GiveUp
                break  # the end of this list
            _, dash, key, rest = tokens[self.i]
            if not dash:
                break  # a key of the mapping this list is the value of
        self.count(len(result) + 1)
        return result

    def value(self, rest: str, col: int, depth: int, *, in_mapping: bool) -> Any:
        """The value after `key:` or `- ` (`rest`, the line's remainder) of an entry of the block
        collection at column `col`. Leaves the current line after it."""
        if not rest or rest[0] == "#":
            return self.below(col, depth, in_mapping=in_mapping)
        first = rest[0]
        if first not in _INDICATORS or (first == "-" and len(rest) > 1 and rest[1] != " "):
            return self.plain_value(rest, col)  # most values
        if first == "'" or first == '"':
            match = (_SINGLE if first == "'" else _DOUBLE).match(rest)
            if match is None or not _END.fullmatch(rest, match.end()):
                raise _GiveUp  # spans lines, escapes, or text after it
            self.i += 1
            return match.group(1).replace("''", "'") if first == "'" else match.group(1)
        if first == "[" or first == "{":
            return self.flow(rest)
        if first == "|" or first == ">":
            return self.block_scalar(rest, col)
        raise _GiveUp

    def plain_value(self, rest: str, col: int) -> Any:
        """A plain scalar starting on the current line as `rest`, an entry's value in the collection at
        column `col`; leaves the current line after it."""
        if _TRICKY.search(rest) is None:
            text, ended = rest, False
        else:
            text, ended = _plain_line(rest)
        # the line after, or at the end of the text one that goes on with nothing
        after = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else ("", "", "", "x")
        if not ended and (len(after[0]) > col or not (after[1] or after[2] or after[3])):
            text = self.continued(text, col)  # the next line is indented past `col`, or blank
        else:
            self.i += 1
        return text if text[0] not in self.typed else self.resolve(text)

    # -- scalars

    def continued(self, text: str, col: int) -> str:
        """A plain scalar that began as `text` on the current line, going on over lines indented past
        `col` (a break between two lines folds into a space, each blank line between into a break)."""
        lines = self.lines
        last = i = self.i
        blanks = 0
        ended = False
        while not ended and (i := i + 1) < len(lines):
            line = lines[i]
            stripped = line.lstrip(" ")
            if not stripped:
                blanks += 1
                continue
            if len(line) - len(stripped) <= col or stripped[0] == "#":
                break
            if stripped[0] in _INDICATORS:
                raise _GiveUp
            more, ended = _plain_line(stripped)
            text += ("\n" * blanks if blanks else " ") + more
            blanks = 0
            last = i
        self.i = last + 1
        return text

    def block_scalar(self, rest: str, col: int) -> str:
        """A literal (`|`) or folded (`>`) scalar, clipped or stripped (`-`), indented past `col`."""
        header = _BLOCK_HEADER.fullmatch(rest)
        if header is None:
            raise _GiveUp  # an indentation indicator, keep chomping (`+`) or text after the header
        literal, strip = header.group(1) == "|", header.group(2) == "-"
        lines = self.lines
        i = self.i + 1
        if i >= len(lines) or not lines[i].strip(" "):
            raise _GiveUp  # empty, or leading blank lines
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        if indent <= col:
            raise _GiveUp
        parts: list[str] = []
        blanks = 0
        while i < len(lines):
            line = lines[i]
            if not line.strip(" "):
                if len(line) > indent:
                    raise _GiveUp  # spaces past the indentation are content
                blanks += 1
                i += 1
                continue
            if len(line) - len(line.lstrip(" ")) < indent:
                break
            body = line[indent:]
            if parts:
                if literal:
                    parts.append("\n" * (blanks + 1))
                elif body[0] == " ":
                    raise _GiveUp  # a more indented line keeps its breaks in a folded scalar
                else:
                    parts.append("\n" * blanks if blanks else " ")
            elif body[0] == " " and not literal:  # pragma: no cover - the first line sets the indent
                raise _GiveUp
            parts.append(body)
            blanks = 0
            i += 1
        if i >= len(lines) and not blanks and not self.final_break:
            raise _GiveUp  # the last line has no break to clip
        self.i = i
        return "".join(parts) if strip else "".join(parts) + "\n"

    def flow(self, rest: str) -> Any:
        """A flow list or mapping of scalars, on this one line."""
        closer = "]" if rest[0] == "[" else "}"
        pos = 1
        stripped = rest[1:].lstrip(" ")
        if stripped.startswith(closer):  # [] or {}
            pos = len(rest) - len(stripped) + 1
            result: Any = [] if closer == "]" else {}
        elif closer == "]":
            result = []
            while True:
                match = _FLOW_ITEM.match(rest, pos)
                if match is None:
                    raise _GiveUp
                result.append(self.flow_scalar(match))
                pos = match.end()
                if match.group(4) == closer:
                    break
                if match.group(4) != ",":
                    raise _GiveUp
        else:
            result = {}
            while True:
                key = _FLOW_KEY.match(rest, pos)
                if key is None:
                    raise _GiveUp
                match = _FLOW_ITEM.match(rest, key.end())
                if match is None or key.group(1) in result:
                    raise _GiveUp
                result[key.group(1)] = self.flow_scalar(match)
                pos = match.end()
                if match.group(4) == closer:
                    break
                if match.group(4) != ",":
                    raise _GiveUp
        if not _END.fullmatch(rest, pos):
            raise _GiveUp
        self.count(len(result) * (1 if closer == "]" else 2))
        self.i += 1
        return result

    def flow_scalar(self, match: re.Match[str]) -> Any:
        single, double, plain, _ = match.groups()
        if single is not None:
            return single.replace("''", "'")
        if double is not None:
            return double
        return self.resolve(plain)


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def _plain_line(text: str) -> tuple[str, bool]:
    """One line's part of a plain scalar, and whether a comment ends the scalar on this line."""
    ended = False
    cut = text.find(" #")
    if cut >= 0:
        text, ended = text[:cut], True
    text = text.rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise _GiveUp  # a key where a value was expected: libyaml reports it
    return text, ended
