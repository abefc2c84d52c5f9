"""The domain layers must not pull in Qt widgets (they run in CLI tools and worker processes)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "hemlos_desktop.services",
        "hemlos_desktop.models",
        "hemlos_desktop.storage",
        "hemlos_desktop.cli",
    ],
)
def test_domain_imports_no_qt_gui(module: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({module!r})\n"
        "for info in pkgutil.walk_packages(getattr(pkg, '__path__', []), pkg.__name__ + '.'):\n"
        "    if '.migrations' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        "bad = [m for m in ('PySide6.QtWidgets', 'PySide6.QtGui') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
