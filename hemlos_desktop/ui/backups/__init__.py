"""Backups in the GUI: the restore dialog, the damaged-database dialog, File-menu actions and
the automatic backups while the program runs."""

from hemlos_desktop.ui.backups.actions import BackupActions, install_backup_actions
from hemlos_desktop.ui.backups.auto import AutoBackup, AutoBackupNotice, install_auto_backup
from hemlos_desktop.ui.backups.recovery_dialog import DamagedDatabaseDialog
from hemlos_desktop.ui.backups.restore_dialog import RestoreDialog

__all__ = [
    "AutoBackup",
    "AutoBackupNotice",
    "BackupActions",
    "DamagedDatabaseDialog",
    "RestoreDialog",
    "install_auto_backup",
    "install_backup_actions",
]
