"""Signing in, the first-start wizard and the lock screen."""

from hemlos_desktop.ui.login.lock import LockController, LockScreen, install_lock
from hemlos_desktop.ui.login.login_dialog import LoginDialog, RecoveryResetDialog
from hemlos_desktop.ui.login.setup_dialog import SetupWizard

__all__ = [
    "LockController",
    "LockScreen",
    "LoginDialog",
    "RecoveryResetDialog",
    "SetupWizard",
    "install_lock",
]
