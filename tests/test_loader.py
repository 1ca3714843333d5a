"""The loader: safe YAML with positions, limits, strict records, cross-record checks, quotes."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
import yaml

from stargate_tui import cli, loader, model, progress
from stargate_tui import pack as pack_module
from stargate_tui.loader import (
    ENV_CONTENT,
    FactPack,
    PackInvalid,
    PackUnavailable,
    Problem,
    YamlProblem,
    default_content_dir,
    load_pack,
    pack_files,
    parse_yaml,
    read_paragraphs,
)
from stargate_tui.model import Event, Figure, Organisation, Person, Place, Statement

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal"
ARTICLE = DATA / "article.txt"
MINIMAL_TEXT = (MINIMAL / "pack.yaml").read_text(encoding="utf-8")

HEAD = """pack:
  id: t
  title: {en: Test, fr: Test}
  summary: {en: Test pack., fr: Pack de test.}
  article: {title: {en: A, fr: A}, language: fr, date: "2025-01", paragraphs: 3}
"""


def org(record_id: str, extra: str = "") -> str:
    return (
        f"  - id: {record_id}\n    name: Org\n    kind: company\n    role: {{en: R, fr: R}}\n"
        f'    summary: {{en: S, fr: S}}\n{extra}    source: {{paragraph: 1, quote: "Acme a"}}\n'
    )


def write(directory: Path, **files: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = directory / name.replace("__", ".")
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return directory


def problems(directory: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(PackInvalid) as info:
        load_pack(directory, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


def only_problem(directory: Path, **kwargs: object) -> Problem:
    found = problems(directory, **kwargs)
    assert len(found) == 1, found
    return found[0]


def yaml_error(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    return info.value


# ------------------------------------------------------------------------------------ a valid pack


def test_minimal_pack_loads() -> None:
    pack = load_pack(MINIMAL)
    assert isinstance(pack, FactPack)
    assert pack.info.id == "minimal"
    assert pack.info.article.paragraphs == 3
    assert pack.info.article.publisher == "Test Press"
    assert pack.directory == MINIMAL
    assert pack.files == [MINIMAL / "pack.yaml"]
    assert list(pack.records) == [
        "acme",
        "lyon-council",
        "jeanne-martin",
        "france",
        "lyon-site",
        "acme-investment",
        "acme-jobs",
        "martin-jobs-quote",
        "acme-announcement",
        "plant-opening",
    ]
    kinds = {cls: [r.id for r in pack.of_kind(cls.KIND)] for cls in (Organisation, Person, Place)}
    assert kinds == {
        Organisation: ["acme", "lyon-council"],
        Person: ["jeanne-martin"],
        Place: ["france", "lyon-site"],
    }
    assert len(pack.of_kind(Figure.KIND)) == 2
    assert len(pack.of_kind(Statement.KIND)) == 1
    assert len(pack.of_kind(Event.KIND)) == 2
    assert pack.get("nobody") is None
    jobs = pack.get("acme-jobs")
    assert isinstance(jobs, Figure)
    assert jobs.value.bound == "range" and (jobs.value.low, jobs.value.high) == (400, 500)
    assert [s.paragraph for s in jobs.sources] == [2, 1]
    event = pack.get("acme-announcement")
    assert isinstance(event, Event)
    assert event.date.iso == "2025-01" and event.date.precision == "month" and event.date.approximate


def test_backlinks() -> None:
    pack = load_pack(MINIMAL)
    assert pack.backlinks["acme"] == [
        ("jeanne-martin", "organisations"),
        ("acme-investment", "stated_by"),
        ("acme-investment", "subjects"),
        ("acme-jobs", "subjects"),
        ("acme-announcement", "actors"),
    ]
    assert pack.backlinks["acme-investment"] == [
        ("acme-jobs", "in_addition_to"),
        ("acme-announcement", "related"),
    ]
    assert pack.backlinks["france"] == [
        ("acme", "country"),
        ("lyon-council", "country"),
        ("lyon-site", "within"),
    ]
    assert "plant-opening" not in pack.backlinks
    # every back-link is the mirror of a forward link
    forward = {(r.id, fld, target) for r in pack.records.values() for fld, target in r.ref_ids()}
    backward = {(src, fld, target) for target, links in pack.backlinks.items() for src, fld in links}
    assert forward == backward


def test_files_order_and_extensions(tmp_path: Path) -> None:
    body = MINIMAL_TEXT.split("\norganisations:", 1)
    write(
        tmp_path,
        a__yaml="organisations:" + body[1],
        pack__yaml=body[0],
        notes__txt="ignored",
        extra__yml="",
    )
    (tmp_path / "sub.yaml").mkdir()  # a directory is not a file of the pack
    assert [p.name for p in pack_files(tmp_path)] == ["pack.yaml", "a.yaml", "extra.yml"]
    found = only_problem(tmp_path)  # extra.yml is read (and empty)
    assert (Path(found.path).name, found.message) == (
        "extra.yml",
        "file is empty; expected a mapping of sections",
    )
    (tmp_path / "extra.yml").unlink()
    pack = load_pack(tmp_path)
    assert len(pack.records) == 10
    assert [p.name for p in pack.files] == ["pack.yaml", "a.yaml"]


def test_default_content_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_CONTENT, str(tmp_path))
    assert default_content_dir() == tmp_path
    shutil.copy(MINIMAL / "pack.yaml", tmp_path / "pack.yaml")
    assert load_pack().info.id == "minimal"  # None: the default directory
    monkeypatch.delenv(ENV_CONTENT)
    default = default_content_dir()
    assert default.name == "content" and default.is_dir()
    assert (default / "pack.yaml").is_file()


# ------------------------------------------------------------------------------- YAML → plain data


def test_parse_yaml_values_and_positions() -> None:
    data, pos = parse_yaml("a:\n  b: [1, 2.5, true, null, x]\n  'c': \"2025-01-21\"\nd: 2025-01-21\n")
    assert data == {"a": {"b": [1, 2.5, True, None, "x"], "c": "2025-01-21"}, "d": "2025-01-21"}
    assert pos.at(("a", "b", 0)) == (2, 7)
    assert pos.at(("a", "b", 4)) == (2, 27)
    assert pos.at(("a", "c"), key=True) == (3, 3)
    assert pos.at(("a", "c")) == (3, 8)
    assert pos.at(("d",)) == (4, 4)
    assert pos.at(("a", "b", 99)) == (2, 6)  # unknown path: the nearest known ancestor
    assert pos.at(()) == (1, 1)


def test_keys_are_kept_as_written() -> None:
    data, _ = parse_yaml("yes: 1\nno: 2\n1: 3\nnull: 4\n0x10: 5\n")
    assert list(data) == ["yes", "no", "1", "null", "0x10"]
    assert data["yes"] == 1


def test_dates_stay_strings_and_explicit_str() -> None:
    data, _ = parse_yaml("a: 2025-01-21\nb: 2025-01-21T10:00:00Z\nc: !!str 123\nd: !!int '12'\n")
    assert data == {"a": "2025-01-21", "b": "2025-01-21T10:00:00Z", "c": "123", "d": 12}


def test_what_yaml_resolves_plain_text_to_stays_text() -> None:
    """A date, `<<` and `=` are text as written; so is a value tagged with the type YAML 1.1 gives
    them (`!!timestamp`): the composed tree does not say whether the tag was written or resolved."""
    data, _ = parse_yaml("a: <<\nb: =\nc: !!timestamp 2025-01-21\nd: !!merge x\n<<: {e: 1}\n")
    assert data == {"a": "<<", "b": "=", "c": "2025-01-21", "d": "x", "<<": {"e": 1}}


def test_invalid_scalar_is_reported_shortly() -> None:
    error = yaml_error("a: !!int twelve\n")
    assert (error.line, error.col, error.message) == (1, 4, "invalid int 'twelve'")
    error = yaml_error("a: [!!bool maybe]\n")
    assert (error.line, error.col, error.message) == (1, 5, "invalid bool 'maybe'")
    error = yaml_error("a: " + "9" * 5000 + "\n")  # more digits than Python converts
    assert error.message.startswith("invalid int '999")
    assert len(error.message) < 100


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)"),
        ("x:\n  a: 1\n  b: 2\n  a: 3\n", 4, 3, "duplicate key 'a' (first at line 2)"),
        ("{a: 1, a: 2}\n", 1, 8, "duplicate key 'a' (first at line 1)"),
        ("1: a\n'1': b\n", 2, 1, "duplicate key '1' (first at line 1)"),
    ],
)
def test_duplicate_keys(text: str, line: int, col: int, message: str) -> None:
    error = yaml_error(text)
    assert (error.line, error.col, error.message) == (line, col, message)


def test_anchors_and_aliases_within_budget(tmp_path: Path) -> None:
    data, pos = parse_yaml(
        "base: &b {en: Hi, fr: Salut}\nuse: *b\nlist: &l [1, 2]\nagain: [*l, *l]\ns: &s x\nt: *s\n"
    )
    assert data["use"] == {"en": "Hi", "fr": "Salut"}
    assert data["again"] == [[1, 2], [1, 2]]
    assert data["t"] == "x"
    assert pos.at(("use", "en")) == (2, 6)  # inside an alias: the alias itself
    pack = load_pack(
        write(
            tmp_path,
            pack__yaml=MINIMAL_TEXT.replace(
                "role: {en: Investor, fr: Investisseur}", "role: &investor {en: Investor, fr: Investisseur}"
            ).replace("role: {en: Host city, fr: Ville d'accueil}", "role: *investor"),
        )
    )
    council = pack.get("lyon-council")
    assert isinstance(council, Organisation) and council.role.en == "Investor"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [1, *a]\n", "recursive alias *a"),
        ("a: *nowhere\n", "unknown alias *nowhere"),
        ("a: &x 1\nb: &x 2\n", "duplicate anchor &x (first at line 1)"),
        ("? &k [1]\n: v\nb: {*k : 2}\n", "mapping keys must be plain strings"),
    ],
)
def test_bad_aliases(text: str, message: str) -> None:
    assert yaml_error(text).message == message


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_rejected_quickly() -> None:
    start = time.perf_counter()
    error = yaml_error(billion_laughs())
    assert time.perf_counter() - start < 1.0
    assert error.message == f"document too large: more than {loader.MAX_NODES} nodes"
    assert error.line == 7  # a6 is where the count passes 2,000,000 (a0..a5 hold ~670,000)


def test_an_alias_bomb_in_a_pack_is_a_positioned_problem(tmp_path: Path) -> None:
    start = time.perf_counter()
    found = only_problem(write(tmp_path, pack__yaml=billion_laughs() + HEAD))
    assert time.perf_counter() - start < 2.0
    # the third `*a5` of line 7 passes the budget: 9 aliases of 597,871 nodes each would follow
    assert (Path(found.path).name, found.line, found.col) == ("pack.yaml", 7, 20)
    assert found.message == "document too large: more than 2000000 nodes"


def test_a_python_object_tag_in_a_pack_is_a_positioned_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    text = HEAD.replace("  id: t\n", "  id: t\n  note: !!python/object/apply:os.system ['echo pwned']\n")
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (3, 9)
    assert found.message == (
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (plain YAML data only)"
    )
    assert calls == []


def test_aliases_have_their_own_positions() -> None:
    data, pos = parse_yaml("a: &x [1, 2]\nb:\n  - *x\n  -   *x\nc: {k: *x}\n")
    assert data == {"a": [1, 2], "b": [[1, 2], [1, 2]], "c": {"k": [1, 2]}}
    assert pos.at(("a",)) == (1, 4)
    assert pos.at(("b", 0)) == (3, 5)
    assert pos.at(("b", 1, 0)) == (4, 7)  # inside an alias: the alias itself
    assert pos.at(("c", "k")) == (5, 8)


def test_an_alias_as_a_key() -> None:
    assert parse_yaml("&k key: 1\nother: *k\n")[0] == {"key": 1, "other": "key"}
    assert parse_yaml("&k 12: a\nb: *k\nc: &v yes\n*v : d\n")[0] == {
        "12": "a",
        "b": 12,
        "c": True,
        "yes": "d",
    }
    error = yaml_error("&k key: 1\n*k : 2\n")
    assert (error.line, error.col, error.message) == (2, 1, "duplicate key 'key' (first at line 1)")
    error = yaml_error("a: &k [1]\n? *k\n: 2\n")
    assert (error.line, error.col, error.message) == (2, 3, "mapping keys must be plain strings")


def test_node_budget_counts_every_node(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: [1, 2]\n"  # root mapping, key a, the list and its two items: 5 nodes
    monkeypatch.setattr(loader, "MAX_NODES", 5)
    assert parse_yaml(text)[0] == {"a": [1, 2]}
    monkeypatch.setattr(loader, "MAX_NODES", 4)
    assert yaml_error(text).message == "document too large: more than 4 nodes"
    # an alias costs as many nodes as it expands to
    monkeypatch.setattr(loader, "MAX_NODES", 8)  # 5 as above, key b, and the alias's list of 2: 3
    assert yaml_error("a: &x [1, 2]\nb: *x\n").message == "document too large: more than 8 nodes"
    monkeypatch.setattr(loader, "MAX_NODES", 9)
    assert parse_yaml("a: &x [1, 2]\nb: *x\n")[0] == {"a": [1, 2], "b": [1, 2]}


def test_nesting_up_to_max_depth() -> None:
    depth = loader.MAX_DEPTH
    assert parse_yaml("[" * depth + "]" * depth)[0] is not None
    error = yaml_error("[" * (depth + 1) + "]" * (depth + 1))
    assert (error.line, error.col) == (1, depth + 1)
    assert error.message == f"nesting deeper than {depth} levels"


def test_block_nesting_beyond_max_depth(tmp_path: Path) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "leaf: 1\n"
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert found.message == f"nesting deeper than {loader.MAX_DEPTH} levels"
    # the root mapping is level 1, the mapping under k{i} is level i + 2 and starts on line i + 2
    assert found.line == loader.MAX_DEPTH + 1


@pytest.mark.parametrize(("depth", "col"), [(100, 38), (1_000, 1006), (100_000, 1006)])
def test_extreme_nesting_does_not_crash(depth: int, col: int, tmp_path: Path) -> None:
    if depth > 100 and loader.SafeLoader is not getattr(yaml, "CSafeLoader", None):
        pytest.skip("the pure-Python parser has no nesting limit of its own (the loader says (1, 1))")
    start = time.perf_counter()
    found = only_problem(write(tmp_path, pack__yaml="pack: " + "[" * depth + "]" * depth + "\n"))
    assert time.perf_counter() - start < 5
    # the 33rd level (the 32nd `[`: the mapping is the first) or, past libyaml's own limit of 1,000
    # levels, where that limit is passed
    assert (found.line, found.col) == (1, col)
    assert found.message == f"nesting deeper than {loader.MAX_DEPTH} levels"


PYTHON_TAGS = [
    "a: !!python/object/apply:os.system ['touch {marker}']\n",
    "a: !!python/object/apply:os.system\n  args: ['touch {marker}']\n",
    "a: !!python/object/new:os.system ['touch {marker}']\n",
    "a: !!python/name:os.system\n",
    "a: !!python/module:os\n",
    "a: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']\n",
    "? !!python/object/apply:os.system ['touch {marker}']\n: x\n",
    "a: !!python/tuple [1, 2]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [{x: 1}]\n",
    "a: !custom thing\n",
]


@pytest.mark.parametrize("template", PYTHON_TAGS)
def test_custom_tags_are_rejected_and_never_executed(
    template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def system(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", system)
    marker = tmp_path / "pwned"
    text = template.replace("{marker}", str(marker))
    error = yaml_error(text)
    assert error.message.endswith("is not allowed (plain YAML data only)")
    assert error.line == 1
    found = only_problem(write(tmp_path / "pack", pack__yaml=text))
    assert "is not allowed" in found.message
    assert calls == [] and not marker.exists()


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n---\nb: 2\n", 2), ("---\na: 1\n---\nb: 2\n", 3), ("a: 1\n...\n---\na: 1\n", 3)],
)
def test_multiple_documents(text: str, line: int) -> None:
    error = yaml_error(text)
    assert (error.line, error.message) == (line, "only one YAML document per file")


def test_one_explicit_document_is_fine() -> None:
    assert parse_yaml("---\na: 1\n...\n")[0] == {"a": 1}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "--- \n...\n", "\ufeff"])
def test_empty_file(text: str, tmp_path: Path) -> None:
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col, found.message) == (1, 1, "file is empty; expected a mapping of sections")


def test_bom_is_ignored_and_positions_unchanged(tmp_path: Path) -> None:
    assert len(load_pack(write(tmp_path / "ok", pack__yaml="\ufeff" + MINIMAL_TEXT)).records) == 10
    bad = MINIMAL_TEXT.replace("kind: company", "kind: startup")
    plain = only_problem(write(tmp_path / "plain", pack__yaml=bad))
    bom = only_problem(write(tmp_path / "bom", pack__yaml="\ufeff" + bad))
    assert (
        (bom.line, bom.col, bom.message)
        == (plain.line, plain.col, plain.message)
        == (
            16,
            11,
            "organisations[0].kind: invalid enum value 'startup' "
            "(allowed: agency, company, fund, government, institution, other)",
        )
    )


def test_crlf_files(tmp_path: Path) -> None:
    crlf = MINIMAL_TEXT.replace("\n", "\r\n").encode()
    pack = load_pack(write(tmp_path / "ok", pack__yaml=crlf))
    assert pack.records.keys() == load_pack(MINIMAL).records.keys()
    assert all("\r" not in r.title("en") for r in pack.records.values())
    bad = MINIMAL_TEXT.replace("leaders: [jeanne-martin]", "leaders: [jeanne]").replace("\n", "\r\n")
    found = only_problem(write(tmp_path / "bad", pack__yaml=bad.encode()))
    assert (found.line, found.col) == (20, 15)
    assert found.message == "leaders: unknown id 'jeanne' (did you mean 'jeanne-martin'?)"


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "message"),
    [
        ("name: Jeanne Martin", "name: Jeanne\x01Martin", 32, 17, "control character U+0001 is not allowed"),
        (
            "name: Jeanne Martin",
            "name: Jeanne\ufffeMartin",
            32,
            17,
            "character U+FFFE is not allowed in YAML",
        ),
        ("name: Jeanne Martin", "name: Jeanne \udcc3(Martin", 32, 18, "invalid UTF-8 (byte 0xc3)"),
        ("    role: {en: Head of Acme", "\trole: {en: Head of Acme", 33, 1, "tab character in indentation"),
        ("    kind: company\n", "    kind: company\n    kind: fund\n", 17, 5, "duplicate key 'kind'"),
        ("leaders: [jeanne-martin]", "leaders: [jeanne]", 20, 15, "leaders: unknown id 'jeanne'"),
    ],
)
@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_positions_agree_whatever_the_line_ends(
    old: str, new: str, line: int, col: int, message: str, newline: str, tmp_path: Path
) -> None:
    """YAML takes LF, CR LF and a lone CR as line breaks; every position we compute counts the same."""
    text = MINIMAL_TEXT.replace(old, new, 1)
    assert text != MINIMAL_TEXT
    for name, ends in (("lf", "\n"), ("other", newline)):
        data = text.replace("\n", ends).encode("utf-8", "surrogateescape")
        found = only_problem(write(tmp_path / name, pack__yaml=data))
        assert (found.line, found.col) == (line, col), (name, found)
        assert found.message.startswith(message)


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\x85", "U+0085"),
     ("\u2028", "U+2028"), ("\u2029", "U+2029")],
)  # fmt: skip
def test_control_characters(char: str, name: str, tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("name: Jeanne Martin", f"name: Jeanne{char}Martin")
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (32, 17)
    assert found.message == f"control character {name} is not allowed"


def test_tab_inside_a_value_is_fine(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("name: Jeanne Martin", 'name: "Jeanne\tMartin"')
    assert (
        load_pack(write(tmp_path, pack__yaml=text)).records["jeanne-martin"].title("en") == "Jeanne\tMartin"
    )


def test_invalid_utf8(tmp_path: Path) -> None:
    data = MINIMAL_TEXT.encode().replace(b"Jeanne Martin\n", b"Jeanne \xc3\x28Martin\n", 1)
    found = only_problem(write(tmp_path, pack__yaml=data))
    assert (found.line, found.col, found.message) == (
        32,
        18,
        "invalid UTF-8 (byte 0xc3); files must be UTF-8",
    )


def test_noncharacter_rejected_by_yaml(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("name: Jeanne Martin", "name: Jeanne\ufffeMartin")
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (32, 17)
    assert found.message == "character U+FFFE is not allowed in YAML"


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2, "YAML syntax error: did not find expected ',' or ']'"),
        ("a: 'open\n", 2, 1, "YAML syntax error: found unexpected end of stream"),
        ("a:\n\tb: 1\n", 2, 1, "tab character in indentation; YAML indents with spaces"),
        ("a: b: c\n", 1, 5, "YAML syntax error: mapping values are not allowed"),
        ("- a\nb: 1\n", 2, 1, "YAML syntax error"),
    ],
)
def test_syntax_errors(text: str, line: int, col: int, message: str, tmp_path: Path) -> None:
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (line, col), found
    assert found.message.startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "expected a mapping of sections at the top level"),
        ("just text\n", "expected a mapping of sections at the top level"),
        ("[a, b]: 1\n", "mapping keys must be plain strings"),
        ("? {a: 1}\n: 1\n", "mapping keys must be plain strings"),
    ],
)
def test_top_level_must_be_a_mapping_with_string_keys(text: str, message: str, tmp_path: Path) -> None:
    assert only_problem(write(tmp_path, pack__yaml=text)).message == message


# ------------------------------------------------------------------------- records and cross-checks


def test_positions_in_error_messages(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("    kind: country\n", "    kind: country\n    population: 68\n")
    text = text.replace("value: {unit: USD, bound: at-least, amount: 10000000000}", "value: {unit: USD}")
    found = problems(write(tmp_path, pack__yaml=text))
    assert [(p.line, p.col, p.message) for p in found] == [
        (42, 5, "places[0].population: unknown field 'population'"),  # the key
        (61, 12, "figures[0].value: bound 'exact' needs `amount` and no `low`/`high`"),  # the value
    ]
    assert str(found[0]) == f"{found[0].path}:42:5: places[0].population: unknown field 'population'"


def test_problem_format_and_sorting() -> None:
    problem = Problem("content/a.yaml", 3, 7, "bad")
    assert str(problem) == "content/a.yaml:3:7: bad"
    error = PackInvalid(
        [Problem("b.yaml", 1, 1, "x"), Problem("a.yaml", 9, 2, "y"), Problem("a.yaml", 9, 1, "z")]
    )
    assert [(p.path, p.line, p.col) for p in error.problems] == [
        ("a.yaml", 9, 1),
        ("a.yaml", 9, 2),
        ("b.yaml", 1, 1),
    ]
    assert str(error) == "a.yaml:9:1: z\na.yaml:9:2: y\nb.yaml:1:1: x"


def test_paths_relative_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pack", pack__yaml="")
    monkeypatch.chdir(tmp_path)
    assert only_problem(tmp_path / "pack").path == os.path.join("pack", "pack.yaml")
    monkeypatch.chdir(DATA)
    assert only_problem(tmp_path / "pack").path == str(tmp_path / "pack" / "pack.yaml")


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(
        tmp_path, pack__yaml=HEAD + "organisations:\n" + org("acme"), b__yaml="organisations:\n" + org("acme")
    )
    found = only_problem(tmp_path)
    assert Path(found.path).name == "b.yaml"
    assert (found.line, found.col) == (2, 9)
    assert found.message.startswith("duplicate id 'acme' (first defined at ")
    assert found.message.endswith("pack.yaml:7)")


def test_ids_are_unique_across_kinds(tmp_path: Path) -> None:
    person = "people:\n  - id: acme\n    name: A\n    role: {en: R, fr: R}\n    summary: {en: S, fr: S}\n"
    person += '    source: {paragraph: 1, quote: "Acme a"}\n'
    found = only_problem(write(tmp_path, pack__yaml=HEAD + "organisations:\n" + org("acme") + person))
    assert found.message.startswith("duplicate id 'acme'")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    country: acme-two\n", "country: 'acme-two' is a organisation; expected place"),
        ("    leaders: [acme-two]\n", "leaders: 'acme-two' is a organisation; expected person"),
        ("    related: [acme-one]\n", "related: links to itself"),
        ("    related: [acme-onne]\n", "related: unknown id 'acme-onne' (did you mean 'acme-one'?)"),
        ("    related: [zzz]\n", "related: unknown id 'zzz'"),
    ],
)
def test_reference_checks(extra: str, message: str, tmp_path: Path) -> None:
    text = HEAD + "organisations:\n" + org("acme-one", extra) + org("acme-two")
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert found.message == message
    assert (found.line, found.col) == (12, 14 if "country" in extra else 15)


def test_related_may_link_any_kind(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace(
        "    place: lyon-site\n    source:",
        "    place: lyon-site\n    related: [france, acme-jobs, martin-jobs-quote]\n    source:",
    )
    pack = load_pack(write(tmp_path, pack__yaml=text))
    assert ("plant-opening", "related") in pack.backlinks["martin-jobs-quote"]


def test_each_bad_occurrence_of_a_target_has_its_own_position(tmp_path: Path) -> None:
    # the second `nobody` is reported as a repeat, not as a second unknown id, at its own position
    text = MINIMAL_TEXT.replace("actors: [acme, jeanne-martin]", "actors: [nobody, acme, nobody]")
    text = text.replace("related: [acme-investment]", "related: [nobody]")
    found = problems(write(tmp_path, pack__yaml=text))
    assert [(p.line, p.col, p.message) for p in found] == [
        (105, 14, "actors: unknown id 'nobody'"),
        (105, 28, "actors: 'nobody' is listed more than once (first at line 105, column 14)"),
        (107, 15, "related: unknown id 'nobody'"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "message"),
    [
        (
            "leaders: [jeanne-martin]",
            "leaders: [jeanne-martin, jeanne-martin]",
            20,
            30,
            "leaders: 'jeanne-martin'",
        ),
        ("actors: [acme, jeanne-martin]", "actors: [acme, jeanne-martin, acme]", 105, 35, "actors: 'acme'"),
        (
            "organisations: [acme]",
            "organisations:\n      - acme\n      - acme",
            37,
            9,
            "organisations: 'acme'",
        ),
    ],
)
def test_an_id_listed_twice_in_one_link_list(
    old: str, new: str, line: int, col: int, message: str, tmp_path: Path
) -> None:
    text = MINIMAL_TEXT.replace(old, new)
    assert text != MINIMAL_TEXT
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (line, col)
    assert found.message.startswith(message + " is listed more than once (first at line ")


def test_the_same_id_in_two_link_fields_is_fine(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace(
        "    place: lyon-site\n    source:", "    place: lyon-site\n    related: [acme]\n    source:"
    )
    assert ("plant-opening", "related") in load_pack(write(tmp_path, pack__yaml=text)).backlinks["acme"]


def test_links_to_an_invalid_record_are_not_reported_as_unknown(tmp_path: Path) -> None:
    # `acme` is referenced six times; only its own defect is reported, not six unknown ids
    text = MINIMAL_TEXT.replace("    kind: company\n", "    kind: startup\n")
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert found.message.startswith("organisations[0].kind: invalid enum value 'startup' (allowed: ")


FIGURES_START = MINIMAL_TEXT.index("\nfigures:\n") + 1
FIGURES_END = MINIMAL_TEXT.index("\nstatements:\n") + 1
WITHOUT_FIGURES = MINIMAL_TEXT[:FIGURES_START] + MINIMAL_TEXT[FIGURES_END:]
FIGURES = MINIMAL_TEXT[FIGURES_START:FIGURES_END]


@pytest.mark.parametrize(
    ("figures", "line", "col", "message"),
    [
        ("figures: {}\n", 1, 10, "figures: expected a list of records"),
        ("figures: 3\n", 1, 10, "figures: expected a list of records"),
        (FIGURES.replace("figures:", "figure:"), 1, 1, "unknown section 'figure'"),
        (FIGURES.replace("    status: announced", "    status: announced: yes"), 5, 22, "YAML syntax error"),
        (
            FIGURES.replace("    status: announced", "\tstatus: announced"),
            5,
            1,
            "tab character in indentation",
        ),
        (
            FIGURES.encode().replace(b"Investissement", b"Invest\xffissement"),
            3,
            44,
            "invalid UTF-8 (byte 0xff)",
        ),
        ("- " + FIGURES.replace("\n", "\n  "), 1, 1, "expected a mapping of sections at the top level"),
    ],
    ids=["mapping", "number", "misspelt", "syntax", "tab", "utf-8", "top-level"],
)
def test_links_to_records_that_could_not_be_read_are_not_reported(
    figures: str | bytes, line: int, col: int, message: str, tmp_path: Path
) -> None:
    """Three links go to figures (`about`, `related`, `in_addition_to`): none is an unknown id when the
    figures could not be read; only the reason they could not is reported."""
    assert load_pack(write(tmp_path / "ok", pack__yaml=WITHOUT_FIGURES, figures__yaml=FIGURES))
    found = only_problem(write(tmp_path / "bad", pack__yaml=WITHOUT_FIGURES, figures__yaml=figures))
    assert (Path(found.path).name, found.line, found.col) == ("figures.yaml", line, col), found
    assert found.message.startswith(message)


def test_links_that_can_still_be_judged_are_reported(tmp_path: Path) -> None:
    # the people section is not a list: a link to a person, or to any kind, cannot be judged; to a place can
    text = MINIMAL_TEXT.replace("people:\n", "people: 3\nnobody:\n", 1)  # the records move to a bad section
    text = text.replace("related: [acme-investment]", "related: [zzz]")
    text = text.replace("    country: france\n    leaders:", "    country: frnce\n    leaders:")
    found = problems(write(tmp_path / "people", pack__yaml=text))
    assert {p.message for p in found} == {
        "people: expected a list of records",
        "unknown section 'nobody' (known: pack, organisations, people, places, figures, statements, events)",
        "country: unknown id 'frnce' (did you mean 'france'?)",
    }
    # a file that is not YAML hides the ids it appears to define, not the others
    broken = FIGURES.replace("    status: announced", "    status: announced: yes")
    text = WITHOUT_FIGURES.replace("related: [acme-investment]", "related: [acme-investment, zzz]")
    found = problems(write(tmp_path / "yaml", pack__yaml=text, figures__yaml=broken))
    assert [p.message for p in found] == [found[0].message, "related: unknown id 'zzz'"]
    assert found[0].message.startswith("YAML syntax error")


def test_did_you_mean_includes_invalid_records(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("  - id: france\n", "  - id: France\n")
    found = problems(write(tmp_path, pack__yaml=text))
    assert "places[0].id: expected `str` matching regex" in found[2].message
    unknown = [p.message for p in found if "unknown id" in p.message]
    assert unknown == ["country: unknown id 'france' (did you mean 'France'?)"] * 2 + [
        "within: unknown id 'france' (did you mean 'France'?)"
    ]


def test_paragraph_past_the_article(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace('- {paragraph: 2, quote: "de 400', '- {paragraph: 4, quote: "de 400')
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (80, 21)
    assert found.message == "source paragraph 4 is past the article's 3 paragraphs"


def test_pack_section_rules(tmp_path: Path) -> None:
    no_pack = only_problem(write(tmp_path / "a", pack__yaml="organisations:\n" + org("acme")))
    assert (no_pack.line, no_pack.col) == (1, 1)
    assert no_pack.message == "no file has a 'pack' section (id, title, summary, article)"
    write(tmp_path / "b", pack__yaml=HEAD, z__yaml="organisations:\n" + org("acme") + HEAD)
    second = only_problem(tmp_path / "b")
    assert Path(second.path).name == "z.yaml"
    assert (second.line, second.col) == (8, 1)
    assert second.message.startswith("second 'pack' section (first in ") and second.message.endswith(
        "pack.yaml:1)"
    )
    # the pack section may live in any file
    write(tmp_path / "c", a__yaml="organisations:\n" + org("acme"), z__yaml=HEAD)
    assert load_pack(tmp_path / "c").info.id == "t"


def test_unreadable_pack_file_does_not_also_claim_no_pack_section(tmp_path: Path) -> None:
    write(
        tmp_path,
        pack__yaml=HEAD.replace("  id: t", "  id: t\n  id: u"),
        more__yaml="organisations:\n" + org("a"),
    )
    found = only_problem(tmp_path)
    assert found.message == "duplicate key 'id' (first at line 2)"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("organisations: {}\n", "organisations: expected a list of records"),
        ("organisations: acme\n", "organisations: expected a list of records"),
        (
            "companies: []\n",
            "unknown section 'companies' (known: pack, organisations, people, places, figures, ",
        ),
        ("<<: {}\n", "unknown section '<<'"),
    ],
)
def test_sections(section: str, message: str, tmp_path: Path) -> None:
    found = only_problem(write(tmp_path, pack__yaml=HEAD + section))
    assert (found.line, found.col) == (6, 1 if section.startswith(("c", "<")) else 16)
    assert found.message.startswith(message)


def test_empty_section_is_fine(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, pack__yaml=HEAD + "organisations: []\npeople: []\n"))
    assert pack.records == {}


# ------------------------------------------------------------------------------------ unavailable


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(PackUnavailable, match="no such directory"):
        load_pack(tmp_path / "nope")


def test_not_a_directory(tmp_path: Path) -> None:
    write(tmp_path, pack__yaml=HEAD)
    with pytest.raises(PackUnavailable, match="not a directory"):
        load_pack(tmp_path / "pack.yaml")


def test_no_yaml_files(tmp_path: Path) -> None:
    write(tmp_path, readme__md="hello")
    with pytest.raises(PackUnavailable, match=r"no \.yaml files"):
        load_pack(tmp_path)


def test_too_many_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_module, "MAX_FILES", 2)
    write(tmp_path, pack__yaml=HEAD, a__yaml="", b__yaml="")
    with pytest.raises(PackUnavailable, match="3 files; the limit is 2"):
        load_pack(tmp_path)


def test_unreadable_file_is_not_a_content_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, pack__yaml=HEAD, locked__yaml="organisations: []\n")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(PackUnavailable, match=r"locked\.yaml: cannot read file: Permission denied"):
        load_pack(tmp_path)


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, pack__yaml=HEAD)
    size = len(HEAD.encode())
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", size)
    assert load_pack(tmp_path).info.id == "t"
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", size - 1)
    found = only_problem(tmp_path)
    assert found.message == f"file is {size} bytes; the limit is {size - 1}"


def test_progress_is_told_after_each_file(tmp_path: Path) -> None:
    body = MINIMAL_TEXT.split("\norganisations:", 1)
    write(tmp_path, pack__yaml=body[0], a__yaml="organisations:" + body[1], b__yaml="people: []\n")
    sizes = [len(p.read_bytes()) for p in pack_files(tmp_path)]
    calls: list[tuple[int, int]] = []
    load_pack(tmp_path, progress=lambda done, total: calls.append((done, total)))
    total = sum(sizes)
    assert calls == [(sizes[0], total), (sizes[0] + sizes[1], total), (total, total)]
    # an invalid pack is read to the end as well: every file's problems are listed
    (tmp_path / "a.yaml").write_text("organisations: 3\n")
    calls.clear()
    problems(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) == 3 and calls[-1][0] == calls[-1][1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_load_shows_a_transient_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.setattr(progress, "DELAY", 0.0)  # every load is slow
    assert progress.load_with_progress(MINIMAL).info.id == "minimal"
    drawn = sys.stderr.getvalue()
    assert "Reading the fact pack" in drawn and "100%" in drawn
    assert drawn.endswith("\x1b[2K")  # then erased: the line is cleared


def test_the_bar_needs_no_textual() -> None:
    code = (
        "import sys; from stargate_tui import progress; progress.DELAY = 0; "
        "progress._Bar()(1, 2); print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_quick_load_or_a_pipe_shows_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert progress.load_with_progress(MINIMAL).info.id == "minimal"  # under half a second
    assert sys.stderr.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with pytest.raises(PackUnavailable):
        progress.load_with_progress(DATA / "no-such-pack")
    assert load_pack(MINIMAL).records == progress.load_with_progress(MINIMAL).records
    assert sys.stderr.getvalue() == ""


# ----------------------------------------------------------------------------------------- quotes


def test_read_paragraphs() -> None:
    paragraphs = read_paragraphs(ARTICLE)
    assert len(paragraphs) == 3
    assert paragraphs[1] == (
        'La patronne d\'Acme, Jeanne Martin, a déclaré : "Nous allons créer de 400 à 500 emplois". '
        "Elle a ajouté que l'usine ouvrirait en 2027."
    )


def test_read_paragraphs_crlf_and_extra_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\r\n\r\nOne\r\nline.\r\n\r\n\r\n  \r\nTwo.\r\n")
    assert read_paragraphs(tmp_path / "a.txt") == ["One line.", "Two."]


def test_quotes_verbatim(tmp_path: Path) -> None:
    assert load_pack(MINIMAL, source=ARTICLE).info.id == "minimal"
    # white space inside a quote does not matter, words do
    spaced = MINIMAL_TEXT.replace('quote: "Acme a annoncé mardi"}', 'quote: "Acme  a\\nannoncé   mardi"}')
    assert spaced != MINIMAL_TEXT
    load_pack(write(tmp_path / "spaced", pack__yaml=spaced), source=ARTICLE)
    wrong = MINIMAL_TEXT.replace('quote: "en France"', 'quote: "en Espagne"')
    found = only_problem(write(tmp_path / "wrong", pack__yaml=wrong), source=ARTICLE)
    assert (found.line, found.col) == (44, 35)
    assert found.message == "quote not found verbatim in paragraph 3: 'en Espagne'"
    # the words exist, but in another paragraph
    moved = MINIMAL_TEXT.replace('{paragraph: 3, quote: "en France"}', '{paragraph: 1, quote: "en France"}')
    found = only_problem(write(tmp_path / "moved", pack__yaml=moved), source=ARTICLE)
    assert found.message == "quote not found verbatim in paragraph 1: 'en France'"


def test_quote_paragraph_past_the_source(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text(
        "Acme a annoncé mardi à Lyon.\n\nLa patronne d'Acme, Jeanne Martin.\n"
    )
    found = problems(MINIMAL, source=tmp_path / "short.txt")
    assert any(p.message == "paragraph 3 not in short.txt (2 paragraphs)" for p in found)


def test_unreadable_source(tmp_path: Path) -> None:
    with pytest.raises(PackUnavailable, match="cannot read the article"):
        load_pack(MINIMAL, source=tmp_path / "missing.txt")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(PackUnavailable, match="cannot read the article"):
        load_pack(MINIMAL, source=tmp_path / "latin1.txt")


def test_messages_stay_on_one_line(tmp_path: Path) -> None:
    """A key may hold a line break (a quoted escape); `path:line:col: message` must stay one line."""
    text = MINIMAL_TEXT.replace("    kind: company\n", '    kind: company\n    "web\\nsite": x\n')
    found = only_problem(write(tmp_path, pack__yaml=text))
    assert (found.line, found.col) == (17, 5)
    assert found.message == "organisations[0]['web\\nsite']: unknown field 'web\\nsite'"
    assert "\n" not in str(found)


# ------------------------------------------------------------------------------- the schema document

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "content-schema.md"


def test_schema_doc_example_is_a_valid_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = SCHEMA_DOC.read_text(encoding="utf-8")
    examples = re.findall(r"<!-- example: (\S+) -->\n```yaml\n(.*?)```", doc, re.DOTALL)
    assert [name for name, _ in examples] == ["pack.yaml", "facts.yaml"]
    (article,) = re.findall(r"```text\n(.*?)```", doc, re.DOTALL)
    (command, output) = re.search(r"```console\n\$ (.*?)\n(.*?)\n```", doc, re.DOTALL).groups()  # type: ignore[union-attr]
    write(tmp_path / "acme-lyon", **{name.replace(".", "__"): text for name, text in examples})
    (tmp_path / "article.txt").write_text(article, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_CONTENT, raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(command.split()[1:])
    assert (status, out.getvalue().strip()) == (0, output.strip())


def test_schema_doc_lists_every_allowed_value_and_limit() -> None:
    doc = SCHEMA_DOC.read_text(encoding="utf-8")
    literals = [model.Unit, model.Bound, model.Precision, model.Status]
    hints = {cls: get_type_hints(cls) for cls in model.RECORD_TYPES}
    literals += [hints[cls]["kind"] for cls in (Organisation, Place, Statement, Event)]
    literals.append(get_type_hints(model.Span)["unit"])
    for literal in literals:
        for value in get_args(literal):
            assert f"`{value}`" in doc, value
    for cls in model.RECORD_TYPES:
        assert f"### {cls.KIND} (`{cls.SECTION}:`)" in doc
        for name in cls.__struct_encode_fields__:
            assert f"`{name}`" in doc, (cls.KIND, name)
    assert "16 MiB (16,777,216 bytes)" in doc and loader.MAX_FILE_BYTES == 16_777_216
    assert f"{loader.MAX_FILES} YAML files" in doc
    assert f"{loader.MAX_DEPTH} nested" in doc
    assert f"{loader.MAX_NODES:,} nodes" in doc


# ------------------------------------------------------------------------- messages that help


def test_an_unknown_field_suggests_the_known_one(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("    status: announced\n", "    staus: announced\n", 1)
    messages = [p.message for p in problems(write(tmp_path, pack__yaml=text))]
    assert any("unknown field 'staus' (did you mean 'status'?)" in m for m in messages), messages


def test_an_unknown_field_far_from_any_known_one_has_no_suggestion(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("    kind: country\n", "    kind: country\n    population: 68\n")
    assert only_problem(write(tmp_path, pack__yaml=text)).message.endswith("unknown field 'population'")


def test_a_bad_enum_value_lists_the_allowed_values(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace("    status: announced\n", "    status: rumoured\n", 1)
    message = only_problem(write(tmp_path, pack__yaml=text)).message
    assert message.endswith(
        "invalid enum value 'rumoured' (allowed: announced, claimed, estimated, fact, pledged, reported)"
    ), message


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("a:\n  b: 1\n c: 2\n", "hint: line 3 is indented 1 space and does not line up with the lines above"),
        ("x:\n  - id: a\n  name: b\n", "hint: line 3 is indented 2 spaces and does not line up"),
        ("a:\n  b: 1\n   c: 2\n", "hint: line 3 is indented 1 space more than the line above it"),
        ("a:\n  name: Acme: Inc\n", "hint: a value that holds ': ' must be in quotes"),
    ],
)
def test_yaml_indentation_errors_get_a_plain_hint(text: str, hint: str, tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, pack__yaml=text)).message
    assert message.startswith("YAML syntax error: ")  # PyYAML's wording stays
    assert hint in message, message
