"""Run every ``benchmarks/*.py`` (but ``_helpers.py``) headless and summarise their results.

Each script runs as a child process with ``QT_QPA_PLATFORM=offscreen``; its output is shown as
it comes. Its last line must be one JSON object
``{"benchmark": NAME, "figures": {...}, "targets": {...}, "pass": true|false}``.
The summary table lists every benchmark, its figures and whether it met its targets; the results
are also written to ``build/bench/results.json``.

Exit status: 0 when every script ran and reported (even if a target was missed: that is a
finding, printed as MISSED), 1 when a script crashed or did not end with the JSON line.

    python tools/run_benchmarks.py                 every benchmark
    python tools/run_benchmarks.py startup         only benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
RESULTS = ROOT / "build" / "bench" / "results.json"


@dataclass
class Outcome:
    script: str
    status: str  # "pass", "MISSED", "CRASHED"
    seconds: float
    result: dict[str, Any] = field(default_factory=dict)
    problem: str = ""


def _parse_last_line(lines: list[str]) -> dict[str, Any] | None:
    for line in reversed(lines):
        if line.strip():
            try:
                data = json.loads(line)
            except ValueError:
                return None
            if isinstance(data, dict) and {"benchmark", "figures", "pass"} <= data.keys():
                return data
            return None
    return None


def run_one(script: Path, timeout: float) -> Outcome:
    print(f"=== {script.name} ===", flush=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    start = time.perf_counter()
    lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                print(f"  {line}", end="", flush=True)
                lines.append(line.rstrip("\n"))
                if time.perf_counter() - start > timeout:
                    proc.kill()
                    break
            code = proc.wait(timeout=max(1.0, timeout - (time.perf_counter() - start)))
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -9
    seconds = time.perf_counter() - start
    if code != 0:
        return Outcome(script.name, "CRASHED", seconds, problem=f"exit status {code}")
    result = _parse_last_line(lines)
    if result is None:
        return Outcome(script.name, "CRASHED", seconds, problem="last line is not the JSON result")
    return Outcome(script.name, "pass" if result["pass"] else "MISSED", seconds, result)


def _figures_text(result: dict[str, Any]) -> str:
    targets = result.get("targets", {})
    parts = []
    for key, value in result.get("figures", {}).items():
        text = f"{key}={value}"
        if key in targets:
            text += f" (target {targets[key]})"
        parts.append(text)
    return ", ".join(parts)


def print_summary(outcomes: list[Outcome]) -> None:
    print()
    print("Benchmark summary")
    width = max([len("script")] + [len(o.script) for o in outcomes])
    print(f"  {'script':<{width}}  {'result':<8}  {'time':>7}  figures")
    for o in outcomes:
        detail = o.problem or _figures_text(o.result)
        print(f"  {o.script:<{width}}  {o.status:<8}  {o.seconds:6.1f}s  {detail}")
    missed = [o.script for o in outcomes if o.status == "MISSED"]
    crashed = [o.script for o in outcomes if o.status == "CRASHED"]
    if missed:
        print(f"Targets MISSED by: {', '.join(missed)} (a finding, not a failure of the run)")
    if crashed:
        print(f"CRASHED: {', '.join(crashed)}")
    if not missed and not crashed:
        print("Every benchmark met its targets.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmark names (file names without .py)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per benchmark")
    args = parser.parse_args()
    # Files starting with "_" are helpers shared by the benchmarks, not benchmarks.
    # demo_data first: it builds the 200,000-client register the others open (cached).
    scripts = sorted(
        (p for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")),
        key=lambda p: (p.name != "demo_data.py", p.name),
    )
    if args.names:
        scripts = [s for s in scripts if s.stem in args.names]
        unknown = set(args.names) - {s.stem for s in scripts}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    if not scripts:
        print("No benchmarks found in benchmarks/.")
        return 0
    outcomes = [run_one(script, args.timeout) for script in scripts]
    print_summary(outcomes)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            [
                {
                    "script": o.script,
                    "status": o.status,
                    "seconds": round(o.seconds, 2),
                    "result": o.result,
                    "problem": o.problem,
                }
                for o in outcomes
            ],
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return 1 if any(o.status == "CRASHED" for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
