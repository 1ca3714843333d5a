"""Property-based tests: generated valid packs load and round-trip; corrupted packs fail cleanly."""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stargate_tui import cli, model
from stargate_tui.loader import (
    ENV_CONTENT,
    PackInvalid,
    PackUnavailable,
    YamlProblem,
    load_pack,
    parse_yaml,
)

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL_BYTES = (TESTS / "data" / "minimal" / "pack.yaml").read_bytes()
PARAGRAPHS = 10

FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+$")

# ------------------------------------------------------------------------------------- strategies

ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)
# printable text: the loader rejects raw control characters, which PyYAML may write unescaped (U+0085)
letters = st.characters(categories=("L", "N", "P", "S", "Zs"))
words = st.text(letters, min_size=1, max_size=24).filter(lambda s: s.strip() != "")
texts = st.fixed_dictionaries({"en": words, "fr": words})
names = st.one_of(words, texts)
sources = st.fixed_dictionaries(
    {"paragraph": st.integers(1, PARAGRAPHS), "quote": st.text(letters, min_size=3, max_size=40)}
)
source_fields = st.one_of(sources, st.lists(sources, min_size=1, max_size=3))
backgrounds = st.lists(st.fixed_dictionaries({"note": texts, "basis": texts}), max_size=2)
numbers = st.one_of(
    st.integers(-(10**15), 10**15), st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False)
)


@st.composite
def values(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(get_args(model.Unit)))
    bound = draw(st.sampled_from(get_args(model.Bound)))
    if bound == "range":
        low = draw(numbers)
        return {"unit": unit, "bound": bound, "low": low, "high": low + draw(st.integers(0, 10**6))}
    return {"unit": unit, "bound": bound, "amount": draw(numbers)}


@st.composite
def dates(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"stated": draw(texts)}
    if draw(st.booleans()):
        precision = draw(st.sampled_from(get_args(model.Precision)))
        day = draw(st.dates())
        out["iso"] = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[
            precision
        ]
        out["precision"] = precision
        out["basis"] = draw(texts)
    if draw(st.booleans()):
        out["approximate"] = draw(st.booleans())
    return out


KINDS = ["organisation", "person", "place", "figure", "statement", "event"]


def literal(cls: type[model.Record], field: str) -> tuple[str, ...]:
    from typing import get_type_hints

    return get_args(get_type_hints(cls)[field])


@st.composite
def packs(draw: st.DrawFn) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """Files (name -> YAML data) of a valid pack, and every record as (kind, file, data) in load order."""
    record_ids = draw(st.lists(ids, min_size=len(KINDS), max_size=12, unique=True))
    kinds = KINDS + draw(
        st.lists(st.sampled_from(KINDS), min_size=len(record_ids) - 6, max_size=len(record_ids) - 6)
    )
    kinds = draw(st.permutations(kinds))
    of_kind = {k: [i for i, kk in zip(record_ids, kinds, strict=True) if kk == k] for k in KINDS}
    actors = of_kind["person"] + of_kind["organisation"]

    def one(pool: list[str], me: str) -> str | None:
        choices = [i for i in pool if i != me]
        return draw(st.none() | st.sampled_from(choices)) if choices else None

    def some(pool: list[str], me: str) -> list[str]:
        choices = [i for i in pool if i != me]
        return draw(st.lists(st.sampled_from(choices), max_size=3, unique=True)) if choices else []

    def optional(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
        data.update({k: v for k, v in fields.items() if v not in (None, [])})
        return data

    records: list[tuple[str, dict[str, Any]]] = []
    for record_id, kind in zip(record_ids, kinds, strict=True):
        base: dict[str, Any] = {"id": record_id, "source": draw(source_fields)}
        optional(base, background=draw(backgrounds), related=some(record_ids, record_id))
        if kind == "organisation":
            data = base | {
                "name": draw(names),
                "kind": draw(st.sampled_from(literal(model.Organisation, "kind"))),
                "role": draw(texts),
                "summary": draw(texts),
            }
            optional(
                data, country=one(of_kind["place"], record_id), leaders=some(of_kind["person"], record_id)
            )
        elif kind == "person":
            data = base | {"name": draw(words), "role": draw(texts), "summary": draw(texts)}
            optional(data, organisations=some(of_kind["organisation"], record_id))
        elif kind == "place":
            data = base | {
                "name": draw(names),
                "kind": draw(st.sampled_from(literal(model.Place, "kind"))),
                "role": draw(texts),
                "summary": draw(texts),
            }
            coordinates = st.fixed_dictionaries(
                {"lat": st.floats(-90, 90), "lon": st.floats(-180, 180), "basis": texts}
            )
            optional(data, within=one(of_kind["place"], record_id), coordinates=draw(st.none() | coordinates))
        elif kind == "figure":
            data = base | {
                "label": draw(texts),
                "value": draw(values()),
                "status": draw(st.sampled_from(model.STATUSES)),
                "summary": draw(texts),
            }
            spans = st.fixed_dictionaries(
                {
                    "amount": st.floats(0.5, 100),
                    "unit": st.sampled_from(["days", "weeks", "months", "years"]),
                    "text": texts,
                }
            )
            optional(
                data,
                stated_by=one(actors, record_id),
                subjects=some(record_ids, record_id),
                span=draw(st.none() | spans),
                date=draw(st.none() | dates()),
                part_of=one(of_kind["figure"], record_id),
                in_addition_to=one(of_kind["figure"], record_id),
            )
        elif kind == "statement":
            data = base | {
                "kind": draw(st.sampled_from(literal(model.Statement, "kind"))),
                "speaker": draw(st.sampled_from(actors)),
                "label": draw(texts),
                "text": draw(texts),
                "status": draw(st.sampled_from(model.STATUSES)),
            }
            optional(data, about=some(record_ids, record_id), date=draw(st.none() | dates()))
        else:
            data = base | {
                "kind": draw(st.sampled_from(literal(model.Event, "kind"))),
                "title": draw(texts),
                "date": draw(dates()),
                "status": draw(st.sampled_from(model.STATUSES)),
                "summary": draw(texts),
            }
            optional(data, actors=some(actors, record_id), place=one(of_kind["place"], record_id))
        records.append((kind, data))

    names_of_files = ["pack.yaml", "more.yaml", "z-last.yml"][: draw(st.integers(1, 3))]
    files: dict[str, dict[str, Any]] = {name: {} for name in names_of_files}
    files[draw(st.sampled_from(names_of_files))]["pack"] = {
        "id": draw(ids),
        "title": draw(texts),
        "summary": draw(texts),
        "article": {"title": draw(texts), "language": "fr", "date": "2025-01", "paragraphs": PARAGRAPHS},
    }
    placed: dict[str, list[tuple[str, dict[str, Any]]]] = {name: [] for name in names_of_files}
    for kind, data in records:
        placed[draw(st.sampled_from(names_of_files))].append((kind, data))
    order: list[tuple[str, str, dict[str, Any]]] = []
    for name in names_of_files:  # already in the loader's order: pack.yaml first, then by name
        for kind in draw(st.permutations(KINDS)):
            section = [data for k, data in placed[name] if k == kind]
            if section:
                files[name][model.KINDS[kind].SECTION] = section
                order.extend((kind, name, data) for data in section)
    return files, order


def write_files(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    for name, data in files.items():
        (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


# ---------------------------------------------------------------------------------- valid packs


@FAST
@given(packs())
def test_generated_packs_load_and_round_trip(generated: Any) -> None:
    files, order = generated
    with tempfile.TemporaryDirectory() as tmp:
        write_files(Path(tmp), files)
        pack = load_pack(tmp)
    assert list(pack.records) == [data["id"] for _, _, data in order]
    for kind, _, data in order:
        record = pack.records[data["id"]]
        assert model.KINDS[kind] is type(record)
        assert record == msgspec.convert(data, model.KINDS[kind])  # every value survived YAML
    (pack_file,) = [name for name, data in files.items() if "pack" in data]
    assert pack.info == msgspec.convert(files[pack_file]["pack"], model.PackInfo)
    forward = {(r.id, f, t) for r in pack.records.values() for f, t in r.ref_ids()}
    backward = {(src, f, t) for t, links in pack.backlinks.items() for src, f in links}
    assert forward == backward


# any text but the line separators that PyYAML's emitter writes raw and then folds (U+0085 ...)
any_text = st.text(
    st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029")  # utf-8: no surrogates, max_size=20
)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=25,
)


@FAST
@given(plain, st.booleans())
def test_parse_yaml_agrees_with_pyyaml_on_plain_data(data: Any, shared: bool) -> None:
    document = {"a": data, "b": data} if shared else data  # shared: written with an anchor and an alias
    text = yaml.safe_dump(document, allow_unicode=True)
    ours, _ = parse_yaml(text)
    assert ours == yaml.load(text, Loader=yaml.SafeLoader)
    assert ours == document


# ------------------------------------------------------------------------------------ corruption

INTERESTING = [b":", b"-", b" ", b"\n", b"\r", b"\t", b"&a", b"*a", b"!!python/name:os.system ", b"[", b"{",
               b"}", b"'", b'"', b"#", b"---\n", b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\xef\xbb\xbf",
               b"<<: ", b"? ", b"|\n", b"%YAML 1.1\n", b"\\", b"@"]  # fmt: skip


@st.composite
def corruptions(draw: st.DrawFn) -> bytes:
    data = bytearray(MINIMAL_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 20))]
        elif action == "insert":
            data[where:where] = draw(st.sampled_from(INTERESTING) | st.binary(min_size=1, max_size=4))
        else:
            del data[where:]
    return bytes(data)


def line_count(data: bytes) -> int:
    return len(re.split(rb"\r\n|\r|\n", data))  # YAML breaks lines at CR LF, CR and LF


@FAST
@given(corruptions())
def test_corrupted_pack_raises_only_pack_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pack.yaml").write_bytes(data)
        try:
            load_pack(tmp)
        except PackInvalid as exc:
            assert exc.problems
            for problem in exc.problems:
                assert Path(problem.path).name == "pack.yaml"
                assert 1 <= problem.line <= line_count(data) + 1  # libyaml ends an unfinished line
                assert problem.col >= 1
                assert PROBLEM_LINE.match(str(problem)), problem
                assert "\n" not in problem.message and "\r" not in problem.message
        except PackUnavailable:  # pragma: no cover - the directory and file exist
            raise AssertionError("a readable file is a content problem, not an unavailable pack") from None


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


@FAST
@given(corruptions())
def test_check_reports_corruption_without_traceback(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pack.yaml").write_bytes(data)
        status, out, err = run_main(["check", tmp])
    assert "Traceback" not in out + err
    assert status in (0, 2)
    if status == 2:
        lines = err.splitlines()
        assert re.fullmatch(r"stargate-tui: \d+ problems? found", lines[-1])
        assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), err
    else:
        assert err == "" and "valid" in out


def test_check_subprocess_on_a_few_corruptions(tmp_path: Path) -> None:
    """The real command, on corruptions chosen to hit each layer: bytes, YAML, records, links."""
    cases: list[Callable[[bytes], bytes]] = [
        lambda d: d[: len(d) // 2],
        lambda d: d.replace(b"organisations:", b"organisations: [", 1),
        lambda d: d.replace(b"Acme", b"\xff\xfe", 1),
        lambda d: d.replace(b"  - id: acme\n", b"  - id: acme\n    <<: *nothing\n", 1),
        lambda d: d.replace(b"jeanne-martin", b"jeanne", 1),
        lambda d: d.replace(b"paragraph: 1", b"paragraph: -1"),
        lambda d: b"\t" + d,
    ]
    env = {k: v for k, v in os.environ.items() if k != ENV_CONTENT}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    for index, corrupt in enumerate(cases):
        directory = tmp_path / f"case{index}"
        directory.mkdir()
        data = corrupt(MINIMAL_BYTES)
        assert data != MINIMAL_BYTES
        (directory / "pack.yaml").write_bytes(data)
        result = subprocess.run(
            [sys.executable, "-m", "stargate_tui", "check", str(directory)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 2, (index, result.stderr)
        lines = result.stderr.splitlines()
        assert lines[:-1] and all(PROBLEM_LINE.match(line) for line in lines[:-1]), result.stderr
        assert all(line.startswith(f"case{index}/pack.yaml:") for line in lines[:-1])


def test_floats_survive_exactly() -> None:
    """A guard on the round-trip property: YAML floats are parsed to the same binary value."""
    for number in (0.1, 1e-300, 123456789.123456789, -0.0, 1e15 + 0.5):
        text = yaml.safe_dump({"x": number})
        value = parse_yaml(text)[0]["x"]
        assert value == number and math.copysign(1, value) == math.copysign(1, number)


plain_words = st.text(alphabet="0123456789_.:+-eEoxbTtrueFalsNnYy~ ", min_size=1, max_size=20)


@given(plain_words | st.integers().map(str) | st.floats().map(str) | st.dates().map(str))
@settings(max_examples=300, deadline=None)
@example("0o17")
@example("0x1F")
@example("010")
@example("1_000")
@example("190:20:30")
@example("9" * 5000)
@example(".NaN")
@example("2025-13-45")
@example("2025-01-21")
@example("yes")
@example("~")
def test_a_plain_scalar_is_what_pyyaml_makes_of_it_dates_aside(value: str) -> None:
    """PyYAML's safe loader and ours agree on every plain scalar, but that a date stays the text
    written; where PyYAML cannot make a value, ours reports a problem (never a traceback)."""
    text = f"x: {value}\n"
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader).value[0][1]
        if node.tag == "tag:yaml.org,2002:timestamp":
            assert parse_yaml(text)[0]["x"] == node.value
            return
        expected = yaml.load(text, Loader=yaml.SafeLoader)["x"]
    except (yaml.YAMLError, ValueError):
        with pytest.raises(YamlProblem):
            parse_yaml(text)
        return
    got = parse_yaml(text)[0]["x"]
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(got, float) and math.isnan(got)
    else:
        assert type(got) is type(expected) and got == expected
