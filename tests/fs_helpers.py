"""File-system helpers for tests of storage failures."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders read-only in a way that also binds root (tests run as root).

    As a normal user, permissions do it. Root ignores permissions, so the immutable attribute
    (``chattr +i``, refused even to root) is used instead; if the file system does not support
    it, the test is skipped with the reason.
    """
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root and chattr is not available to make a folder read-only")
    done: list[Path] = []
    try:
        for p in paths:
            result = subprocess.run([chattr, "+i", str(p)], capture_output=True, check=False)
            if result.returncode != 0:
                pytest.skip("running as root and this file system has no immutable attribute")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run([chattr, "-i", str(p)], capture_output=True, check=False)
