"""The article behind a pack (article.py): spans at their true offsets, re-anchoring, the rebuilt
paragraphs, coverage; `show article`, `show RECORD --source`, `check --coverage`, the pack's text_file.

Tests that need the Stargate article read it from beside the repository and are skipped without it:
the package does not ship it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sources import ARTICLE, article_text, needs_article

from stargate_tui.article import (
    ArticleMap,
    ArticleText,
    TextFileError,
    article_text_for,
    place,
    read_article,
    sentences,
    span_citation,
    split_paragraphs,
)
from stargate_tui.loader import FactPack, load_pack
from stargate_tui.plain import FORMATS, Target, render

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def pack() -> FactPack:
    return load_pack()


@pytest.fixture(scope="module")
def text() -> ArticleText:
    return article_text()


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stargate_tui", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


# -- placing spans ---------------------------------------------------------------------------


@needs_article
def test_every_quote_of_the_pack_is_at_its_true_offset(pack: FactPack, text: ArticleText) -> None:
    article = ArticleMap(pack, text)
    count = 0
    for record in pack.records.values():
        spans = article.of_record(record.id)
        assert len(spans) == len(record.sources)
        for span, source in zip(spans, record.sources, strict=True):
            paragraph = text.paragraphs[source.paragraph - 1]
            assert span.state == "exact", span
            assert span.found_in == source.paragraph
            assert paragraph[span.start : span.end] == " ".join(source.quote.split())
            count += 1
    assert count == len(article.spans) > 50
    assert article.flagged() == []


def test_paragraphs_are_split_on_blank_lines_and_squashed() -> None:
    assert split_paragraphs("\n a  b\nc\n\n\n  d \n") == ["a b c", "d"]


def test_a_quote_with_other_quote_marks_is_found_folded() -> None:
    span = place("r", 0, 1, "“au moins 500”", ('il dit "Au moins 500" hier',))
    assert span.state == "folded"
    assert (span.start, span.end) == (7, 21)


def test_a_quote_in_another_paragraph_is_found_and_flagged() -> None:
    span = place("r", 0, 1, "Abilene", ("Rien ici.", "Près d'Abilene, au Texas."))
    assert (span.state, span.found_in) == ("elsewhere", 2)
    assert ("Rien ici.", "Près d'Abilene, au Texas.")[1][span.start : span.end] == "Abilene"


def test_an_edited_text_is_reanchored_approximately() -> None:
    edited = "Le patron a précisé que la société allait commencer à déployer tout de suite 100 milliards."
    span = place("r", 0, 1, "allait commencer à déployer immédiatement 100 milliards", (edited,))
    assert span.state == "approximate"
    assert "commencer à déployer" in edited[span.start : span.end]


def test_a_quote_found_nowhere_is_missing_not_dropped(pack: FactPack) -> None:
    paragraphs = tuple("Rien à voir." for _ in range(pack.info.article.paragraphs))
    article = ArticleMap(pack, ArticleText(paragraphs, "other.txt"))
    assert len(article.spans) == sum(len(r.sources) for r in pack.records.values())
    assert {s.state for s in article.spans} == {"missing"}
    assert article.flagged() == article.spans
    first = next(iter(pack.records.values()))
    assert article.of_record(first.id)  # still listed under the paragraph it cites
    assert article.in_paragraph(first.sources[0].paragraph)


# -- without the text ------------------------------------------------------------------------


def test_without_the_text_each_paragraph_is_rebuilt_from_its_quotes(pack: FactPack) -> None:
    article = ArticleMap(pack)
    assert not article.has_text
    for n in range(1, article.count + 1):
        rebuilt, placed = article.shown(n)
        assert rebuilt == article.reconstruction(n)
        for span in article.in_paragraph(n):
            assert span.state == "unplaced"
            assert span.quote in rebuilt  # every quote is there (inside a longer one at worst)
        for span, start, end in placed:
            assert rebuilt[start:end] == span.quote
    assert " … " in article.reconstruction(1)


def test_overlapping_quotes_are_joined_once() -> None:
    from stargate_tui.article import _overlap_join

    assert _overlap_join("le projet porte sur", "porte sur les centres") == "le projet porte sur les centres"
    assert _overlap_join("abc", "xyz") is None


# -- coverage --------------------------------------------------------------------------------


def test_sentences_and_coverage() -> None:
    paragraph = 'Il a dit "oui". Personne ne le cite. Fin.'
    assert [paragraph[a:b] for a, b in sentences(paragraph)] == [
        'Il a dit "oui".',
        "Personne ne le cite.",
        "Fin.",
    ]


@needs_article
def test_coverage_of_the_stargate_pack(pack: FactPack, text: ArticleText) -> None:
    article = ArticleMap(pack, text)
    for n in range(1, 11):
        coverage = article.coverage(n)
        assert coverage is not None
        assert 0.5 < coverage.share <= 1.0
    assert ArticleMap(pack).coverage(1) is None


@needs_article
def test_check_coverage_prints_each_paragraph(text: ArticleText) -> None:
    result = run("check", "--source", str(ARTICLE), "--coverage")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("¶")] == [f"¶{n}" for n in range(1, 11)]
    assert "% cited" in lines[1]


def test_check_coverage_needs_the_text() -> None:
    result = run("check", "--coverage")
    assert result.returncode == 2
    assert "--coverage needs the article's text" in result.stderr


# -- where the text comes from ---------------------------------------------------------------


def _pack_with_text_file(tmp_path: Path, name: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    content = Path(__file__).resolve().parents[1] / "content"
    for file in content.glob("*.yaml"):
        (pack / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    head = (pack / "pack.yaml").read_text(encoding="utf-8")
    head = head.replace("    paragraphs: 10\n", f"    paragraphs: 10\n    text_file: {name}\n", 1)
    (pack / "pack.yaml").write_text(head, encoding="utf-8")
    return pack


def test_a_pack_names_its_text_file(tmp_path: Path) -> None:
    directory = _pack_with_text_file(tmp_path, "article.txt")
    (directory / "article.txt").write_text("Un.\n\nDeux.\n", encoding="utf-8")
    text = article_text_for(load_pack(directory))
    assert text is not None and text.paragraphs == ("Un.", "Deux.")


def test_a_text_file_outside_the_pack_is_refused(tmp_path: Path) -> None:
    directory = _pack_with_text_file(tmp_path, "../secret.txt")
    (tmp_path / "secret.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(TextFileError, match="outside the pack's directory"):
        article_text_for(load_pack(directory))
    result = run("show", "article", "--content", str(directory))
    assert result.returncode == 0  # the pane is rebuilt from the quotes, with a note
    assert "outside the pack's directory" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_missing_source_file_is_one_line(tmp_path: Path) -> None:
    result = run("show", "article", "--source", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert result.stderr == f"stargate-tui: --source: {tmp_path / 'nope.txt'}: no such file\n"


# -- plain output ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("with_text", [False, True])
def test_show_article_in_every_format(pack: FactPack, fmt: str, with_text: bool) -> None:
    if with_text and not ARTICLE.is_file():
        pytest.skip("the article's text is not beside the repository")
    text = read_article(ARTICLE) if with_text else None
    out = render(pack, Target(pane="article"), fmt, "en", 100, article=text)
    quote = pack.get("stargate-total").sources[0].quote  # type: ignore[union-attr]
    if fmt == "json":
        doc = json.loads(out)
        assert doc["pane"] == "article"
        paragraphs = doc["article"]["paragraphs"]
        assert len(paragraphs) == 10
        first = paragraphs[0]
        assert (first["text"] is not None) is with_text
        span = next(s for s in first["spans"] if s["record"] == "stargate-total")
        if with_text:
            assert first["text"][span["start"] : span["end"]] == quote
        else:
            assert span["start"] is None and span["state"] == "unplaced"
    elif fmt == "yaml":
        assert "article:" in out and "paragraphs:" in out
    else:
        assert "¶1" in out and "¶10" in out
        assert "stargate-total" in out
        assert ("cited spans marked" in out) is with_text
        if fmt == "text":
            assert "\x1b" not in out


@needs_article
def test_show_record_json_gives_span_offsets(pack: FactPack, text: ArticleText) -> None:
    result = run("show", "stargate-total", "--format", "json", "--source", str(ARTICLE))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    for span in doc["spans"]:
        assert text.paragraphs[span["found_in"] - 1][span["start"] : span["end"]] == span["quote"]
    plain = json.loads(run("show", "stargate-total", "--format", "json").stdout)
    assert "spans" not in plain


def test_a_span_is_copied_with_its_citation(pack: FactPack) -> None:
    span = ArticleMap(pack).of_record("stargate-total")[0]
    copied = span_citation(span, pack, "fr")
    assert copied.startswith(f"“{span.quote}” — ")
    assert f"paragraphe {span.paragraph}" in copied


@needs_article
def test_search_finds_the_article_text_when_present(pack: FactPack, text: ArticleText) -> None:
    from stargate_tui.search import SearchIndex

    words = "chacun leur tour"  # ¶8: the sentence of "les trois patrons ont remercié Donald Trump"
    without = {h.record.id for h in SearchIndex(pack).search(words)}
    found = {h.record.id for h in SearchIndex(pack, ArticleMap(pack, text)).search(words)}
    assert without < found
    assert "stargate-announced" in found - without  # found by its quote's sentence only


def test_check_verifies_the_quotes_against_the_packs_text_file(tmp_path: Path) -> None:
    directory = _pack_with_text_file(tmp_path, "article.txt")
    (directory / "article.txt").write_text("\n\n".join(["Rien."] * 10) + "\n", encoding="utf-8")
    result = run("check", str(directory))
    assert result.returncode == 2
    assert "quote not found verbatim in paragraph" in result.stderr
    (directory / "pack.yaml").write_text(
        (directory / "pack.yaml").read_text(encoding="utf-8").replace("article.txt", "../x.txt"),
        encoding="utf-8",
    )
    result = run("check", str(directory))
    assert result.returncode == 2
    assert "outside the pack's directory" in result.stderr


@needs_article
def test_check_passes_with_the_real_text_as_text_file(tmp_path: Path) -> None:
    directory = _pack_with_text_file(tmp_path, "article.txt")
    (directory / "article.txt").write_bytes(ARTICLE.read_bytes())  # in a temporary folder only
    result = run("check", str(directory), "--coverage")
    assert result.returncode == 0, result.stderr
    assert "valid and every quote is verbatim" in result.stdout
    assert "¶10:" in result.stdout


def test_a_rebuilt_paragraph_can_be_cut_to_its_first_pieces(pack: FactPack) -> None:
    article = ArticleMap(pack)
    pieces = article.pieces(3)
    assert len(pieces) > 2
    text, placed = article.shown(3, limit=2)
    assert text == " … ".join(pieces[:2])
    assert placed and all(text[start:end] == span.quote for span, start, end in placed)
    assert len(placed) < len(article.in_paragraph(3))
