"""tools/run_benchmarks.py: a crash fails the run, a missed target is only reported."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "run_benchmarks.py"


@pytest.fixture(scope="module")
def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_benchmarks", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(body, encoding="utf-8")
    return path


def _result(passed: bool) -> str:
    data = {"benchmark": "x", "figures": {"ratio": 3}, "targets": {"ratio": 2}, "pass": passed}
    return f"print('working')\nprint({json.dumps(json.dumps(data))})\n"


@pytest.mark.slow
def test_outcomes(runner: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = runner.run_one(_script(tmp_path, "ok", _result(True)), 60)
    missed = runner.run_one(_script(tmp_path, "missed", _result(False)), 60)
    crashed = runner.run_one(_script(tmp_path, "crash", "raise SystemExit(3)\n"), 60)
    no_json = runner.run_one(_script(tmp_path, "nojson", "print('done')\n"), 60)
    assert (ok.status, missed.status, crashed.status, no_json.status) == (
        "pass",
        "MISSED",
        "CRASHED",
        "CRASHED",
    )
    assert missed.result["figures"] == {"ratio": 3}
    runner.print_summary([ok, missed, crashed, no_json])
    out = capsys.readouterr().out
    assert "working" in out  # the script's own output is shown
    assert "Targets MISSED by: missed.py" in out
    assert "CRASHED: crash.py, nojson.py" in out
