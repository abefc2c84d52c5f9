"""The WiX source: well-formed, and msitools' wixl builds a per-machine MSI from it around a
small stand-in folder tree whose tables read back as IT needs them. (The same check on the
real frozen build runs in ``make package-test``.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from msi_tables import ROOT, check_installer_tables, load_tool, table

from hemlos_desktop import __version__

WXS = ROOT / "packaging" / "windows" / "hemlos-desktop.wxs"
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"


def test_the_wix_source_is_well_formed_and_lists_no_program_files() -> None:
    tree = ET.parse(WXS)
    product = tree.getroot().find(f"{WIX}Product")
    assert product is not None
    assert product.get("UpgradeCode") == "7CF61FEF-230F-4CFF-87CF-FD89C04FAEB1"
    package = product.find(f"{WIX}Package")
    assert package is not None and package.get("InstallScope") == "perMachine"
    # The files come from heat/wixl-heat at build time, so new resources need no edit here.
    assert not list(tree.getroot().iter(f"{WIX}File"))


def test_wixl_builds_an_msi_that_reads_back_as_it_needs(tmp_path: Path) -> None:
    app = tmp_path / "hemlos-desktop"
    (app / "_internal" / "resources" / "fonts").mkdir(parents=True)
    (app / "hemlos-desktop.exe").write_bytes(b"MZ stand-in")
    (app / "_internal" / "resources" / "fonts" / "font.ttf").write_bytes(b"f")
    (app / "_internal" / "base_library.zip").write_bytes(b"z")
    tool = load_tool("build_msi")
    msi = tool.build_msi(app, tmp_path / "out.msi", version="1.2.3")
    check_installer_tables(msi, version="1.2.3", main_exe="hemlos-desktop.exe")
    files = {row["FileName"].split("|")[-1] for row in table(msi, "File")}
    assert files == {"hemlos-desktop.exe", "font.ttf", "base_library.zip"}


def test_the_version_defaults_to_the_programs(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "hemlos-desktop.exe").write_bytes(b"MZ")
    msi = load_tool("build_msi").build_msi(app, tmp_path / "v.msi")
    check_installer_tables(msi, version=__version__, main_exe="hemlos-desktop.exe")
