"""Smoke test of the frozen build from ``make package``: the .deb unpacked into a temporary
root runs there (version, demo data, check, a Danish PDF, the window painted offscreen, Qt's
own Swedish and Danish catalogs, a team server set up on a throw-away PostgreSQL through the
bundled psycopg and libpq), the tarball holds the same folder, and the MSI wixl built around
the Linux layout reads back.

Marked ``package``: run by ``make package`` / ``make package-test``, not by ``make test``."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from msi_tables import ROOT, check_installer_tables
from pypdf import PdfReader

from hemlos_desktop import __version__

pytestmark = [pytest.mark.package, pytest.mark.slow]

DIST = ROOT / "build" / "dist"
ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
DEB = DIST / f"hemlos-desktop_{__version__}_{ARCH}.deb"
TARBALL = DIST / f"hemlos-desktop-{__version__}-linux-{platform.machine()}.tar.gz"
MSI = DIST / "hemlos-desktop-linux-layout-test.msi"

# The team-server tests' throw-away PostgreSQL cluster (tests/server/conftest.py), reused here.
sys.path.insert(0, str(ROOT / "tests" / "server"))
_spec = importlib.util.spec_from_file_location(
    "server_conftest", ROOT / "tests" / "server" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_server)
pg_cluster = _server.pg_cluster
pg_database = _server.pg_database


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEB.is_file():
        pytest.fail(f"{DEB.name} is missing: run `make package` first")
    root = tmp_path_factory.mktemp("debroot")
    subprocess.run(["dpkg-deb", "-x", str(DEB), str(root)], check=True)
    return root


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no source tree on the path, every folder in the test's home."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_DIRS": str(home / "site"),
    }
    env.update(extra)
    return env


def run(unpacked: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    launcher = unpacked / "usr" / "bin" / "hemlos-desktop"
    return subprocess.run(
        [str(launcher), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=env["HOME"],
        check=False,
    )


def test_the_deb_declares_what_it_installs(unpacked: Path) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(DEB), "Package", "Version", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Version: {__version__}" in fields
    for library in ("libegl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libfontconfig1"):
        assert library in fields
    desktop = (unpacked / "usr/share/applications/hemlos-desktop.desktop").read_text("utf-8")
    assert "Exec=hemlos-desktop" in desktop and "Icon=hemlos-desktop" in desktop
    assert (unpacked / "usr/share/icons/hicolor/256x256/apps/hemlos-desktop.png").is_file()
    assert os.access(unpacked / "usr/bin/hemlos-desktop", os.X_OK)


def test_the_folder_holds_catalogs_translations_and_licences(unpacked: Path) -> None:
    internal = unpacked / "usr/lib/hemlos-desktop/_internal"
    for lang in ("sv", "da"):
        assert (internal / f"hemlos_desktop/i18n/locale/{lang}/LC_MESSAGES/hemlos.mo").is_file()
        assert (internal / f"PySide6/Qt/translations/qtbase_{lang}.qm").is_file()
    assert not (internal / "PySide6/Qt/translations/qtbase_de.qm").exists()
    assert list((internal / "hemlos_desktop/storage/migrations/versions").glob("0001_*.py"))
    assert (internal / "resources/fonts/DejaVuSans.ttf").is_file()
    assert list((internal / "resources/instruments").glob("*.toml"))
    licences = json.loads((internal / "resources/licences.json").read_text("utf-8"))
    names = {item["name"].lower() for item in licences}
    assert {"pyside6_essentials", "reportlab", "sqlcipher3", "dejavu fonts"} <= {
        n.replace("-", "_") for n in names
    }
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Quick*"))


def test_the_unpacked_program_works_end_to_end(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "app-home"
    # The municipality's logo in every PDF's header: Pillow's PNG reading is bundled.
    logo = ROOT / "resources" / "icons" / "hemlos-desktop.png"
    (home / "site" / "hemlos-desktop").mkdir(parents=True)
    (home / "site" / "hemlos-desktop" / "settings.json").write_text(
        json.dumps({"municipality_name": "Testkommun", "municipality_logo": str(logo)}), "utf-8"
    )
    env = environment(home)
    version = run(unpacked, env, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"hemlos-desktop {__version__}"

    data = tmp_path / "demo"
    made = run(unpacked, env, "demo-data", "--clients", "12", "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    signed = {**env, "HEMLOS_USER": "admin", "HEMLOS_PASSWORD": "demo"}

    check = run(unpacked, signed, "check", "--json", "--data-dir", str(data))
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout)
    assert report["healthy"] and report["schema_up_to_date"] and report["counts"]["clients"] == 12

    exported = tmp_path / "clients.csv"
    result = run(unpacked, signed, "export-clients", "-o", str(exported), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        number = next(row["id_number"] for row in csv.DictReader(handle) if row["id_number"])

    pdf = tmp_path / "summary.pdf"
    args = ("export-pdf", "--client", number, "--lang", "da", "-o", str(pdf))
    result = run(unpacked, signed, *args, "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    pages = PdfReader(pdf).pages
    text = "".join(page.extract_text() for page in pages)
    assert "Side 1 af" in text and "Testkommun" in text
    assert pages[0].images, "the municipality's logo is missing from the PDF"

    window = run(unpacked, {**signed, "HEMLOS_EXIT_AFTER_SHOW": "1"}, "--data-dir", str(data))
    assert window.returncode == 0, window.stderr
    assert "hemlos-startup-shown" in window.stdout
    assert "hemlos-startup-ready" in window.stdout


def test_a_locked_system_language_rules_the_frozen_program(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "app-home"
    (home / "site" / "hemlos-desktop").mkdir(parents=True)
    (home / "site" / "hemlos-desktop" / "settings.json").write_text(
        json.dumps({"language": "da", "locked": ["language"], "colour": "red"}), "utf-8"
    )
    result = run(unpacked, environment(home), "--lang", "en", "settings", "--json")
    assert result.returncode == 1  # the unknown key is a problem
    shown = json.loads(result.stdout)
    assert shown["settings"]["language"]["value"] == "da"
    assert shown["settings"]["language"]["origin"] == "system file"
    [problem] = shown["problems"]
    assert problem["key"] == "colour" and "settings.json" in problem["message"]


@pytest.mark.parametrize(("lang", "cancel"), [("sv", "Avbryt"), ("da", "Annuller")])
def test_qt_speaks_the_language_in_the_frozen_program(
    unpacked: Path, tmp_path: Path, lang: str, cancel: str
) -> None:
    """Qt's standard dialogs (the Cancel button of every button box) read in Swedish and
    Danish from the build's own copy of Qt's catalogs; check --json also shows IT the team
    server address that ``join`` offers."""
    home = tmp_path / "app-home"
    (home / "site" / "hemlos-desktop").mkdir(parents=True)
    server = "postgresql://team.example.kommune.dk/hemlos?sslmode=verify-full"
    (home / "site" / "hemlos-desktop" / "settings.json").write_text(
        json.dumps({"team_server_url": server}), "utf-8"
    )
    env = environment(home)
    data = tmp_path / "demo"
    assert (
        run(unpacked, env, "demo-data", "--clients", "3", "--data-dir", str(data)).returncode == 0
    )
    signed = {**env, "HEMLOS_USER": "admin", "HEMLOS_PASSWORD": "demo"}
    result = run(unpacked, signed, "--lang", lang, "check", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    qt = report["qt_translation"]
    assert qt["language"] == lang and qt["cancel"] == cancel
    assert qt["catalog"].startswith(str(unpacked / "usr/lib/hemlos-desktop/_internal/PySide6"))
    assert report["team_server_url"] == server


def test_the_frozen_program_sets_up_a_team_server(
    unpacked: Path, tmp_path: Path, pg_database: object
) -> None:
    """The bundled psycopg and libpq connect, run the migrations on PostgreSQL and compute the
    administrator's SCRAM verifier; the new administrator then signs in with the password."""
    home = tmp_path / "app-home"
    home.mkdir()
    env = environment(home, HEMLOS_PASSWORD="Frozen-Team-Pw-1")
    url = pg_database.url  # type: ignore[attr-defined]
    result = run(unpacked, env, "--lang", "en", "server", "init", "--url", url, "--admin", "ida")
    assert result.returncode == 0, result.stderr
    with pg_database.connect(user="ida", password="Frozen-Team-Pw-1") as conn:  # type: ignore[attr-defined]
        assert conn.execute("SELECT username FROM users").fetchall() == [("ida",)]
    upgraded = run(unpacked, env, "--lang", "en", "server", "upgrade", "--url", url)
    assert upgraded.returncode == 0, upgraded.stderr


def test_the_tarball_holds_the_same_program() -> None:
    with tarfile.open(TARBALL) as tar:
        names = tar.getnames()
    top = f"hemlos-desktop-{__version__}"
    assert f"{top}/hemlos-desktop/hemlos-desktop" in names
    assert f"{top}/hemlos-desktop.desktop" in names
    assert any(n.endswith("resources/licences.json") for n in names)


def test_the_msi_around_the_real_build_reads_back() -> None:
    check_installer_tables(MSI, version=__version__, main_exe="hemlos-desktop")
