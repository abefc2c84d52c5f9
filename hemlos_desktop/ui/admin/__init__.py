"""Administration: users and passwords, the access log viewer, retention (gallring)."""

from hemlos_desktop.ui.admin.actions import AdminActions, install_admin_actions

__all__ = ["AdminActions", "install_admin_actions"]
