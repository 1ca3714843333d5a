"""The measured sessions: the real `stargate-tui` and the bare Textual baselines, under a pty.

Each session starts one process and measures several steps in it (first frame, memory, first visit
of each pane, warm pane switches, search keystrokes). `run.py` repeats and summarises them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .baselines.bare_app import BARE_TEXT
from .baselines.tabs_app import ALPHA_TEXT, BETA_TEXT
from .harness import Step, Terminal, clean_env

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINES = HERE / "baselines"

#: Pane key → (pane, a text on screen only when that pane is shown). Section titles are upper case,
#: so they never match the tab labels ("2 Partners").
PANES: dict[str, tuple[str, str]] = {
    "1": ("overview", "HEADLINE FIGURES"),
    "2": ("partners", "ORGANISATIONS"),
    "3": ("money", "MONEY"),
    "4": ("locations", "PLACES"),
    "5": ("politics", "EVENTS"),
    "6": ("people", "PEOPLE"),
    "7": ("timeline", "EVENTS"),
}
#: The overview is complete when its list and the selected record's links are both drawn.
FIRST_FRAME = ("HEADLINE FIGURES", "Links")
SEARCH_OPEN = "name, amount, place, quote"  # the search input's placeholder
BACKSPACE = b"\x7f"
ESCAPE = b"\x1b"


def app_argv(*args: str) -> list[str]:
    """The installed `stargate-tui` next to this Python, or `python -m stargate_tui`."""
    script = Path(sys.executable).with_name("stargate-tui")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "stargate_tui", *args]


def baseline_argv(name: str) -> list[str]:
    return [sys.executable, str(BASELINES / f"{name}.py")]


def results_text(count: int) -> re.Pattern[str]:
    """The search screen's count line for `count` hits ("12 results", "1 result")."""
    word = "result" if count == 1 else "results"
    return re.compile(rf"(?<!\d){count} {word}(?!\w)")


@dataclass
class SearchPlan:
    """What to type in the search box and the count the app must show after each keystroke."""

    query: str
    counts: list[int]  # counts[i]: hits for query[: i + 1]

    @property
    def toggles(self) -> tuple[int, int]:
        """(count without the last character, count with it): they differ, so each is observable."""
        return self.counts[-2], self.counts[-1]


@cache
def search_plan(content: str | None, query: str) -> SearchPlan:
    """Count hits for every prefix of `query` with the app's own index (not timed)."""
    from stargate_tui.loader import load_pack
    from stargate_tui.search import SearchIndex

    index = SearchIndex(load_pack(content))
    counts = [len(index.search(query[: i + 1])) for i in range(len(query))]
    if len(counts) < 2 or counts[-2] == counts[-1]:
        raise ValueError(f"query {query!r}: its last keystroke does not change the count {counts}")
    return SearchPlan(query, counts)


# ---------------------------------------------------------------------------------------------
# sessions


@dataclass
class Session:
    """What one process showed: named steps and other figures (memory)."""

    steps: dict[str, list[Step]] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)

    def add(self, key: str, step: Step) -> Step:
        step.name = step.name or key
        self.steps.setdefault(key, []).append(step)
        return step


def bare_session() -> Session:
    """First frame of the bare app."""
    out = Session()
    with Terminal(baseline_argv("bare_app")) as term:
        step = term.wait_for(BARE_TEXT)
        out.add("first_frame", term.finish(step, term.started))
        out.values["rss_kib"] = term.rss_kib()
    return out


def tabs_session(switches: int) -> Session:
    """First frame of the two-tab app, then `switches` tab switches after each tab was shown once."""
    out = Session()
    with Terminal(baseline_argv("tabs_app")) as term:
        step = term.wait_for(ALPHA_TEXT)
        out.add("first_frame", term.finish(step, term.started))
        out.add("first_visit", term.step("tab 2 (first)", "2", BETA_TEXT))
        term.step("tab 1", "1", ALPHA_TEXT)
        for i in range(switches):
            key, text = ("2", BETA_TEXT) if i % 2 == 0 else ("1", ALPHA_TEXT)
            out.add("switch", term.step(f"tab {key}", key, text))
    return out


CACHE_ENV = "STARGATE_TUI_CACHE"


def app_env(cache_dir: str) -> dict[str, str]:
    """The app's environment with its cache of validated packs in `cache_dir`."""
    env = clean_env(80, 24)
    env[CACHE_ENV] = cache_dir
    return env


def app_session(
    content: str | None,
    *,
    switches: int,
    keystrokes: int,
    plan: SearchPlan | None,
    visit_all: bool = True,
    timeout: float = 60.0,
) -> Session:
    """The real app: first frame, memory, first visit of each pane, warm switches, then search."""
    out = Session()
    args = ["--content", content] if content else []
    with Terminal(app_argv(*args)) as term:
        step = term.wait_for(FIRST_FRAME, timeout=timeout)
        out.add("first_frame", term.finish(step, term.started))
        out.values["rss_kib"] = term.rss_kib()

        keys = "234567" if visit_all else "2"
        for key in keys:
            pane, text = PANES[key]
            out.add(f"first_visit:{pane}", term.step(pane, key, text, timeout=timeout))
        out.values["rss_all_panes_kib"] = term.rss_kib()

        # warm switches: overview and partners have both been shown once already
        for i in range(switches):
            key = "1" if i % 2 == 0 else "2"
            pane, text = PANES[key]
            out.add("switch", term.step(pane, key, text, timeout=timeout))  # step.name: the pane shown

        if plan is not None:
            out.add("search_open", term.step("/", "/", SEARCH_OPEN, timeout=timeout))
            shown: int | None = None
            for i, char in enumerate(plan.query):
                count = plan.counts[i]
                if count != shown:
                    term.step(char, char, results_text(count), timeout=timeout)
                else:
                    term.press(char)
                    term.settle()
                shown = count
            without, with_last = plan.toggles
            for i in range(keystrokes):
                if i % 2 == 0:
                    step = term.step("backspace", BACKSPACE, results_text(without), timeout=timeout)
                else:
                    step = term.step(plan.query[-1], plan.query[-1], results_text(with_last), timeout=timeout)
                out.add("search_key", step)
            term.press(ESCAPE)
            term.settle(idle=0.3)
    return out


def first_frame_session(content: str | None, cache_dir: str, timeout: float = 120.0) -> Session:
    """First frame only, with the cache of validated packs in `cache_dir` (an empty one: first launch)."""
    out = Session()
    args = ["--content", content] if content else []
    with Terminal(app_argv(*args), env=app_env(cache_dir)) as term:
        step = term.wait_for(FIRST_FRAME, timeout=timeout)
        out.add("first_frame", term.finish(step, term.started))
    return out


def check_once(content: str) -> tuple[float, str]:
    """Wall time of `stargate-tui check DIR`; raises if the pack is not valid."""
    start = time.perf_counter()
    done = subprocess.run(app_argv("check", content), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or "valid" not in done.stdout:
        raise RuntimeError(f"check {content} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip()
