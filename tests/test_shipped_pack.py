"""The Stargate pack shipped with the package: valid, faithful to the article, and inside the wheel."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stargate_tui.loader import ENV_CONTENT, FactPack, default_content_dir, load_pack

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "source" / "000_0d32b5b5a755ef52.txt"
needs_article = pytest.mark.skipif(
    not ARTICLE.is_file(), reason=f"the source article is not beside the repository ({ARTICLE})"
)


@pytest.fixture(scope="module")
def pack() -> FactPack:
    saved = os.environ.pop(ENV_CONTENT, None)
    try:
        return load_pack(default_content_dir())
    finally:
        if saved is not None:
            os.environ[ENV_CONTENT] = saved


def squash(text: str) -> str:
    return " ".join(text.split())


def article_paragraphs() -> list[str]:
    """Read independently of the loader: paragraphs are separated by blank lines."""
    text = ARTICLE.read_text(encoding="utf-8")
    return [squash(block) for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def test_embedded_pack_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_CONTENT, raising=False)
    directory = default_content_dir()
    assert directory.name == "content"
    assert (directory / "pack.yaml").is_file()


def test_embedded_pack_validates(pack: FactPack) -> None:
    assert pack.info.id == "stargate-2025"
    assert pack.info.article.paragraphs == 10
    assert len(pack.files) > 1
    for kind in ("organisation", "person", "place", "figure", "statement", "event"):
        assert pack.of_kind(kind), f"no {kind} in the shipped pack"


def test_every_record_has_a_source(pack: FactPack) -> None:
    missing = [r.id for r in pack.records.values() if not r.sources]
    assert missing == []
    assert all(s.quote.strip() for r in pack.records.values() for s in r.sources)


def test_every_paragraph_is_cited(pack: FactPack) -> None:
    cited = {s.paragraph for r in pack.records.values() for s in r.sources}
    assert cited == set(range(1, pack.info.article.paragraphs + 1))


@needs_article
def test_article_has_the_declared_paragraphs(pack: FactPack) -> None:
    paragraphs = article_paragraphs()
    assert len(paragraphs) == pack.info.article.paragraphs
    assert paragraphs[0].startswith("date 2025-01 Donald Trump")


@needs_article
def test_every_quote_is_verbatim_in_its_paragraph(pack: FactPack) -> None:
    paragraphs = article_paragraphs()
    wrong = [
        (record.id, source.paragraph, source.quote)
        for record in pack.records.values()
        for source in record.sources
        if squash(source.quote) not in paragraphs[source.paragraph - 1]
    ]
    assert wrong == []
    # and the loader agrees
    load_pack(pack.directory, source=ARTICLE)


# ------------------------------------------------------------------------------------------ wheel

OFFLINE = (
    "No matching distribution found",
    "Could not find a version",
    "Failed to establish a new connection",
)


def build_wheel(out: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--disable-pip-version-check",
        "-w",
        str(out),
    ]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # offline: use the installed build backend
    result = subprocess.run([*command, str(REPO)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0 and any(marker in result.stdout + result.stderr for marker in OFFLINE):
        pytest.skip("cannot fetch the build backend (hatchling) to build a wheel: offline?")
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("stargate_tui-*.whl")
    return wheel


def test_wheel_ships_the_pack_and_check_finds_it(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)

    source_files = sorted(p.name for p in (REPO / "content").iterdir() if p.suffix in (".yaml", ".yml"))
    shipped = sorted(
        n.removeprefix("stargate_tui/content/") for n in names if n.startswith("stargate_tui/content/")
    )
    assert "pack.yaml" in shipped
    assert shipped == source_files
    for name in shipped:
        assert (site / "stargate_tui" / "content" / name).read_bytes() == (
            REPO / "content" / name
        ).read_bytes()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != ENV_CONTENT}
    env["PYTHONPATH"] = str(site)  # the unzipped wheel comes before any installed copy
    result = subprocess.run(
        [sys.executable, "-m", "stargate_tui", "check"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    records = len(load_pack(REPO / "content").records)
    embedded = site / "stargate_tui" / "content"
    assert result.stdout.strip() == f"{embedded}: {records} records in {len(source_files)} files, valid"
