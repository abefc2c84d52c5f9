"""Locate data files shipped in ``resources/`` without paths relative to the source tree."""

from __future__ import annotations

import sys
from importlib import resources as _resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Return the filesystem path of a shipped resource (a file or folder under ``resources/``).

    Works from a source checkout, an (editable) install and a PyInstaller one-folder build.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        base = Path(frozen_root) / "resources"
    else:
        base = Path(str(_resources.files("resources")))
    return base.joinpath(*parts)
