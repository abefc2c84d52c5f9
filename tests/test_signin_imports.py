"""The sign-in dialog is shown before the database layer loads (a start as quick as a bare
window): importing it and its key store must not import SQLAlchemy, the models or sqlcipher."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from encrypted import ensure_encrypted

from hemlos_desktop.storage import DataLocation
from hemlos_desktop.ui.startup_probe import LOGIN_MARKER


def test_the_sign_in_dialog_loads_without_the_database_layer() -> None:
    code = (
        "import sys\n"
        "import hemlos_desktop.app\n"
        "from hemlos_desktop.ui.login.login_dialog import LoginDialog\n"
        "from hemlos_desktop.services.unlock import is_demo_folder, unlock_key\n"
        "from hemlos_desktop.storage.crypto import KeyStore\n"
        "import hemlos_desktop.ui.login\n"
        "heavy = ('sqlalchemy', 'sqlcipher3', 'hemlos_desktop.models',\n"
        "         'hemlos_desktop.services.session')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip() == ""


def test_the_lazy_names_still_resolve() -> None:
    from hemlos_desktop.storage import crypto
    from hemlos_desktop.ui import login

    assert crypto.check_key.__module__ == "hemlos_desktop.storage.crypto.database_file"
    assert login.SetupWizard.__name__ == "SetupWizard"


# Loaded by the time the sign-in dialog is painted: none of these (each costs start-up time, and
# the dialog needs only the key store's file name, the dialog itself and the catalogs).
NOT_BEFORE_THE_DIALOG = (
    "sqlalchemy",
    "sqlcipher3",
    "babel",
    "cryptography",
    "argon2",
    "reportlab",
    "PIL",
    "alembic",
    "importlib.metadata",
    "hemlos_desktop.models",
    "hemlos_desktop.services.session",
    "hemlos_desktop.storage.crypto.keystore",
    "hemlos_desktop.ui.main_window",
    "hemlos_desktop.ui.clients",
    "hemlos_desktop.ui.about",
    "hemlos_desktop.cli.admin",
    "hemlos_desktop.cli.server",
    "PySide6.QtNetwork",
)

_PROBE = """
import os, sys
real_exit = os._exit

def report_and_exit(status):
    heavy = {heavy!r}
    print("loaded:" + ",".join(m for m in heavy if m in sys.modules), flush=True)
    real_exit(status)

os._exit = report_and_exit  # the start-up probe ends the process at the dialog's first paint
from hemlos_desktop.cli import main
main(["--data-dir", {folder!r}])
"""


@pytest.mark.slow
def test_the_start_paints_the_sign_in_dialog_before_loading_the_program(tmp_path: Path) -> None:
    """The real start on an encrypted register: the dialog comes first, painted before the
    database layer, the key store's cryptography, Babel's data and the main window load."""
    location = DataLocation(tmp_path / "data")
    location.folder.mkdir()
    ensure_encrypted(location)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HEMLOS_USER", "HEMLOS_PASSWORD", "HEMLOS_DATA_DIR")
    }
    env.update(QT_QPA_PLATFORM="offscreen", HEMLOS_EXIT_AFTER_SHOW="1")
    code = _PROBE.format(heavy=NOT_BEFORE_THE_DIALOG, folder=str(location.folder))
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith(LOGIN_MARKER + " ") for line in lines), result.stderr
    assert "loaded:" in lines, result.stdout
