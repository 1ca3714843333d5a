"""The article's text for the tests: outside the repository (the package does not ship it), in
`../shared/source` beside it when there. Tests that need it skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stargate_tui.article import ArticleText, read_article

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "source" / "000_0d32b5b5a755ef52.txt"

needs_article = pytest.mark.skipif(
    not ARTICLE.is_file(), reason="the article's text is not beside the repository"
)


def article_text() -> ArticleText:
    """The article, read as `--source` reads it; skips the test when it is not there."""
    if not ARTICLE.is_file():
        pytest.skip("the article's text is not beside the repository")
    return read_article(ARTICLE)
