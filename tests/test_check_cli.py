"""Bad-input suite: `stargate-tui check` on malformed packs, run as a real subprocess.

Every directory under tests/data/bad/ is a small valid pack with exactly one defect. The table below
records what `check` must say about it: the exit status, and the one problem it must report (file,
line, column, a substring of the message). Exit 2 is invalid content, exit 1 anything else; never a
traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from stargate_tui.loader import ENV_CONTENT, MAX_FILE_BYTES

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
BAD = DATA / "bad"
MINIMAL = DATA / "minimal"
ARTICLE = DATA / "article.txt"

PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
SUMMARY = re.compile(r"^stargate-tui: (?P<count>\d+) problems? found$")


@dataclass(frozen=True)
class Expected:
    exit: int
    file: str
    line: int
    col: int
    message: str
    source: bool = False  # run with `--source tests/data/article.txt`


# directory under tests/data/bad/ -> what `check` must report (a single problem each)
ALLOWED_KINDS = "agency, company, fund, government, institution, other)"

CASES: dict[str, Expected] = {
    "yaml_syntax_error": Expected(2, "pack.yaml", 8, 15, "YAML syntax error: mapping values are not allowed"),
    "tab_indentation": Expected(2, "pack.yaml", 9, 1, "tab character in indentation"),
    "invalid_utf8": Expected(2, "pack.yaml", 8, 16, "invalid UTF-8 (byte 0xff)"),
    "control_char": Expected(2, "pack.yaml", 8, 13, "control character U+0001 is not allowed"),
    "duplicate_key": Expected(2, "pack.yaml", 10, 5, "duplicate key 'kind' (first at line 9)"),
    "unknown_field": Expected(2, "pack.yaml", 12, 5, "organisations[0].website: unknown field 'website'"),
    "yes_key": Expected(2, "pack.yaml", 12, 5, "unknown field 'yes'"),
    "unknown_section": Expected(2, "pack.yaml", 13, 1, "unknown section 'companies'"),
    "section_not_a_list": Expected(2, "pack.yaml", 13, 9, "people: expected a list of records"),
    # the link to `acme-investment` cannot be judged: the figures it could be among were not read
    "section_not_a_list_linked": Expected(2, "figures.yaml", 2, 3, "figures: expected a list of records"),
    "null_record": Expected(2, "pack.yaml", 13, 4, "organisations[1]: expected `object`, got `null`"),
    "wrong_type": Expected(2, "pack.yaml", 12, 25, "source.paragraph: expected `int`, got `str`"),
    "invalid_literal": Expected(
        2,
        "pack.yaml",
        9,
        11,
        "organisations[0].kind: invalid enum value 'startup' "
        "(allowed: agency, company, fund, government, institution, other)",
    ),
    "missing_required_field": Expected(2, "pack.yaml", 7, 5, "missing required field 'summary'"),
    "duplicate_id_across_files": Expected(2, "more.yaml", 2, 9, "duplicate id 'acme' (first defined at "),
    "dangling_reference": Expected(2, "pack.yaml", 12, 14, "unknown id 'frnace' (did you mean 'france'?)"),
    "wrong_kind_reference": Expected(2, "pack.yaml", 12, 15, "leaders: 'france' is a place; expected person"),
    "self_link": Expected(2, "pack.yaml", 12, 15, "related: links to itself"),
    "duplicate_link": Expected(
        2, "pack.yaml", 12, 23, "leaders: 'jeanne' is listed more than once (first at line 12, column 15)"
    ),
    "bad_id_pattern": Expected(2, "pack.yaml", 7, 9, "organisations[0].id: expected `str` matching regex"),
    "blank_text": Expected(2, "pack.yaml", 10, 11, "text must not be blank in either language"),
    "empty_text": Expected(2, "pack.yaml", 10, 16, "role.en: expected `str` of length >= 1"),
    "range_with_amount": Expected(2, "pack.yaml", 16, 12, "a range needs `low` and `high` and no `amount`"),
    "low_greater_than_high": Expected(2, "pack.yaml", 16, 12, "range `low` is greater than `high`"),
    "amount_not_finite": Expected(2, "pack.yaml", 16, 12, "amounts must be finite numbers"),
    "span_not_finite": Expected(2, "pack.yaml", 18, 11, "span: amounts must be finite numbers"),
    "iso_date_vs_precision": Expected(2, "pack.yaml", 18, 7, "iso '2025-01' does not match precision 'day'"),
    "resolved_date_without_basis": Expected(2, "pack.yaml", 18, 7, "a resolved date needs a basis"),
    "paragraph_past_article": Expected(
        2, "pack.yaml", 12, 25, "paragraph 7 is past the article's 3 paragraphs"
    ),
    "source_wrong_type": Expected(2, "pack.yaml", 12, 13, "source: expected `object | array`, got `str`"),
    "python_tag": Expected(2, "pack.yaml", 8, 11, "python/object/apply:os.system' is not allowed"),
    "local_tag": Expected(2, "pack.yaml", 8, 11, "tag '!include' is not allowed"),
    "alias_bomb": Expected(2, "pack.yaml", 7, 20, "document too large: more than 2000000 nodes"),
    "recursive_alias": Expected(2, "pack.yaml", 12, 21, "recursive alias *loop"),
    "deep_nesting": Expected(2, "pack.yaml", 12, 46, "nesting deeper than 32 levels"),
    "two_pack_sections": Expected(2, "more.yaml", 1, 1, "second 'pack' section (first in "),
    "no_pack_section": Expected(2, "pack.yaml", 1, 1, "no file has a 'pack' section"),
    "top_level_not_mapping": Expected(
        2, "pack.yaml", 2, 1, "expected a mapping of sections at the top level"
    ),
    "sequence_as_key": Expected(2, "pack.yaml", 12, 7, "mapping keys must be plain strings"),
    "multi_document": Expected(2, "pack.yaml", 13, 1, "only one YAML document per file"),
    "empty_file": Expected(2, "pack.yaml", 1, 1, "file is empty"),
    "bom_with_defect": Expected(2, "pack.yaml", 9, 11, "invalid enum value 'startup'"),
    "crlf_with_defect": Expected(2, "pack.yaml", 10, 5, "duplicate key 'kind' (first at line 9)"),
    "lone_cr_with_defect": Expected(2, "pack.yaml", 8, 13, "control character U+0001 is not allowed"),
    "quote_not_verbatim": Expected(
        2, "pack.yaml", 12, 35, "quote not found verbatim in paragraph 1: 'Acme announced'", source=True
    ),
}


def run_check(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m stargate_tui check ARGS` in a fresh interpreter, without $STARGATE_TUI_CONTENT."""
    env = {k: v for k, v in os.environ.items() if k != ENV_CONTENT}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "stargate_tui", "check", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def problems_of(stderr: str) -> list[re.Match[str]]:
    """The `path:line:col: message` lines of stderr; fails if any other line is there but the count."""
    lines = stderr.splitlines()
    assert lines, "no output on stderr"
    summary = SUMMARY.match(lines[-1])
    assert summary, f"last line is not the problem count: {lines[-1]!r}"
    found = [PROBLEM.match(line) for line in lines[:-1]]
    assert all(found), f"lines that are not path:line:col: message in:\n{stderr}"
    assert int(summary["count"]) == len(found)
    return [m for m in found if m]


def test_every_bad_directory_is_in_the_table() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)
    assert len(CASES) >= 30


def test_the_base_pack_is_valid(tmp_path: Path) -> None:
    result = run_check(MINIMAL, "--source", ARTICLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "10 records in 1 file, valid and every quote is verbatim" in result.stdout


def test_check_counts_in_the_plural_only_when_more_than_one(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "a.yaml").write_text((MINIMAL / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (pack / "b.yaml").write_text("people: []\n", encoding="utf-8")
    result = run_check(pack, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "10 records in 2 files, valid" in result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_pack(case: str, tmp_path: Path) -> None:
    expected = CASES[case]
    directory = BAD / case
    args: list[str | Path] = [directory, "--source", ARTICLE] if expected.source else [directory]
    result = run_check(*args, cwd=tmp_path)

    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == expected.exit, result.stderr
    assert result.stdout == ""
    problems = problems_of(result.stderr)
    assert len(problems) == 1, f"one defect must give one problem, got:\n{result.stderr}"
    (problem,) = problems
    path = Path(problem["path"])
    assert (path.parent.name, path.name) == (case, expected.file)
    assert (int(problem["line"]), int(problem["col"])) == (expected.line, expected.col), result.stderr
    assert expected.message in problem["message"]


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    """The tag would run `touch pwned-by-yaml` in the working directory if it were ever constructed."""
    result = run_check(BAD / "python_tag", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "pwned-by-yaml").exists()
    assert not (BAD / "python_tag" / "pwned-by-yaml").exists()


def test_file_too_large(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_bytes((BAD / "duplicate_id_across_files" / "pack.yaml").read_bytes())
    with open(pack / "big.yaml", "wb") as big:  # sparse: the size check comes before any read
        big.truncate(MAX_FILE_BYTES + 1)
    result = run_check(pack, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    (problem,) = problems_of(result.stderr)
    assert Path(problem["path"]).name == "big.yaml"
    assert (problem["line"], problem["col"]) == ("1", "1")
    assert f"file is {MAX_FILE_BYTES + 1} bytes; the limit is {MAX_FILE_BYTES}" in problem["message"]


def _not_a_directory(tmp_path: Path) -> Path:
    (tmp_path / "pack.yaml").write_text("pack: {}\n")
    return tmp_path / "pack.yaml"


def _missing_directory(tmp_path: Path) -> Path:
    return tmp_path / "no-such-pack"


def _no_yaml_files(tmp_path: Path) -> Path:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "notes.txt").write_text("not a pack\n")
    return tmp_path / "pack"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_a_directory, "not a directory"),
        (_missing_directory, "no such directory"),
        (_no_yaml_files, "no .yaml files"),
    ],
)
def test_unusable_directory_exits_1(make: Callable[[Path], Path], message: str, tmp_path: Path) -> None:
    result = run_check(make(tmp_path), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.startswith("stargate-tui: ")
    assert message in result.stderr
    assert not any(PROBLEM.match(line) for line in result.stderr.splitlines())


@pytest.mark.parametrize("source", ["missing.txt", "."])
def test_unreadable_article_exits_1(source: str, tmp_path: Path) -> None:
    result = run_check(MINIMAL, "--source", source, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "cannot read the article" in result.stderr


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_check(MINIMAL, "--no-such-option", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert "error: unrecognized arguments: --no-such-option" in result.stderr


def test_several_defects_in_several_files_are_all_reported(tmp_path: Path) -> None:
    result = run_check(DATA / "many_defects", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    got = {
        (Path(p["path"]).name, int(p["line"]), int(p["col"]), p["message"])
        for p in problems_of(result.stderr)
    }
    assert got == {
        ("pack.yaml", 14, 15, "leaders: 'lyon' is a place; expected person"),
        (
            "pack.yaml",
            18,
            11,
            "organisations[1].kind: invalid enum value 'startup' (allowed: " + ALLOWED_KINDS,
        ),
        ("people.yaml", 3, 1, "tab character in indentation; YAML indents with spaces"),
        ("places.yaml", 5, 11, "places[0].role: text must not be blank in either language"),
        ("places.yaml", 13, 13, "within: unknown id 'frnce' (did you mean 'france'?)"),
        ("places.yaml", 14, 25, "source paragraph 9 is past the article's 3 paragraphs"),
    }
    # sorted by file, then line, then column
    lines = result.stderr.splitlines()[:-1]
    keys = [(Path(m["path"]).name, int(m["line"]), int(m["col"])) for m in map(PROBLEM.match, lines) if m]
    assert keys == sorted(keys)


def test_paths_are_relative_to_the_working_directory() -> None:
    result = run_check(Path("tests/data/bad/duplicate_key"), cwd=REPO)
    assert result.stderr.startswith("tests/data/bad/duplicate_key/pack.yaml:10:5: ")


def test_open_with_an_unknown_id_suggests_close_ones() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stargate_tui", "--open", "stargate-totl"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "did you mean stargate-total" in result.stderr
