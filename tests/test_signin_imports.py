"""The sign-in dialog is shown before the database layer loads (a start as quick as a bare
window): importing it and its key store must not import SQLAlchemy, the models or sqlcipher."""

from __future__ import annotations

import os
import subprocess
import sys


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
