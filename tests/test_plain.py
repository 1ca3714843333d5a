"""Plain output: `show` and `export` in text, markdown, json and yaml, and the explorer's plain fallback.

Most tests call `cli.main([...])` with capsys (stdout is then not a terminal, as in a pipe); the ones
about processes (pipes, TERM=dumb, imports, a reader that goes away) run `python -m stargate_tui`.

Golden files: tests/golden/*.txt and *.md hold `show` output at `--width 100` for a few panes and
records. After an intended change to the output (or to the content or the view strings), regenerate
them, and docs/record.schema.json with them, then review the diff:

    STARGATE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_plain.py
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
import yaml

from stargate_tui import cli, plain
from stargate_tui.loader import ENV_CONTENT, FactPack, load_pack
from stargate_tui.model import Figure
from stargate_tui.views import PANES, pane_records, pane_sections

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden"
SCHEMA_FILE = REPO / "docs" / "record.schema.json"
MINIMAL = TESTS / "data" / "minimal"
UPDATE = bool(os.environ.get("STARGATE_UPDATE_GOLDEN"))
FORMATS = ("text", "markdown", "json", "yaml")


@pytest.fixture(scope="module", autouse=True)
def _embedded_pack() -> Iterator[None]:
    """Every test reads the embedded pack, whatever the caller's environment says."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_CONTENT, raising=False)
        yield


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    *argv: str, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    drop = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", ENV_CONTENT)
    full_env = {k: v for k, v in os.environ.items() if k not in drop}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "stargate_tui", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=REPO,
        stdin=stdin,
        timeout=60,
        check=False,
    )


def check_entries_round_trip(pack: FactPack, entries: list[dict[str, Any]]) -> None:
    for item in entries:
        record = plain.record_from(item)
        assert record == pack.records[record.id]


# ---------------------------------------------------------------------------------------------
# every pane in every format


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("pane", PANES)
def test_every_pane_in_every_format(
    capsys: pytest.CaptureFixture[str],
    pack: FactPack,
    validator: jsonschema.protocols.Validator,
    pane: str,
    fmt: str,
) -> None:
    code, out, err = run_main(capsys, "show", pane, "--format", fmt)
    assert code == 0, err
    assert err == ""
    assert "\x1b" not in out
    records = pane_records(pack, pane)
    assert records
    if fmt == "json":
        doc = json.loads(out)
        validator.validate(doc)
        assert doc["pane"] == pane
        ids = [e["record"]["id"] for s in doc["sections"] for e in s["records"]]
        assert ids == [r.id for r in records]  # the TUI's list, in its order
        check_entries_round_trip(pack, [e for s in doc["sections"] for e in s["records"]])
    elif fmt == "yaml":
        doc = yaml.safe_load(out)
        validator.validate(doc)  # the same data as the json
        entries = [e for s in doc["sections"] for e in s["records"]]
        assert [e["record"]["id"] for e in entries] == [r.id for r in records]
        check_entries_round_trip(pack, entries)
    elif fmt == "markdown":
        assert out.startswith("# ")
        for record in records:  # every record with every citation, unwrapped
            assert f"`{record.id}`" in out
            for source in record.sources:
                if pane == "article":  # each quote under its paragraph's heading
                    assert f"“{plain.md(' '.join(source.quote.split()))}”" in out
                else:
                    assert plain.md(f"¶{source.paragraph} “{source.quote}”") in out
    else:
        assert all(len(line) <= 100 for line in out.splitlines())
        for record in records:
            assert record.id in out
        if pane != "article":  # the Article pane: one ¶ heading per paragraph, the quotes under it
            assert out.count("¶") >= sum(len(r.sources) for r in records)


def test_pane_sections_match_the_explorer(pack: FactPack) -> None:
    for pane in PANES:
        doc = plain.document(pack, plain.Target(pane=pane))
        expected = [s.key for s in pane_sections(pack, pane) if s.records]
        assert [s["key"] for s in doc["sections"]] == expected


def test_money_text_has_the_chart_and_overlaps(capsys: pytest.CaptureFixture[str], pack: FactPack) -> None:
    code, out, _ = run_main(capsys, "show", "money")
    assert code == 0
    assert "Amounts compared" in out
    assert "█" in out and "▏+" in out  # an "at least" bar
    assert "├" in out  # a range
    assert "includes" in out or "comes on top of" in out


# ---------------------------------------------------------------------------------------------
# records


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_record_in_every_format(
    capsys: pytest.CaptureFixture[str], pack: FactPack, validator: jsonschema.protocols.Validator, fmt: str
) -> None:
    code, out, err = run_main(capsys, "show", "stargate-total", "-f", fmt)
    assert code == 0, err
    record = pack.records["stargate-total"]
    assert isinstance(record, Figure)
    if fmt in ("json", "yaml"):
        doc = json.loads(out) if fmt == "json" else yaml.safe_load(out)
        validator.validate(doc)
        assert doc["kind"] == "figure"
        assert plain.record_from(doc) == record
        assert {"field": "part_of", "id": "stargate-initial", "kind": "figure", "incoming": True} in doc[
            "links"
        ]
    else:
        for needle in ("Stargate's total investment", "at least", "announced", "Donald Trump", "¶1"):
            assert needle in out
        assert "Background" in out and "Links" in out


def test_every_record_shows_and_round_trips(
    capsys: pytest.CaptureFixture[str], pack: FactPack, validator: jsonschema.protocols.Validator
) -> None:
    for record in pack.records.values():
        doc = plain.document(pack, plain.Target(record=record))
        validator.validate(json.loads(plain.to_json(doc)))
        assert plain.record_from(yaml.safe_load(plain.to_yaml(doc))) == record
        text = plain.render(pack, plain.Target(record=record), "text", "en", 100)
        assert f"¶{record.sources[0].paragraph}" in text


def test_event_title_is_renamed_in_the_output(pack: FactPack) -> None:
    event = pack.records["stargate-announced"]
    doc = yaml.safe_load(plain.render(pack, plain.Target(record=event), "yaml"))
    assert "title" in doc["record"] and "title_text" not in doc["record"]


# ---------------------------------------------------------------------------------------------
# schema


def test_schema_file_is_up_to_date() -> None:
    text = plain.json_schema_text()
    if UPDATE:
        SCHEMA_FILE.parent.mkdir(exist_ok=True)
        SCHEMA_FILE.write_text(text, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == text, (
        "docs/record.schema.json is stale: regenerate with STARGATE_UPDATE_GOLDEN=1"
    )


def test_schema_is_not_vacuous(pack: FactPack, validator: jsonschema.protocols.Validator) -> None:
    doc = plain.document(pack, plain.Target(record=pack.records["stargate-total"]))
    doc = json.loads(plain.to_json(doc))
    validator.validate(doc)
    bad_kind = {**doc, "kind": "person"}  # a figure's fields under the person schema
    assert not validator.is_valid(bad_kind)
    extra = {**doc, "record": {**doc["record"], "colour": "red"}}
    assert not validator.is_valid(extra)
    pane = json.loads(plain.to_json(plain.document(pack, plain.Target(pane="money"))))
    pane["sections"][0]["records"][0]["record"]["value"]["unit"] = "dollars"
    assert not validator.is_valid(pane)


# ---------------------------------------------------------------------------------------------
# export


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_stdout(
    capsys: pytest.CaptureFixture[str], pack: FactPack, validator: jsonschema.protocols.Validator, fmt: str
) -> None:
    code, out, err = run_main(capsys, "export", "--format", fmt)
    assert code == 0, err
    assert "\x1b" not in out
    if fmt in ("json", "yaml"):
        doc = json.loads(out) if fmt == "json" else yaml.safe_load(out)
        validator.validate(doc)
        info, records = plain.pack_from(doc)
        assert info == pack.info
        assert sorted(records, key=lambda r: r.id) == sorted(pack.records.values(), key=lambda r: r.id)
    else:
        for record in pack.records.values():
            assert record.id in out


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_is_a_loadable_pack(
    capsys: pytest.CaptureFixture[str], pack: FactPack, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / "pack.yaml"  # JSON is YAML too
    assert cli.main(["export", "--format", fmt, "--output", str(target)]) == 0
    again = load_pack(tmp_path)
    assert again.info == pack.info
    assert again.records == pack.records


def test_export_text_and_markdown_list_every_record_once(pack: FactPack) -> None:
    sections = plain.export_sections(pack)
    ids = [r.id for s in sections for r in s.records]
    assert sorted(ids) == sorted(pack.records)
    markdown = plain.render(pack, None, "markdown")
    for record_id in pack.records:
        assert markdown.count(f"\n`{record_id}`\n") == 1


def test_export_writes_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "stargate.md"
    code, out, err = run_main(capsys, "export", "-f", "markdown", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    code, stdout_version, _ = run_main(capsys, "export", "-f", "markdown")
    assert target.read_text(encoding="utf-8") == stdout_version
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir()] == ["stargate.md"]


def test_export_keeps_an_existing_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert cli.main(["export", "-f", "json", "-o", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert json.loads(target.read_text(encoding="utf-8"))["pack"]["id"] == "stargate-2025"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _FailingFile:
    """Wraps the temporary file: writes half of the text, then the disk is full."""

    def __init__(self, handle: Any, error: BaseException) -> None:
        self.handle = handle
        self.error = error

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, text: str) -> int:
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
@pytest.mark.parametrize("existing", [True, False])
def test_export_never_leaves_a_partial_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: BaseException,
    existing: bool,
) -> None:
    target = tmp_path / "export.yaml"
    if existing:
        target.write_text("previous export\n", encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(plain.os, "fdopen", lambda *a, **k: _FailingFile(real_fdopen(*a, **k), error))
    code, _, err = run_main(capsys, "export", "-f", "yaml", "-o", str(target))
    if isinstance(error, KeyboardInterrupt):
        assert code == 130
    else:
        assert code == 1
        assert "cannot write" in err and "No space left" in err and len(err.splitlines()) == 1
    assert "Traceback" not in err
    remaining = sorted(p.name for p in tmp_path.iterdir())
    if existing:
        assert remaining == ["export.yaml"]
        assert target.read_text(encoding="utf-8") == "previous export\n"
    else:
        assert remaining == []


def test_export_to_a_missing_directory_fails_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_main(capsys, "export", "-o", str(tmp_path / "nope" / "out.txt"))
    assert code == 1
    assert err.startswith("stargate-tui: export: cannot write") and len(err.splitlines()) == 1


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    plain.write_atomic(target, "new ¶ text\n")
    assert target.read_text(encoding="utf-8") == "new ¶ text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


# ---------------------------------------------------------------------------------------------
# golden files

GOLDENS = [
    ("overview", "en", "txt"),
    ("money", "en", "txt"),
    ("money", "en", "md"),
    ("money", "fr", "txt"),
    ("timeline", "en", "md"),
    ("politics", "fr", "md"),
    ("stargate-total", "en", "txt"),
    ("stargate-total", "en", "md"),
    ("abilene", "fr", "txt"),
    ("quote-trump-jobs", "en", "md"),
]


@pytest.mark.parametrize(("target", "lang", "ext"), GOLDENS, ids=[".".join(g) for g in GOLDENS])
def test_golden(capsys: pytest.CaptureFixture[str], target: str, lang: str, ext: str) -> None:
    fmt = "text" if ext == "txt" else "markdown"
    code, out, err = run_main(capsys, "show", target, "--format", fmt, "--lang", lang, "--width", "100")
    assert code == 0, err
    path = GOLDEN / f"{target}.{lang}.{ext}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run with STARGATE_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8"), f"{path.name} differs: see the module docstring"


# ---------------------------------------------------------------------------------------------
# languages and widths


def test_french_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "show", "money", "--lang", "fr")
    assert code == 0
    for label in ("Argent", "Montants comparés", "Autres chiffres", "Statut", "annoncé", "milliards"):
        assert label in out
    code, out, _ = run_main(capsys, "--lang", "fr", "show", "stargate-total", "-f", "markdown")
    assert code == 0
    assert "**Valeur:**" in out and "Contexte (hors de l'article)" in out and "Liens" in out
    code, out, _ = run_main(capsys, "export", "--lang", "fr", "-f", "markdown")
    assert code == 0 and "Organisations" in out and "Personnes" in out and "Citations" in out


@pytest.mark.parametrize("width", [40, 60, 140])
def test_width(capsys: pytest.CaptureFixture[str], width: int) -> None:
    code, out, _ = run_main(capsys, "show", "money", "--width", str(width))
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    if width > 100:
        assert max(len(line) for line in lines) > 100


@pytest.mark.parametrize("width", ["0", "5", "abc", "100000"])
def test_bad_width_is_a_usage_error(capsys: pytest.CaptureFixture[str], width: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["show", "money", "--width", width])
    assert exc.value.code == 2
    assert "--width" in capsys.readouterr().err


def test_default_width_when_piped_is_100() -> None:
    result = run_process("show", "overview", env={"COLUMNS": "300"})
    assert result.returncode == 0
    assert max(len(line) for line in result.stdout.splitlines()) == 100


# ---------------------------------------------------------------------------------------------
# unknown names


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("mony", "money"),
        ("timelime", "timeline"),
        ("stargate-totl", "stargate-total"),
        ("trump", "donald-trump"),
    ],
)
def test_unknown_name_suggests_close_matches(
    capsys: pytest.CaptureFixture[str], name: str, suggestion: str
) -> None:
    code, out, err = run_main(capsys, "show", name)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"stargate-tui: show: no pane or record {name!r}")
    assert suggestion in err


def test_unknown_name_without_close_match_lists_the_panes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(capsys, "show", "zzzzqqq")
    assert code == 2
    assert "overview, partners, money" in err and len(err.splitlines()) == 1


def test_pane_names_are_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "show", "Money")[0] == 0


def test_unknown_name_in_a_process_has_no_traceback() -> None:
    result = run_process("show", "stargat")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "stargate" in result.stderr


def test_show_on_another_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "show", "acme", "--content", str(MINIMAL), "-f", "json")
    assert code == 0 and json.loads(out)["record"]["id"] == "acme"
    code, out, _ = run_main(capsys, "--content", str(MINIMAL), "show", "partners", "-f", "markdown")
    assert code == 0 and "Minimal pack" in out
    code, _, err = run_main(capsys, "show", "money", "--content", str(MINIMAL / "nope"))
    assert code == 1 and "no such directory" in err


# ---------------------------------------------------------------------------------------------
# terminals, pipes and processes


def test_piped_output_has_no_control_sequences_even_when_colour_is_forced() -> None:
    env = {"TERM": "xterm-256color", "FORCE_COLOR": "1", "COLORTERM": "truecolor"}
    for argv in (("show", "money"), ("show", "stargate-total"), ("export",), ()):
        result = run_process(*argv, env=env)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
        assert "¶" in result.stdout


def test_plain_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "from stargate_tui.cli import main\n"
        "assert main(['show', 'money']) == 0\n"
        "assert main(['export', '--format', 'yaml']) == 0\n"
        "assert main([]) == 0  # stdout is a pipe: the plain fallback\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_term_dumb_prints_the_overview_instead_of_the_explorer() -> None:
    result = run_process(env={"TERM": "dumb"})
    assert result.returncode == 0, result.stderr
    assert "Overview — Stargate" in result.stdout
    assert "Headline figures" in result.stdout and "¶1" in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "printed the overview" in lines[0] and "stargate-tui show PANE" in lines[0]


def test_fallback_honours_pane_open_and_lang() -> None:
    result = run_process("--pane", "money", "--lang", "fr")
    assert result.returncode == 0
    assert "Argent" in result.stdout and "money pane" in result.stderr
    result = run_process("--open", "abilene")
    assert result.returncode == 0
    assert "Abilene" in result.stdout and "record abilene" in result.stderr
    result = run_process("--open", "nowhere")
    assert result.returncode == 2 and "unknown record id" in result.stderr


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_plain_reason() -> None:
    tty, pipe = _Stream(True), _Stream(False)
    term = {"TERM": "xterm-256color"}
    assert plain.plain_reason(tty, tty, term) is None  # type: ignore[arg-type]
    assert plain.plain_reason(tty, tty, {"TERM": "dumb"}) == "TERM is dumb"  # type: ignore[arg-type]
    assert plain.plain_reason(tty, pipe, term) == "stdout is not a terminal"  # type: ignore[arg-type]
    assert plain.plain_reason(pipe, tty, term) == "stdin is not a terminal"  # type: ignore[arg-type]
    assert plain.plain_reason(None, None, term) == "stdout is not a terminal"
    assert plain.use_color(tty, term) and not plain.use_color(pipe, term)  # type: ignore[arg-type]
    assert not plain.use_color(tty, {"TERM": "dumb"})  # type: ignore[arg-type]


def test_colour_only_when_asked(pack: FactPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    target = plain.Target(pane="money")
    assert "\x1b[" in plain.render(pack, target, "text", color=True)
    assert "\x1b" not in plain.render(pack, target, "text", color=False)
    monkeypatch.setenv("NO_COLOR", "1")
    coloured = plain.render(pack, target, "text", color=True)
    assert "\x1b[3" not in coloured.replace("\x1b[3m", "")  # no foreground colour, italics allowed


def test_a_reader_that_goes_away_is_not_an_error_worth_a_traceback() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "stargate_tui", "export", "--format", "text"],  # far more than a pipe holds
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) in (0, 1)
    assert err == ""


def test_a_stdout_that_cannot_encode_is_not_an_error() -> None:
    result = run_process("show", "money", "-f", "json", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pane"] == "money"
    result = run_process("show", "money", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_check_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "check")
    assert code == 0 and "valid" in out


def test_yaml_output_is_the_model_through_msgspec(pack: FactPack) -> None:
    for record in pack.records.values():
        data = yaml.safe_load(plain.to_yaml(msgspec.to_builtins(record)))
        assert msgspec.convert(data, type(record)) == record


def _run_on_a_pty(*argv: str, env: dict[str, str], columns: int) -> tuple[int, str, str]:
    """Run with stdout on a pseudo-terminal of `columns` columns (stdin is not a terminal)."""
    pty = pytest.importorskip("pty")
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    import struct

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    drop = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", ENV_CONTENT)
    full_env = {k: v for k, v in os.environ.items() if k not in drop} | env
    proc = subprocess.Popen(
        [sys.executable, "-m", "stargate_tui", *argv],
        cwd=REPO,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace"), err


def test_on_a_terminal_text_has_style_and_the_terminals_width() -> None:
    code, out, err = _run_on_a_pty("show", "money", env={"TERM": "xterm-256color"}, columns=90)
    assert code == 0, err
    assert "\x1b[" in out
    plain_lines = [line for line in out.replace("\r", "").splitlines() if "\x1b" not in line]
    assert plain_lines and max(len(line) for line in plain_lines) <= 90
    assert any(len(line) == 90 for line in plain_lines)
    code, out, _ = _run_on_a_pty("show", "money", env={"TERM": "dumb"}, columns=90)
    assert code == 0 and "\x1b" not in out


def test_stdin_not_a_terminal_prints_instead_of_starting_the_explorer() -> None:
    code, out, err = _run_on_a_pty(env={"TERM": "xterm-256color"}, columns=100)
    assert code == 0
    assert "Overview" in out and "Headline figures" in out
    assert err.startswith("stargate-tui: stdin is not a terminal: printed the overview")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_chart_legend_only_explains_marks_it_draws(fmt: str, tmp_path: Path) -> None:
    minimal = Path(__file__).parent / "data" / "minimal" / "pack.yaml"
    text = minimal.read_text(encoding="utf-8").replace("bound: at-least, amount", "bound: exact, amount")
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    exact = load_pack(tmp_path)
    out = plain.render(exact, plain.Target(pane="money"), fmt, "en", 100)
    assert "█" in out  # the chart is there
    assert "▏marks" not in out and "spans a range" not in out
    shipped = plain.render(load_pack(), plain.Target(pane="money"), fmt, "en", 100)
    assert "▏marks an" in shipped and "spans a range" in shipped
