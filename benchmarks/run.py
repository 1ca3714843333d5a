"""Run the benchmark suite and check the performance budget.

    python benchmarks/run.py            # full suite, a few minutes on 2 cores
    python benchmarks/run.py --quick    # one repetition of each, a 500-record synthetic pack
    python benchmarks/run.py --repeat 9 # more repetitions

Prints a table of figures (median and spread over repeated runs, bytes written to the terminal) and
the budgets with PASS/FAIL, and writes the same as JSON to benchmarks/results/. The app's cache of
validated packs lives in the run's temporary folder, never the user's: first frames are measured with
an empty cache (a first launch: YAML parsed, the cache written) and with a warm one (later launches).
Exit status 0 even when a budget fails (the numbers are the result) unless --strict (then 3); 1 when
the harness failed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import suite, synthpack
from benchmarks.harness import Step, Summary

RESULTS = Path(__file__).resolve().parent / "results"
EMBEDDED_QUERY = "data"  # "dat" → 20 results, "data" → 18 on the Stargate pack


@dataclass
class Config:
    quick: bool
    repeat: int
    synth_repeat: int
    records: int
    switches: int
    keystrokes: int
    warmup: bool
    strict: bool = False


@dataclass
class Collected:
    sessions: dict[str, list[suite.Session]] = field(default_factory=dict)
    checks: list[float] = field(default_factory=list)
    check_embedded: list[float] = field(default_factory=list)
    check_output: str = ""

    def add(self, name: str, session: suite.Session) -> None:
        self.sessions.setdefault(name, []).append(session)

    def steps(self, name: str, key: str) -> list[Step]:
        return [s for session in self.sessions.get(name, []) for s in session.steps.get(key, [])]

    def values(self, name: str, key: str) -> list[float]:
        return [session.values[key] for session in self.sessions.get(name, []) if key in session.values]


def machine() -> dict[str, Any]:
    import textual

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in load],
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
    }


_T0 = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# running


def collect(cfg: Config, synth_dir: str, cache_root: Path) -> Collected:
    """Every session; the app keeps its cache of validated packs under `cache_root`: `warm` (filled by
    the warm-up, used by every session but the first launches) or a new empty folder per first launch."""
    got = Collected()
    first_launches = 0

    def first_launch(content: str) -> suite.Session:
        nonlocal first_launches
        first_launches += 1
        folder = cache_root / f"cold-{first_launches}"
        session = suite.first_frame_session(content, str(folder))
        if not any(folder.glob("*")):
            raise RuntimeError(f"the first launch wrote no cache file in {folder}")
        return session

    log("search plans (counting hits per keystroke with the app's own index)…")
    embedded_plan = suite.search_plan(None, EMBEDDED_QUERY)
    synth_plan = suite.search_plan(synth_dir, synthpack.SEARCH_QUERY)

    def embedded() -> suite.Session:
        return suite.app_session(None, switches=cfg.switches, keystrokes=cfg.keystrokes, plan=embedded_plan)

    def synthetic() -> suite.Session:
        return suite.app_session(
            synth_dir, switches=cfg.switches, keystrokes=cfg.keystrokes, plan=synth_plan, timeout=120.0
        )

    if cfg.warmup:  # compile bytecode, fill the page cache; discarded
        log("warm-up (discarded)…")
        suite.bare_session()
        suite.tabs_session(2)
        suite.app_session(None, switches=2, keystrokes=2, plan=embedded_plan)
        suite.app_session(synth_dir, switches=0, keystrokes=0, plan=None, visit_all=False, timeout=120.0)
    else:  # the warm sessions still need a warm cache: one first launch of each pack fills it
        suite.first_frame_session(None, os.environ[suite.CACHE_ENV])
        suite.first_frame_session(synth_dir, os.environ[suite.CACHE_ENV])
    if len(list((cache_root / "warm").glob("*"))) != 2:
        raise RuntimeError("the warm cache does not hold the embedded and the synthetic pack")

    for r in range(cfg.repeat):
        log(
            f"repetition {r + 1}/{cfg.repeat}: bare, tabs, app"
            f"{', synthetic (first launch and warm cache)' if r < cfg.synth_repeat else ''}"
        )
        # interleaved, so that a slow moment of the machine hits every program alike
        got.add("bare", suite.bare_session())
        got.add("tabs", suite.tabs_session(cfg.switches))
        got.add("app_parsed", suite.first_frame_session(None, "off"))
        got.add("app", embedded())
        if r < cfg.synth_repeat:
            got.add("synth_cold", first_launch(synth_dir))
            got.add("synth", synthetic())

    log(f"check on the synthetic pack ({cfg.synth_repeat}×) and on the embedded pack…")
    for _ in range(cfg.synth_repeat):
        seconds, got.check_output = suite.check_once(synth_dir)
        got.checks.append(seconds)
    for _ in range(cfg.synth_repeat):
        got.check_embedded.append(suite.check_once(str(suite.ROOT / "content"))[0])
    return got


# ---------------------------------------------------------------------------------------------
# figures and budgets


def _ms(summary: Summary) -> dict[str, float]:
    return {k: (v * 1000 if k != "n" else v) for k, v in summary.as_dict().items()}


def figure(steps: list[Step]) -> dict[str, Any] | None:
    if not steps:
        return None
    return {
        "ms": _ms(Summary.of([s.seconds for s in steps])),
        "bytes_settled_median": statistics.median(s.bytes_settled for s in steps),
        "bytes_to_text_median": statistics.median(s.bytes_to_text for s in steps),
        "frames_median": statistics.median(len(s.frames) for s in steps),
        "largest_frame_median": statistics.median(s.largest_frame for s in steps),
        "samples_ms": [round(s.seconds * 1000, 1) for s in steps],
        "samples_bytes": [s.bytes_settled for s in steps],
    }


def summarise(cfg: Config, got: Collected, generated: synthpack.Generated) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name in ("bare", "tabs", "app", "synth", "app_parsed", "synth_cold"):
        figures[f"{name}.first_frame"] = figure(got.steps(name, "first_frame"))
    figures["tabs.first_visit"] = figure(got.steps("tabs", "first_visit"))
    figures["tabs.switch"] = figure(got.steps("tabs", "switch"))
    for name in ("app", "synth"):
        for pane, _ in suite.PANES.values():
            if pane != "overview":
                figures[f"{name}.first_visit.{pane}"] = figure(got.steps(name, f"first_visit:{pane}"))
        figures[f"{name}.switch"] = figure(got.steps(name, "switch"))
        figures[f"{name}.search_open"] = figure(got.steps(name, "search_open"))
        figures[f"{name}.search_key"] = figure(got.steps(name, "search_key"))
    for name in ("bare", "app", "synth"):
        for key in ("rss_kib", "rss_all_panes_kib"):
            values = got.values(name, key)
            if values:
                figures[f"{name}.{key}"] = statistics.median(values)
    figures["synth.check_s"] = Summary.of(got.checks).as_dict()
    figures["embedded.check_s"] = Summary.of(got.check_embedded).as_dict()
    figures["synth.pack"] = {
        "records": generated.records,
        "files": generated.files,
        "check": got.check_output,
    }
    figures["ssh"] = "measured separately: python benchmarks/ssh_soak.py"
    return figures


def budgets(f: dict[str, Any]) -> list[dict[str, Any]]:
    def med(key: str) -> float:
        return float(f[key]["ms"]["median"])

    rows = [
        ("first frame ≤ 1.35× bare app", med("app.first_frame"), 1.35 * med("bare.first_frame"), "ms"),
        ("pane switch ≤ 1.2× bare tab switch", med("app.switch"), 1.2 * med("tabs.switch"), "ms"),
        (
            f"{f['synth.pack']['records']}-record first frame ≤ 1.5× embedded (warm cache)",
            med("synth.first_frame"),
            1.5 * med("app.first_frame"),
            "ms",
        ),
        (
            f"{f['synth.pack']['records']}-record search keystroke ≤ 50 ms",
            med("synth.search_key"),
            50.0,
            "ms",
        ),
    ]
    return [
        {"budget": name, "measured": value, "limit": limit, "unit": unit, "pass": value <= limit}
        for name, value, limit, unit in rows
    ]


# ---------------------------------------------------------------------------------------------
# printing


def _spread(fig: dict[str, Any]) -> str:
    ms = fig["ms"]
    return f"{ms['median']:8.1f} ms  [{ms['min']:.1f}–{ms['max']:.1f}] n={ms['n']}"


def table(f: dict[str, Any], rows: list[dict[str, Any]], cfg: Config) -> str:
    out: list[str] = []
    n = f["synth.pack"]["records"]
    timed = [
        ("First frame, bare Textual app (Header+Static+Footer)", "bare.first_frame"),
        ("First frame, two-tab TabbedContent app", "tabs.first_frame"),
        ("First frame, stargate-tui (embedded pack, cache off)", "app_parsed.first_frame"),
        ("First frame, stargate-tui (embedded pack, warm cache)", "app.first_frame"),
        (f"First frame, stargate-tui ({n}-record pack, first launch)", "synth_cold.first_frame"),
        (f"First frame, stargate-tui ({n}-record pack, warm cache)", "synth.first_frame"),
        ("Tab switch, bare two-tab app (first time)", "tabs.first_visit"),
        ("Tab switch, bare two-tab app", "tabs.switch"),
        ("Pane switch, built pane (1↔2)", "app.switch"),
        *[(f"First visit: {p}", f"app.first_visit.{p}") for p, _ in suite.PANES.values() if p != "overview"],
        ("Open search (/)", "app.search_open"),
        ("Search keystroke", "app.search_key"),
        (f"Pane switch, built pane ({n} records)", "synth.switch"),
        *[
            (f"First visit: {p} ({n} records)", f"synth.first_visit.{p}")
            for p, _ in suite.PANES.values()
            if p != "overview"
        ],
        (f"Open search ({n} records)", "synth.search_open"),
        (f"Search keystroke ({n} records)", "synth.search_key"),
    ]
    out.append(f"{'step':58} {'median ms  [min–max]':>32} {'bytes':>8} {'frames':>6}")
    for label, key in timed:
        fig = f.get(key)
        if not fig:
            continue
        out.append(
            f"{label:58} {_spread(fig):>32} {fig['bytes_settled_median']:>8.0f} {fig['frames_median']:>6.0f}"
        )
    out.append("")
    mib = 1024
    out.append(
        f"Resident memory (VmRSS after first frame): bare {f['bare.rss_kib'] / mib:.1f} MiB, "
        f"stargate-tui {f['app.rss_kib'] / mib:.1f} MiB "
        f"({f['app.rss_all_panes_kib'] / mib:.1f} MiB with all panes built), "
        f"{n} records {f['synth.rss_kib'] / mib:.1f} MiB "
        f"({f['synth.rss_all_panes_kib'] / mib:.1f} MiB all panes)"
    )
    cs, ce = f["synth.check_s"], f["embedded.check_s"]
    out.append(
        f"check, wall time: {n}-record pack {cs['median']:.2f} s [{cs['min']:.2f}–{cs['max']:.2f}], "
        f"embedded pack {ce['median']:.2f} s"
    )
    out.append(f"Over SSH (serve ssh): {f['ssh']}")
    out.append("")
    out.append(
        "Budgets" + (" (quick run: one repetition, small pack — indicative only)" if cfg.quick else "")
    )
    for row in rows:
        verdict = "PASS" if row["pass"] else "FAIL"
        out.append(
            f"  {verdict}  {row['budget']:62} measured {row['measured']:9.1f} {row['unit']:2} "
            f"limit {row['limit']:9.1f} {row['unit']}"
        )
    # the first launch of a new large pack reads and validates all its YAML once: a figure, not a budget
    first, parsed = f["synth_cold.first_frame"]["ms"]["median"], f["app_parsed.first_frame"]["ms"]["median"]
    out.append(
        f"  (one-time, no budget) {n}-record pack's first launch (cache empty): {first:.1f} ms, "
        f"{first / parsed:.2f}× the embedded pack with the cache off"
    )
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(description="stargate-tui benchmarks and performance budget")
    parser.add_argument("--quick", action="store_true", help="one repetition, small pack: proves the harness")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default 5; quick 1)")
    parser.add_argument("--records", type=int, default=None, help="synthetic pack size (default 10000)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the discarded warm-up sessions")
    parser.add_argument("--strict", action="store_true", help="exit 3 when a budget fails")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    return Config(
        quick=args.quick,
        repeat=max(1, repeat),
        synth_repeat=1 if args.quick else max(1, min(repeat, 5)),
        records=args.records or (500 if args.quick else 10_000),
        switches=2 if args.quick else 6,
        keystrokes=2 if args.quick else 6,
        warmup=not (args.quick or args.no_warmup),
        strict=args.strict,
    )


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    info = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stargate-bench-") as tmp:
        synth_dir = str(Path(tmp) / "pack")
        cache_root = Path(tmp) / "cache"
        # every app session inherits this (the warm cache) unless it is given its own (cold) folder;
        # never the user's own cache, whose state would decide what is measured
        os.environ[suite.CACHE_ENV] = str(cache_root / "warm")
        log(f"generating a {cfg.records}-record synthetic pack…")
        generated = synthpack.generate(synth_dir, cfg.records)
        log("validating it with `stargate-tui check`…")
        suite.check_once(synth_dir)
        got = collect(cfg, synth_dir, cache_root)
    figures = summarise(cfg, got, generated)
    rows = budgets(figures)
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    info["duration_s"] = round(time.perf_counter() - started, 1)
    print(table(figures, rows, cfg))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-{'quick' if cfg.quick else 'full'}.json"
    report = {"machine": info, "config": cfg.__dict__, "figures": figures, "budgets": rows}
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    passed = len([r for r in rows if r["pass"]])
    print(f"\n{passed}/{len(rows)} budgets pass; {info['duration_s']:.0f} s; results in {shown}")
    return 3 if cfg.strict and passed < len(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
