"""Build MSIs with tools/build_msi.py and read their tables back with ``msiinfo export``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """The rows of one table as dicts (msiinfo's export: header, types, table name, rows)."""
    text = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout
    lines = text.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[3:] if line]


def properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in table(msi, "Property")}


def summary(msi: Path) -> str:
    return subprocess.run(
        ["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True
    ).stdout


# The installer's fixed identity: never change it, or a new version installs beside the old.
UPGRADE_CODE = "{7CF61FEF-230F-4CFF-87CF-FD89C04FAEB1}"


def check_installer_tables(msi: Path, *, version: str, main_exe: str) -> None:
    """Assert what municipal IT relies on: per-machine, the stable upgrade code with a major
    upgrade, the version, the Start menu shortcut with its icon, the SETTINGSFILE property."""
    props = properties(msi)
    assert props["ALLUSERS"] == "1"  # per-machine
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ProductVersion"] == version
    assert props["ProductName"] == "Hemlös Desktop"
    assert props["ARPPRODUCTICON"] == "HemlosIcon.ico"
    upgrades = table(msi, "Upgrade")
    assert {row["UpgradeCode"] for row in upgrades} == {UPGRADE_CODE}
    # Older versions are removed (VersionMax = this version), a newer one blocks a downgrade.
    assert {row["ActionProperty"] for row in upgrades} == {
        "WIX_UPGRADE_DETECTED",
        "WIX_DOWNGRADE_DETECTED",
    }
    assert "x64" in summary(msi)
    directories = {row["Directory"]: row for row in table(msi, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    [shortcut] = table(msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Target"] == f"[INSTALLDIR]{main_exe}"
    assert shortcut["Icon_"] == "HemlosIcon.ico"
    assert shortcut["Name"].endswith("Hemlös Desktop")
    registry = {row["Name"]: row for row in table(msi, "Registry")}
    # Root 2 is HKEY_LOCAL_MACHINE: the program reads the SETTINGSFILE path from there.
    assert registry["SettingsFile"]["Value"] == "[SETTINGSFILE]"
    assert registry["SettingsFile"]["Root"] == "2"
    assert registry["SettingsFile"]["Key"] == "Software\\Hemlos Desktop"
    # Nothing in the package lives in the data folder or ProgramData: uninstall leaves them.
    names = " ".join(row["DefaultDir"] for row in directories.values())
    assert "AppData" not in names and "CommonAppData" not in " ".join(directories)
