"""The licences list: made from the installed packages' metadata, written at build time by
tools/write_licences.py, and read back from the frozen build's resources folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hemlos_desktop.services import licences

ROOT = Path(__file__).resolve().parents[2]


def test_the_runtime_dependencies_are_listed_with_their_licences() -> None:
    found = {c.name.lower().replace("_", "-"): c for c in licences.components_from_metadata()}
    assert "LGPL-3.0" in found["pyside6-essentials"].licence
    assert "download.qt.io" in found["pyside6-essentials"].note
    assert "BSD" in found["reportlab"].licence
    assert "SQLCipher" in found["sqlcipher3"].note
    assert {"sqlalchemy", "alembic", "babel", "cryptography", "python", "dejavu fonts"} <= set(
        found
    )
    # Test tools are not part of the program.
    assert not {"pytest", "mypy", "ruff", "pyinstaller"} & set(found)


def test_the_tool_writes_what_a_frozen_build_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    output = bundle / "resources" / "licences.json"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "write_licences.py"), str(output)],
        check=True,
        capture_output=True,
    )
    written = json.loads(output.read_text(encoding="utf-8"))
    assert {item["name"] for item in written} >= {"reportlab", "Python"}
    # A frozen build (PyInstaller sets sys._MEIPASS) reads the file instead of the metadata.
    output.write_text(json.dumps([{**written[0], "note": "read from the file"}]), encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    [only] = licences.bundled_components()
    assert only.note == "read from the file"
