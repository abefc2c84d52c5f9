"""Crash test: a writer killed with SIGKILL at random moments loses no reported commit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from crash_probe import crash_test


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a Unix signal")
def test_killed_writer_loses_no_reported_commit(tmp_path: Path) -> None:
    result = crash_test(tmp_path / "data", kills=5, seed=11, max_delay=0.15)
    assert result.kills == 5
    assert result.reported > 0
    assert result.lost_commits == 0
    assert result.integrity_errors == 0, result.problems
