"""Signing in, the first-start wizard and the lock screen.

The names are loaded on first use: the start shows the sign-in dialog
(``ui.login.login_dialog``, which needs only the key store) before the database layer that the
wizard and the lock screen use has been imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemlos_desktop.ui.login.lock import LockController, LockScreen, install_lock
    from hemlos_desktop.ui.login.login_dialog import LoginDialog, RecoveryResetDialog
    from hemlos_desktop.ui.login.setup_dialog import SetupWizard

_WHERE = {
    "LockController": "hemlos_desktop.ui.login.lock",
    "LockScreen": "hemlos_desktop.ui.login.lock",
    "install_lock": "hemlos_desktop.ui.login.lock",
    "LoginDialog": "hemlos_desktop.ui.login.login_dialog",
    "RecoveryResetDialog": "hemlos_desktop.ui.login.login_dialog",
    "SetupWizard": "hemlos_desktop.ui.login.setup_dialog",
}

__all__ = [
    "LockController",
    "LockScreen",
    "LoginDialog",
    "RecoveryResetDialog",
    "SetupWizard",
    "install_lock",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
