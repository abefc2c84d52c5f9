"""The frozen build: its installed size, and how fast it starts compared with the source.

Figures (targets ``installed_mb`` ≤ 200, ``frozen_start_ratio`` ≤ 1.2):

- ``installed_mb``: the size of the one-folder build ``build/dist/hemlos-desktop/`` (what the
  .deb installs to ``/usr/lib/hemlos-desktop/`` and the MSI to Program Files);
- ``frozen_start_ratio``: the median time from starting the frozen program until its first
  window is painted (on the encrypted demo database that is the sign-in dialog, which the
  program paints before the main window; the child prints ``hemlos-startup-login`` and is
  stopped there), over the same for ``python -m hemlos_desktop`` from the source tree, measured
  alternately in the same run, after one warm-up each, on the same encrypted demo database.

Needs ``make package`` first; without the build it reports the figures as missing (pass false).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "build" / "dist" / "hemlos-desktop"
REPETITIONS = 7
TARGETS = {"installed_mb": 200.0, "frozen_start_ratio": 1.2}
# The first window painted: the sign-in dialog on an encrypted register (painted before the
# main window), the main window where nobody signs in.
MARKERS = ("hemlos-startup-login", "hemlos-startup-shown")


def folder_mb(folder: Path) -> float:
    return (
        sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        / 1024
        / 1024
    )


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HEMLOS_EXIT_AFTER_SHOW="1",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_DIRS=str(home / "site-config"),
    )
    for name in ("HEMLOS_DATA_DIR", "HEMLOS_USER", "HEMLOS_PASSWORD", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)  # no sign-in from the environment: the dialog opens
    return env


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Seconds until the child reports its window's first paint; the child is then stopped."""
    start = time.perf_counter()
    with subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith(MARKERS):
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError(f"{command[0]} ended without painting its window")
        child.kill()
    return elapsed


def report(figures: dict[str, float | int | None], passed: bool) -> None:
    print(
        json.dumps({"benchmark": "package", "figures": figures, "targets": TARGETS, "pass": passed})
    )


def main() -> int:
    program = FROZEN / "hemlos-desktop"
    if not program.is_file():
        print(f"no frozen build in {FROZEN}: run `make package` first")
        report({"installed_mb": None, "frozen_start_ratio": None}, False)
        return 0
    installed = folder_mb(FROZEN)
    print(f"installed size: {installed:.1f} MB (target ≤ {TARGETS['installed_mb']:g})")
    with tempfile.TemporaryDirectory(prefix="bench-package-") as tmp:
        home = Path(tmp)
        env = environment(home)
        data = home / "demo"
        subprocess.run(
            [str(program), "demo-data", "--clients", "50", "--data-dir", str(data)],
            env=env,
            check=True,
            capture_output=True,
        )
        frozen = [str(program), "--data-dir", str(data)]
        source = [sys.executable, "-m", "hemlos_desktop", "--data-dir", str(data)]
        time_to_window(frozen, env)  # warm-up: file caches, compiled bytecode
        time_to_window(source, env)
        frozen_times: list[float] = []
        source_times: list[float] = []
        for rep in range(1, REPETITIONS + 1):
            frozen_times.append(time_to_window(frozen, env))
            source_times.append(time_to_window(source, env))
            print(
                f"run {rep}: frozen {frozen_times[-1]:.3f} s, "
                f"from source {source_times[-1]:.3f} s to the window with the sign-in dialog"
            )
    frozen_median = statistics.median(frozen_times)
    source_median = statistics.median(source_times)
    ratio = frozen_median / source_median
    print(
        f"frozen_start_ratio = {ratio:.2f} (target ≤ {TARGETS['frozen_start_ratio']:g}; "
        f"medians {frozen_median:.3f} s frozen, {source_median:.3f} s from source)"
    )
    passed = installed <= TARGETS["installed_mb"] and ratio <= TARGETS["frozen_start_ratio"]
    report(
        {
            "installed_mb": round(installed, 1),
            "frozen_start_ratio": round(ratio, 3),
            "frozen_median_s": round(frozen_median, 4),
            "source_median_s": round(source_median, 4),
            "repetitions": REPETITIONS,
        },
        passed,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
