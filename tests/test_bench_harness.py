"""The benchmark harness still works: it drives the real app on a pty and finds what it expects.

No timing assertions (timings belong to `make bench`): only that the expected text is found, the
numbers reported are positive, and the synthetic pack generator writes a valid pack.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

pytest.importorskip("pyte")
if not sys.platform.startswith("linux"):  # pty, TIOCSWINSZ and /proc
    pytest.skip("the benchmark harness runs on Linux", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import suite, synthpack  # noqa: E402
from benchmarks.harness import HarnessError, Summary, Terminal  # noqa: E402
from stargate_tui.loader import load_pack  # noqa: E402
from stargate_tui.model import KINDS  # noqa: E402


def test_first_frame_and_a_pane_switch_of_the_real_app() -> None:
    with Terminal(suite.app_argv()) as term:
        first = term.wait_for(suite.FIRST_FRAME, timeout=60)
        term.finish(first, term.started)
        rss = term.rss_kib()
        assert term.shows("HEADLINE FIGURES")
        visit = term.step("partners", "2", "ORGANISATIONS", timeout=30)
        back = term.step("overview", "1", "HEADLINE FIGURES", timeout=30)
    assert first.seconds > 0 and first.bytes_to_text > 0
    assert first.bytes_settled >= first.bytes_to_text
    assert first.frames and sum(first.frames) == first.bytes_settled
    assert rss > 1024  # KiB: a Python process is bigger than a mebibyte
    for step in (visit, back):
        assert step.seconds > 0 and step.bytes_settled > 0 and step.largest_frame > 0
    assert term.exited == 0  # q quit the app cleanly


def test_a_step_whose_text_is_already_shown_is_refused() -> None:
    with Terminal(suite.baseline_argv("bare_app")) as term:
        term.wait_for("A bare Textual app", timeout=60)
        term.settle()
        with pytest.raises(HarnessError, match="already on screen"):
            term.wait_for("A bare Textual app", since=term.press(b""), timeout=1)


def test_the_synthetic_pack_is_valid_and_searchable(tmp_path: Path) -> None:
    made = synthpack.generate(tmp_path / "pack", 300)
    assert made.records == 300 and made.files >= 7
    pack = load_pack(tmp_path / "pack")
    assert len(pack.records) == 300
    assert {record.KIND for record in pack.records.values()} == set(KINDS)
    assert sum(len(links) for links in pack.backlinks.values()) > 300  # records reference each other
    seconds, output = suite.check_once(str(tmp_path / "pack"))
    assert seconds > 0 and "300 records" in output and "valid" in output

    plan = suite.search_plan(str(tmp_path / "pack"), synthpack.SEARCH_QUERY)
    session = suite.app_session(
        str(tmp_path / "pack"), switches=1, keystrokes=1, plan=plan, visit_all=False, timeout=60
    )
    for key in ("first_frame", "first_visit:partners", "switch", "search_open", "search_key"):
        (step,) = session.steps[key]
        assert step.seconds > 0 and step.bytes_settled > 0, key
    assert session.values["rss_kib"] > 0


def test_results_text_matches_the_count_exactly() -> None:
    assert suite.results_text(12).search("  12 results  ")
    assert not suite.results_text(12).search("112 results")
    assert suite.results_text(1).search("1 result")
    assert not suite.results_text(1).search("1 results")
    assert isinstance(suite.results_text(3), re.Pattern)


def test_summary() -> None:
    s = Summary.of([0.3, 0.1, 0.2, 0.5, 0.4])
    assert (s.n, s.median, s.low, s.high) == (5, 0.3, 0.1, 0.5)
    assert s.q1 <= s.median <= s.q3
