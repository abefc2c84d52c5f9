"""The program runs ReportLab without its attribute check on chart shapes (the tests keep it)."""

from __future__ import annotations

import os
import subprocess
import sys


def _shape_setattr_is_plain(env: dict[str, str]) -> bool:
    code = (
        "import hemlos_desktop\n"
        "from reportlab.graphics.shapes import Rect\n"
        "print(Rect.__setattr__ is object.__setattr__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip() == "True"


def test_the_program_turns_the_shape_check_off_and_an_explicit_setting_wins() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RL_shapeChecking"}
    assert _shape_setattr_is_plain(env)
    assert not _shape_setattr_is_plain({**env, "RL_shapeChecking": "1"})


def test_the_tests_run_with_the_check() -> None:
    from reportlab.graphics.shapes import Rect

    assert Rect.__setattr__ is not object.__setattr__
