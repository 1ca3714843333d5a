"""The fast block-YAML reader (`blockyaml.read`) against libyaml (`loader.parse_yaml`).

The safety property, for any text: the fast reader gives up, or `parse_yaml` reads the text too and
builds strictly the same data (same types all the way down, same key order, NaN equal to NaN). It
must never accept a text that `parse_yaml` rejects, nor read one differently. Checked on the real
packs (which it must accept: that is the speed claim), on documents from a grammar of block YAML and
its edges, on mutated pack files, on short random texts and on hand-picked regressions; and through
`load_pack`, whose problems must keep their real lines and columns.
"""

from __future__ import annotations

import functools
import math
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import synthpack  # noqa: E402
from stargate_tui import blockyaml, loader  # noqa: E402

PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ----------------------------------------------------------------------------------------- helpers


def strict_equal(a: Any, b: Any) -> bool:
    """Equal values of exactly the same types, recursively, with dict keys in the same order; NaN
    equals NaN and 0.0 is not -0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            strict_equal(ka, kb) and strict_equal(va, vb)
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two values differ first (strictly), or "" if they do not."""
    where = path or "the root"
    if type(a) is not type(b):
        return f"{where}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where}: keys {list(a)!r} != {list(b)!r}"
        return next((d for k in a if (d := first_difference(a[k], b[k], f"{path}.{k}"))), "")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        return next((d for i, x in enumerate(a) if (d := first_difference(x, b[i], f"{path}[{i}]"))), "")
    return "" if strict_equal(a, b) else f"{where}: {a!r} != {b!r}"


def _shown(text: str) -> str:
    """The text for a failure message: whole if short (the mutation fuzz uses whole pack files)."""
    return repr(text) if len(text) <= 1500 else f"<a text of {len(text)} characters: see the example>"


def fast_read(text: str) -> Any:
    """The fast reader's raw result, called the way `loader.read_yaml` calls it."""
    return blockyaml.read(
        text,
        loader.plain_scalar,
        loader._resolved_first_characters(),
        max_depth=loader.MAX_DEPTH - 4,
        max_nodes=loader.MAX_NODES,
    )


def check_safety(text: str) -> bool:
    """Assert the safety property for `text`; whether the fast reader accepted it."""
    fast = fast_read(text)
    if fast is blockyaml.GIVE_UP:
        return False
    try:
        slow, _ = loader.parse_yaml(text)
    except Exception as exc:  # _YamlError, yaml.YAMLError, or worse
        shown = repr(fast) if len(repr(fast)) <= 1500 else "data"
        raise AssertionError(
            f"the fast reader accepted {_shown(text)} as {shown}, parse_yaml raised {exc!r}"
        ) from None
    assert strict_equal(fast, slow), (
        f"{_shown(text)}: the fast reader and parse_yaml differ at {first_difference(fast, slow)}"
    )
    data, positions = loader.read_yaml(text, positions=False)
    assert positions is None, f"read_yaml did not take the fast path for {text!r}"
    assert strict_equal(data, slow)
    return True


def node_count(data: Any) -> int:
    """The nodes `parse_yaml` counts against MAX_NODES for data without aliases: every scalar, key
    and collection."""
    if isinstance(data, dict):
        return 1 + sum(1 + node_count(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(node_count(v) for v in data)
    return 1


@functools.cache
def embedded_texts() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in loader.pack_files(loader.EMBEDDED_CONTENT)}


@functools.cache
def synthetic_texts() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        synthpack.generate(tmp, records=300)
        return {f"synthetic/{p.name}": p.read_text("utf-8") for p in loader.pack_files(Path(tmp))}


def pack_texts() -> dict[str, str]:
    return {**embedded_texts(), **synthetic_texts()}


def test_first_difference_names_the_place() -> None:
    assert (
        first_difference({"a": [1, {"b": True}]}, {"a": [1, {"b": 1}]}) == ".a[1].b: True (bool) != 1 (int)"
    )
    assert first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) == "the root: keys ['a', 'b'] != ['b', 'a']"
    assert first_difference({"a": [float("nan")]}, {"a": [float("nan")]}) == ""


def test_strict_equal_tells_types_and_key_order_apart() -> None:
    assert strict_equal({"a": [1, "x", None, 1.5]}, {"a": [1, "x", None, 1.5]})
    assert strict_equal(float("nan"), float("nan"))
    assert strict_equal({"a": [float("nan")]}, {"a": [float("nan")]})
    assert not strict_equal(True, 1)
    assert not strict_equal(1, 1.0)
    assert not strict_equal("1", 1)
    assert not strict_equal(None, "")
    assert not strict_equal(0.0, -0.0)
    assert not strict_equal(float("nan"), 1.0)
    assert not strict_equal({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not strict_equal({"a": [True]}, {"a": [1]})
    assert not strict_equal([1, 2], [1, 2, 3])
    assert not strict_equal({"a": 1}, {"a": 1, "b": 2})
    assert not strict_equal([1], (1,))


# ------------------------------------------------------------------------------------- real packs


@pytest.mark.parametrize("name", sorted(embedded_texts()))
def test_every_file_of_the_embedded_pack_is_read_fast_and_alike(name: str) -> None:
    text = embedded_texts()[name]
    assert fast_read(text) is not blockyaml.GIVE_UP, f"the fast reader gave up on {name}"
    assert check_safety(text)


def test_every_file_of_a_synthetic_pack_is_read_fast_and_alike() -> None:
    texts = synthetic_texts()
    assert len(texts) >= 7  # pack.yaml and one file per kind
    for name, text in texts.items():
        assert fast_read(text) is not blockyaml.GIVE_UP, f"the fast reader gave up on {name}"
        assert check_safety(text), name


# ------------------------------------------------------------------------ a grammar of block YAML

KEYS = ("a", "b", "c", "id", "en", "fr", "name", "key_1", "x-y", "yes", "null", "on", "True", "_k", "y", "n")
ODD_KEYS = ("1", "a b", "'q'", '"d"', "é", "? k", "<<", "1.5", "~", "-k", "[k]", "k#", "&a k", "!!str k")
PLAINS = (
    "yes", "no", "on", "off", "y", "N", "True", "FALSE", "Off", "NULL", "null", "~", "0", "-0", "007",
    "0x1F", "0o17", "0b101", "1_000", "1:20", "190:20:30", "1:60", "1e3", "1e+3", "1.0e+3", "6.8523015e+5",
    "1.5", ".5", "0.0", "-0.0", "-3", "+3", ".inf", "-.inf", "+.INF", ".NaN", ".nan", "2025-01-21",
    "2025-01-21T10:00:00Z", "2025-01-21 10:00:00", "2025-1-2", "<<", "=", "a#b", "a #b", "C#", "a:b",
    "http://x.y", "text with spaces", "a  b", "é", "café au lait", "日本", "-x", "--", "---", "...", "x]",
    "a,b", "x'y", 'x"y', "x\\y", "x\u00a0#y", "\ufeffx", "x !y", "x &y", "x *y", "x%", "x|", "x>",
    "openai-5gw-plea", "$500 billion", "10.61", "100", "2024-09",
)  # fmt: skip
ODD_PLAINS = (
    "a: b", "ends:", "?x", "? x", ":x", "@x", "`x`", "%x", "!x", "&x", "*x", "|x", ">x", "[x", "{x", "]x",
    "}x", "- x", "-", ":", "0x_", "._", "#x", "x\ty", "x #", ",x", "x:", "a: b: c", "1\t", "yes\t", "x\t# c",
)  # fmt: skip
QUOTED = (
    "'x'", "''", "'it''s'", "''''", "'a # b'", "'  spaced  '", "'yes'", "'1'", "'é'", "'a: b'", "'- x'",
    "'[x]'", '"x"', '""', '"a # b"', '"yes"', "\"it's\"", '"a: b"', '"  "', '"#"', "'x'  ", '"x" ',
)  # fmt: skip
ODD_QUOTED = (
    "'x' y", "'x", '"a\\nb"', '"\\u00e9"', '"a\\"b"', '"x" y', '"x', '"\\\\"', "'a''", "'x'#c", '"x"#c',
    "'x':", "'x' 'y'",
)  # fmt: skip
FLOWS = (
    "[]", "{}", "[ ]", "{ }", "[a, b]", "[a,b]", "[ a , b ]", "[yes, 1, ~, .5]", "['a', \"b\"]", "[a b, c]",
    "{en: x, fr: y}", "{en: 'x''y', fr: \"z\"}", "{a: 1}", "{ a: b }", "[é, 日本]", "[0o17, 1_000, 007]",
    "[2025-01-21]", "[<<, =]", "[openai, us-government]", "{unit: percent, amount: 10.61}", "[x]",
)  # fmt: skip
ODD_FLOWS = (
    "[a, ]", "{a:b}", "[a:b]", "{a, b}", "{a: }", "[a, [b]]", "{a: [b]}", "[a: b]", "[? a]", "[a #b]",
    "[a]x", "[-a]", "[- a]", "[a,,b]", "{en: x, en: y}", "{'a': b}", "[http://x]", "[1:20]", "[,]", "[a",
    "{a: b", "[a]]", "[*a]", "[&a b]", "[!!str 1]", '["a\\nb"]', "[a] [b]", "{a: b c}", "{a: b, }",
    "[a , ]", "{a: b}}", "[a]#c", "{ : b}", "[a\u00a0]", "[a\t]", "[1\t, 2]",
)  # fmt: skip
PROPERTIES = ("&a x", "*a", "!!str 1", "!!int 1", "&a", "!x y", "!!binary eA==", "&a [x]", "! x", "!!float 1")
BLOCK_HEADERS = ("|", ">", "|-", ">-", "| # c", ">-  # c", "|  ")
ODD_BLOCK_HEADERS = ("|+", ">+", ">2", "|2-", "|-1", "|#c", "> x", "|-+", ">1")
WORDS = ("some text", "x", "yes", "1", "a #b", "a: b", "é à", "  ", "'q", '"x', "-", "[x]", "#x", "end.")
BLOCK_ODD_LINES = ("# not a comment", "- x", "k: v", "---", "...", "|", "a  b  ")
CONTINUATIONS = ("more words", "x", "yes", "1", "a#b", "end", "é", "1:20", "x y z", "a,b", "-x", "...")
ODD_CONTINUATIONS = ("a: b", "- x", "# c", "[x", "x #c", "k:", "&a", "*a", "'q'", "? x", "-", "---")
COMMENTS = ("# note", "#", "# a: b", "#- x", "# 'q", "#: ")
TRAILING = (" # c", "  # c: d", " #", "   #x")


class _Doc:
    """One random block-YAML document, mostly from what packs are written in, with edges and,
    at a rate of its own (`odd`), things the fast reader should leave to libyaml."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.odd = rng.choice((0.0, 0.0, 0.0, 0.02, 0.08, 0.3))
        self.lines: list[str] = []
        self.features: set[str] = set()

    # -- choices

    def chance(self, p: float) -> bool:
        return self.rng.random() > 1 - p  # never for the 0.0 hypothesis shrinks towards

    def weird(self) -> bool:
        return self.chance(self.odd)

    def pick(self, usual: tuple[str, ...], odd: tuple[str, ...]) -> str:
        return self.rng.choice(odd) if self.weird() else self.rng.choice(usual)

    def step(self) -> int:
        return self.rng.choice((2, 2, 2, 4, 1, 3))

    def emit(self, line: str) -> None:
        if self.chance(0.02):
            line += " "  # a trailing space
        self.lines.append(line)

    def trailing(self) -> str:
        if self.chance(0.15):
            self.features.add("trailing comment")
            return self.rng.choice(TRAILING)
        return ""

    # -- the document

    def text(self) -> str:
        rng = self.rng
        self.filler(0)
        self.mapping(0, 0)
        lines = self.lines
        if self.weird():
            lines.insert(0, rng.choice(("---", "--- # c", "%YAML 1.1\n---", "# c\n---")))
        if self.weird():
            lines.append(rng.choice(("...", "---", "---\nz: 1", "- x", "x", "  x", "#", " ")))
        if self.weird():
            lines[0] = "\ufeff" + lines[0]
        if self.weird():  # a tab in the indentation, in the text or at the end of a line
            j = rng.randrange(len(lines))
            lines[j] = rng.choice(("\t" + lines[j], lines[j].replace(" ", "\t", 1), lines[j] + "\t"))
        if self.weird():  # an indentation one more or one less
            j = rng.randrange(len(lines))
            lines[j] = " " + lines[j] if self.chance(0.5) or not lines[j].startswith(" ") else lines[j][1:]
        sep = "\r\n" if self.weird() else "\n"
        text = sep.join(lines)
        if self.chance(0.75):
            text += sep
        else:
            self.features.add("no final newline")
        return text

    def filler(self, col: int) -> None:
        """Blank and comment lines between two entries."""
        rng = self.rng
        while self.chance(0.25):
            kind = rng.randrange(4)
            if kind == 0:
                self.emit("")
            elif kind == 1:
                self.emit(" " * rng.randint(0, col + 3))
            else:
                self.emit(" " * rng.randint(0, col + 4) + rng.choice(COMMENTS))
                self.features.add("comment line")

    def key(self, used: list[str]) -> str:
        if used and self.weird():
            return self.rng.choice(used)  # a duplicate key
        if self.weird():
            return self.rng.choice(ODD_KEYS)
        return self.rng.choice([k for k in KEYS if k not in used])

    def mapping(self, col: int, depth: int, lead: str | None = None) -> None:
        """A block mapping with its keys at `col`; its first line starts with `lead` (`- `) if given."""
        rng = self.rng
        used: list[str] = []
        for index in range(rng.randint(1, 4 if depth == 0 else 3)):
            if index:
                self.filler(col)
            key = self.key(used)
            used.append(key)
            if index == 0 and lead is not None:
                prefix = lead
            elif index and self.weird():
                prefix = " " * max(0, col + rng.choice((-2, -1, 1, 2)))
            else:
                prefix = " " * col
            self.value(prefix + key + ":", col, depth, in_mapping=True)

    def sequence(self, col: int, depth: int) -> None:
        """A block sequence with its dashes at `col`."""
        rng = self.rng
        for index in range(rng.randint(1, 3)):
            if index:
                self.filler(col)
            indent = col if not (index and self.weird()) else max(0, col + rng.choice((-1, 1)))
            dash = " " * indent + "-"
            if depth < 5 and self.chance(0.35):  # `- key: value`
                self.features.add("compact mapping")
                gap = rng.randint(2, 3) if self.chance(0.15) else 1
                self.mapping(indent + 1 + gap, depth + 1, lead=dash + " " * gap)
            elif self.weird():
                self.emit(dash + " - x")
            else:
                self.value(dash, indent, depth, in_mapping=False)

    def value(self, head: str, col: int, depth: int, *, in_mapping: bool) -> None:
        """`head` (`key:` or `-`) and its value, in the collection at `col`."""
        rng = self.rng
        kinds = ["plain"] * 4 + ["quoted", "flow", "empty", "block", "block", "multiline"]
        if depth < 4:
            kinds += ["map", "map", "seq"]
            if in_mapping:
                kinds.append("flat seq")
        if self.weird():
            kinds.append("properties")
        kind = rng.choice(kinds)
        self.features.add(kind)
        if kind == "plain":
            self.emit(head + " " + self.pick(PLAINS, ODD_PLAINS) + self.trailing())
        elif kind == "quoted":
            self.emit(head + " " + self.pick(QUOTED, ODD_QUOTED) + self.trailing())
        elif kind == "flow":
            self.emit(head + " " + self.pick(FLOWS, ODD_FLOWS) + self.trailing())
        elif kind == "properties":
            self.emit(head + " " + rng.choice(PROPERTIES))
        elif kind == "empty":
            self.emit(head + self.trailing())
        elif kind == "map":
            self.emit(head + self.trailing())
            self.mapping(col + self.step(), depth + 1)
        elif kind == "seq":
            self.emit(head + self.trailing())
            self.sequence(col + self.step(), depth + 1)
        elif kind == "flat seq":  # `key:` then `- x` not indented
            self.emit(head + self.trailing())
            self.sequence(col, depth + 1)
        elif kind == "block":
            self.block(head, col)
        else:
            self.multiline(head, col)

    def block(self, head: str, col: int) -> None:
        """A literal or folded scalar: content lines, more indented lines, blank lines in and after."""
        rng = self.rng
        header = self.pick(BLOCK_HEADERS, ODD_BLOCK_HEADERS)
        self.emit(head + " " + header)
        indent = max(0, col - rng.randint(0, 1)) if self.weird() else col + self.step()
        if self.weird():
            self.emit("")  # a leading blank line
        self.emit(" " * indent + self.pick(WORDS, BLOCK_ODD_LINES).strip() + "x")
        for _ in range(rng.randint(0, 4)):
            r = rng.random()
            if r < 0.45:
                self.emit(" " * indent + self.pick(WORDS, BLOCK_ODD_LINES))
            elif r < 0.65:
                self.emit("")
                self.features.add("blank line in a block scalar")
            elif r < 0.72:
                self.emit(" " * rng.randint(0, indent))
            elif r < 0.82:
                self.emit(" " * (indent + rng.randint(1, 2)) + rng.choice(WORDS))
                self.features.add("more indented line")
            elif r < 0.86:
                self.emit(" " * (indent + rng.randint(1, 2)))  # spaces past the indentation: content
            elif r < 0.93:
                self.emit(" " * indent + rng.choice(COMMENTS))  # content, not a comment
            else:
                self.emit(
                    " " * rng.randint(min(col + 1, indent), indent) + rng.choice(WORDS)
                )  # less indented
        while self.chance(0.3):
            self.emit(" " * rng.randint(0, indent) if self.chance(0.3) else "")
            self.features.add("blank line after a block scalar")

    def multiline(self, head: str, col: int) -> None:
        """A plain scalar going on over more indented lines, with blank lines between."""
        rng = self.rng
        self.emit(head + " " + rng.choice(("first words", "yes", "1", "a#b", "x", "-x", "1:20", "C#")))
        for _ in range(rng.randint(1, 3)):
            for _ in range(rng.choice((0, 0, 0, 1, 2))):
                self.emit(" " * rng.randint(0, col + 2))
                self.features.add("blank line in a plain scalar")
            if self.weird():
                self.emit(" " * (col + rng.randint(0, 3)) + rng.choice(COMMENTS))
            more = rng.randint(-1, 0) if self.weird() else rng.randint(1, 3)
            self.emit(" " * max(0, col + more) + self.pick(CONTINUATIONS, ODD_CONTINUATIONS))


def document(rng: random.Random) -> str:
    return _Doc(rng).text()


SAMPLE = 200


@functools.cache
def sample() -> list[tuple[str, set[str]]]:
    """Documents of the grammar from fixed seeds, with the features each was built from."""
    out = []
    for seed in range(SAMPLE):
        doc = _Doc(random.Random(seed))
        out.append((doc.text(), doc.features))
    return out


def test_a_good_share_of_generated_documents_is_read_fast_and_alike() -> None:
    """Without this, the property below could pass with a reader that always gives up."""
    accepted = [(text, features) for text, features in sample() if check_safety(text)]
    assert len(accepted) >= 0.3 * SAMPLE, f"only {len(accepted)} of {SAMPLE} documents read fast"
    seen = set().union(*(features for _, features in accepted))
    wanted = {
        "plain", "quoted", "flow", "empty", "block", "multiline", "map", "seq", "flat seq",
        "compact mapping", "comment line", "trailing comment", "no final newline",
        "blank line in a block scalar", "blank line after a block scalar", "blank line in a plain scalar",
        "more indented line",
    }  # fmt: skip
    assert wanted <= seen, f"never read fast: {sorted(wanted - seen)}"
    # and the files are not all trivial
    assert sum(text.count("\n") >= 8 for text, _ in accepted) >= 0.1 * SAMPLE


@given(st.randoms(use_true_random=False))
@PROPERTY
def test_generated_block_yaml_is_read_alike_or_left_to_libyaml(rng: random.Random) -> None:
    accepted = check_safety(document(rng))
    event("read fast" if accepted else "left to libyaml")


def test_the_node_limit_is_kept_by_both_readers() -> None:
    """A document read fast with exactly one node too many for the limit is left to libyaml (which
    refuses it), at the limit it may be read fast: both readers count the same nodes."""
    checked = 0
    small = [
        "a: x\n",
        "a: {en: x, fr: y}\n",
        "a: [x, y]\n",
        "a:\n- x\n- y\n",
        "a:\n  b: 1\n",
        "a:\n- b: {c: d}\n",
    ]
    for text in small + [text for text, _ in sample()]:
        data = fast_read(text)
        if data is blockyaml.GIVE_UP:
            continue
        nodes = node_count(data)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(loader, "MAX_NODES", nodes - 1)
            with pytest.raises(loader._YamlError, match="document too large"):
                loader.parse_yaml(text)
            assert not check_safety(text)
            mp.setattr(loader, "MAX_NODES", nodes)
            check_safety(text)
        checked += 1
    assert checked >= 0.3 * SAMPLE


@pytest.mark.parametrize("depth", range(loader.MAX_DEPTH - 6, loader.MAX_DEPTH + 2))
@pytest.mark.parametrize("bottom", ["[x, y]", "{a: x}", "x", "\n" + "  " * 40 + "- x"])
def test_deep_nesting_is_read_alike_or_left_to_libyaml(depth: int, bottom: str) -> None:
    lines = ["  " * level + "k:" for level in range(depth)]
    text = "\n".join(lines) + " " + bottom.replace("  " * 40, "  " * depth) + "\n"
    check_safety(text)


# ---------------------------------------------------------------------------------- mutation fuzz

MUTATION_CHARS = " :-#'\"[]{},>|!&*\n\t~" + "aZ09é"
EDITS = ("delete char", "insert char", "duplicate line", "delete line", "indent", "dedent", "join lines")


def mutate(data: st.DataObject, text: str) -> str:
    edit = data.draw(st.sampled_from(EDITS), label="edit")
    if edit == "delete char":
        at = data.draw(st.integers(0, len(text) - 1), label="at")
        return text[:at] + text[at + 1 :]
    if edit == "insert char":
        at = data.draw(st.integers(0, len(text)), label="at")
        return text[:at] + data.draw(st.sampled_from(MUTATION_CHARS), label="char") + text[at:]
    lines = text.split("\n")
    j = data.draw(st.integers(0, len(lines) - 1), label="line")
    if edit == "duplicate line":
        lines.insert(j, lines[j])
    elif edit == "delete line":
        del lines[j]
    elif edit == "indent":
        lines[j] = " " * data.draw(st.integers(1, 2), label="by") + lines[j]
    elif edit == "dedent":
        by = data.draw(st.integers(1, 2), label="by")
        lines[j] = lines[j][min(by, len(lines[j]) - len(lines[j].lstrip(" "))) :]
    elif j + 1 < len(lines):  # join a line and the next
        lines[j : j + 2] = [lines[j] + data.draw(st.sampled_from(("", " ")), label="with") + lines[j + 1]]
    return "\n".join(lines)


@given(st.data())
@PROPERTY
def test_mutated_pack_files_are_read_alike_or_left_to_libyaml(data: st.DataObject) -> None:
    texts = pack_texts()
    text = texts[data.draw(st.sampled_from(sorted(texts)), label="file")]
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        text = mutate(data, text)
    event("read fast" if check_safety(text) else "left to libyaml")


@given(st.randoms(use_true_random=False), st.data())
@PROPERTY
def test_mutated_generated_documents_are_read_alike_or_left_to_libyaml(
    rng: random.Random, data: st.DataObject
) -> None:
    text = document(rng)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        text = mutate(data, text) if text else text
    event("read fast" if check_safety(text) else "left to libyaml")


def test_most_single_edits_of_pack_files_are_still_read_fast() -> None:
    """The mutation fuzz is worth something only if mutated files are still read fast, often."""
    rng = random.Random(7)
    texts = list(embedded_texts().values())
    accepted = 0
    for _ in range(100):
        text = rng.choice(texts)
        at = rng.randrange(len(text))
        accepted += check_safety(text[:at] + rng.choice(MUTATION_CHARS) + text[at:])
    assert accepted >= 30


@given(st.text(alphabet=" :-#'\"[]{},>|!&*\n~?%@`\\xyab01.é\u00a0\u3000\ufeff", max_size=40))
@PROPERTY
def test_short_random_texts_are_read_alike_or_left_to_libyaml(text: str) -> None:
    check_safety("k: " + text)
    check_safety(text)


# ------------------------------------------------------------------------------------ regressions

RAISES = object()  # parse_yaml refuses the text


def _param(text: str, expected: Any, fast: bool | None, id: str) -> Any:
    return pytest.param(text, expected, fast, id=id)


REGRESSIONS = [
    _param(
        "a: yes\nb: No\nc: on\nd: OFF\n", {"a": True, "b": False, "c": True, "d": False}, True, "booleans"
    ),
    _param("a: 0o17\n", {"a": "0o17"}, True, "0o17 is text in YAML 1.1"),
    _param("a: 1_000\n", {"a": 1000}, True, "1_000"),
    _param("a: 1:20\n", {"a": 80}, True, "sexagesimal 1:20"),
    _param("a: 007\n", {"a": 7}, True, "007"),
    _param("a: 1e3\n", {"a": "1e3"}, True, "1e3 is text in YAML 1.1"),
    _param("a: 1.5\nb: .5\nc: -3\nd: +3\n", {"a": 1.5, "b": 0.5, "c": -3, "d": 3}, True, "numbers"),
    _param("a: ~\nb: NULL\nc:\n", {"a": None, "b": None, "c": None}, True, "nulls"),
    _param("a: .NaN\nb: -.inf\n", {"a": math.nan, "b": -math.inf}, True, "nan and inf"),
    _param("a: 2025-01-21\n", {"a": "2025-01-21"}, True, "a date stays text"),
    _param("a: 0x1F\nb: 0b101\n", {"a": 31, "b": 5}, True, "hex and binary"),
    _param("a: a #b\nb: a#b\nc: C#\n", {"a": "a", "b": "a#b", "c": "C#"}, True, "hash signs"),
    _param("yes: 1\nnull: 2\n", {"yes": 1, "null": 2}, True, "keys kept as written"),
    _param("a: 'it''s'\nb: \"x\"\n", {"a": "it's", "b": "x"}, True, "quoted"),
    _param("a: {en: x, fr: y}\nb: [a,b]\n", {"a": {"en": "x", "fr": "y"}, "b": ["a", "b"]}, True, "flow"),
    _param("a: []\nb: { }\n", {"a": [], "b": {}}, True, "empty flow collections"),
    _param("a: [a, ]\n", {"a": ["a"]}, None, "flow list with a trailing comma"),
    _param("a: {a:b}\n", {"a": {"a:b": None}}, None, "flow mapping without a space"),
    _param("a: >\n  x\n\n  y\n\n\nb: 1\n", {"a": "x\ny\n", "b": 1}, True, "folded, blank lines, clip"),
    _param("a: >-\n  x\n\n\n  y\n\n", {"a": "x\n\ny"}, True, "folded, blank lines, strip"),
    _param("a: |\n  x\n\n  y\n\n", {"a": "x\n\ny\n"}, True, "literal, blank lines, clip"),
    _param("a: |-\n  x\n   y\n", {"a": "x\n y"}, True, "literal, more indented, strip"),
    _param("a: >\n  x\n   y\n  z\n", {"a": "x\n y\nz\n"}, None, "folded, more indented line"),
    _param("a: |+\n  x\n\n", {"a": "x\n\n"}, None, "keep chomping"),
    _param("a: >2\n   x\n", {"a": " x\n"}, None, "indentation indicator"),
    _param("a: |\nx\n", RAISES, None, "block scalar content not indented"),
    _param("a: |\n  x\n  y", {"a": "x\ny"}, None, "block scalar at the end without a final newline"),
    _param("a: |-\n  x", {"a": "x"}, None, "stripped block scalar at the end without a final newline"),
    _param("a: x\n\n  y\n", {"a": "x\ny"}, True, "plain scalar continued after a blank line"),
    _param("a: x\n   \n  y\n  z\n", {"a": "x\ny z"}, True, "plain scalar continued after a spaces line"),
    _param("- a: x\n   y\n", [{"a": "x y"}], None, "a sequence at the root"),
    _param("a:\n- x\n- y\nb: 1\n", {"a": ["x", "y"], "b": 1}, True, "key then a not indented list"),
    _param("a:\n  b:\n  - x\n  c: 1\n", {"a": {"b": ["x"], "c": 1}}, True, "nested not indented list"),
    _param(
        "a:\n- b: 1\n  c: 2\n-\n  d: 3\n", {"a": [{"b": 1, "c": 2}, {"d": 3}]}, True, "compact, dash alone"
    ),
    _param("a: x\n  # c\n  y\n", RAISES, None, "comment line inside a plain scalar"),
    _param("a: x\n  y\n  # c\nb: 1\n", {"a": "x y", "b": 1}, True, "comment line after a plain scalar"),
    _param("a: x # c\n  y\n", RAISES, None, "text after a trailing comment"),
    _param("a: 1\nb: 2\na: 3\n", RAISES, None, "duplicate key"),
    _param("a: {en: x, en: y}\n", RAISES, None, "duplicate key in a flow mapping"),
    _param("a: x\ty\n", {"a": "x\ty"}, None, "tab in a scalar"),
    _param("a: 1\t\nb: [c\t]\n", {"a": 1, "b": ["c"]}, None, "tab after a scalar"),
    _param("a:\n\t- x\n", RAISES, None, "tab in the indentation"),
    _param("a: 1\r\nb: 2\r\n", {"a": 1, "b": 2}, None, "CR LF line ends"),
    _param("a: |\r\n  x\r\n", {"a": "x\n"}, None, "CR LF in a block scalar"),
    _param("a: &x 1\nb: *x\n", {"a": 1, "b": 1}, None, "anchor and alias"),
    _param("a: !!str 1\n", {"a": "1"}, None, "tag"),
    _param("a: a: b\n", RAISES, None, "a key where a value was expected"),
    _param("a: x\n b: 1\n", RAISES, None, "a key in a continuation line"),
    _param("a: 1\n...\n", {"a": 1}, None, "document end"),
    _param("a: 1\n---\nb: 2\n", RAISES, None, "two documents"),
    _param("a: ---\nb: ...\n", {"a": "---", "b": "..."}, True, "markers as values"),
    _param("\ufeffa: 1\n", {"a": 1}, None, "byte order mark"),
    _param("a: -\n", RAISES, None, "a lone dash as a value"),
    _param("a:\n - - x\n", {"a": [["x"]]}, None, "a sequence in a sequence"),
    _param("a:\n  - x\n - y\n", RAISES, None, "a dash one space less"),
    _param("a:\n  b: 1\n   c: 2\n", RAISES, None, "a key one space more"),
    _param("a: " + "1" * 4000 + "\n", {"a": int("1" * 4000)}, True, "a long integer"),
]


@pytest.mark.parametrize(("text", "expected", "fast"), REGRESSIONS)
def test_regression(text: str, expected: Any, fast: bool | None) -> None:
    """`expected` is what libyaml reads (written by hand); `fast` whether the fast reader must read the
    text (True), or may leave it to libyaml (None)."""
    accepted = check_safety(text)
    if fast is not None:
        assert accepted is fast
    if expected is RAISES:
        with pytest.raises((loader._YamlError, yaml.YAMLError)):
            loader.parse_yaml(text)
        assert not accepted
    else:
        assert strict_equal(loader.parse_yaml(text)[0], expected)


def yaml_1_1(value: str) -> Any:
    """A plain scalar's value by PyYAML's own resolver and constructor, dates (and `<<`, `=`) kept as
    text: what the loader's shared `plain_scalar` must give on both paths."""
    resolver: Any = yaml.resolver.Resolver()
    tag = resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag.rsplit(":", 1)[-1] in ("str", "timestamp", "merge", "value", "yaml"):
        return value
    return yaml.constructor.SafeConstructor().construct_object(yaml.ScalarNode(tag, value), deep=True)


@given(
    st.one_of(
        st.sampled_from(PLAINS + ODD_PLAINS),
        st.from_regex(r"[-+]?[.0-9][0-9_:.eExXob+-]{0,8}", fullmatch=True),
        st.text(max_size=6),
    )
)
@PROPERTY
def test_plain_scalars_are_resolved_by_yaml_1_1(value: str) -> None:
    """Both readers resolve plain scalars with `loader.plain_scalar`: it must be YAML 1.1, and a value
    its type refuses must raise the error `parse_yaml` turns into a problem with a position."""
    try:
        expected = yaml_1_1(value)
    except (ValueError, yaml.YAMLError):
        with pytest.raises(loader._BadScalar):
            loader.plain_scalar(value)
        return
    assert strict_equal(loader.plain_scalar(value), expected)


def test_an_integer_too_long_for_python_is_a_yaml_problem_not_a_crash() -> None:
    """Python refuses to convert more than 4300 digits; parse_yaml must report it (a _YamlError that
    load_pack turns into a problem), the fast reader leave it to libyaml."""
    text = "a: " + "1" * 4301 + "\n"
    assert fast_read(text) is blockyaml.GIVE_UP
    with pytest.raises(loader._YamlError, match="invalid int"):
        loader.parse_yaml(text)


#: Characters YAML reads as line breaks (NEL, LS, PS) or refuses (C0/C1 controls, DEL, a surrogate).
#: The fast reader leaves them to libyaml unless its caller says it has refused them already
#: (`checked`: `load_pack` does, before any YAML is read, with `loader._CONTROL`).
LOADER_REFUSED = ["\x85", "\u2028", "\u2029", "\x01", "\x7f", "\ud800"]


@pytest.mark.parametrize("char", LOADER_REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_character_libyaml_breaks_lines_at_or_refuses_is_left_to_libyaml(char: str) -> None:
    for template in ("a: x{}y\n", "a: x{}\n", "a: [x{}]\n", "a: |\n  x{}y\n"):
        check_safety(template.format(char))


# ------------------------------------------------------------------------------- through load_pack


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\x01"], ids=lambda c: f"U+{ord(c):04X}")
def test_load_pack_refuses_those_characters_before_reading_yaml(tmp_path: Path, char: str) -> None:
    """Why `load_pack` may tell the fast reader that the characters are checked: it refuses the file
    first, at the character."""
    pack = tmp_path / "pack"
    shutil.copytree(loader.EMBEDDED_CONTENT, pack)
    text = (pack / "people.yaml").read_text("utf-8")
    at = text.index("\n  - id: ") + 1
    (pack / "people.yaml").write_text(text[:at] + f"# x{char}y\n" + text[at:], "utf-8")
    problems = _problems(pack)
    assert [(Path(p.path).name, p.line, p.col) for p in problems] == [
        ("people.yaml", text.count("\n", 0, at) + 1, 4)
    ]
    assert f"U+{ord(char):04X}" in problems[0].message


def _problems(directory: Path) -> list[loader.Problem]:
    with pytest.raises(loader.PackInvalid) as info:
        loader.load_pack(directory)
    return info.value.problems


def _spy_on_read_yaml(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For every call of `loader.read_yaml` from now on, whether it returned without positions (read
    by the fast reader)."""
    real = loader.read_yaml
    calls: list[bool] = []

    def spy(text: str, *, positions: bool = True, checked: bool = False) -> Any:
        data, pos = real(text, positions=positions, checked=checked)
        calls.append(pos is None)
        return data, pos

    monkeypatch.setattr(loader, "read_yaml", spy)
    return calls


def _line_of(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` first occurs in `text`."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_problems_in_a_file_read_fast_have_their_real_lines_and_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(loader.EMBEDDED_CONTENT, pack)
    figures = pack / "figures.yaml"
    text = figures.read_text("utf-8")
    record = re.search(r"^  - id: .+\n", text, re.MULTILINE)
    assert record is not None
    text = text[: record.end()] + "    colour: blue\n" + text[record.end() :]
    figures.write_text(text, "utf-8")
    events = pack / "events.yaml"
    old = events.read_text("utf-8")
    ref = re.search(r"^    actors: \[(\S+), ", old, re.MULTILINE)
    assert ref is not None
    events_text = old[: ref.start(1)] + "no-such-org" + old[ref.end(1) :]
    events.write_text(events_text, "utf-8")
    # both edited files are ones the fast reader reads
    assert fast_read(text) is not blockyaml.GIVE_UP
    assert fast_read(events_text) is not blockyaml.GIVE_UP

    calls = _spy_on_read_yaml(monkeypatch)
    problems = _problems(pack)
    assert any(calls)  # the fast reader read files of this pack
    by_file = {Path(p.path).name: p for p in problems}
    assert len(problems) == 2 and set(by_file) == {"figures.yaml", "events.yaml"}
    assert (by_file["figures.yaml"].line, by_file["figures.yaml"].col) == _line_of(text, "colour: blue")
    assert "colour" in by_file["figures.yaml"].message
    assert (by_file["events.yaml"].line, by_file["events.yaml"].col) == _line_of(events_text, "no-such-org")
    assert "no-such-org" in by_file["events.yaml"].message

    # exactly what the loader reported before the fast reader: every file read by libyaml
    monkeypatch.setattr(loader, "read_yaml", lambda text, **_: loader.parse_yaml(text))
    assert _problems(pack) == problems


def test_a_valid_pack_loads_the_same_records_with_or_without_the_fast_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _spy_on_read_yaml(monkeypatch)
    fast = loader.load_pack(loader.EMBEDDED_CONTENT)
    assert calls == [True] * len(loader.pack_files(loader.EMBEDDED_CONTENT))  # each file once, fast
    monkeypatch.setattr(loader, "read_yaml", lambda text, **_: loader.parse_yaml(text))
    slow = loader.load_pack(loader.EMBEDDED_CONTENT)
    assert list(fast.records) == list(slow.records)
    assert fast.records == slow.records and fast.info == slow.info
