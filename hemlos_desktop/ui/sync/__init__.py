"""The team server in the window: Sync button, automatic sync, joining, conflicts."""

from hemlos_desktop.ui.sync.controller import SyncController, install_sync

__all__ = ["SyncController", "install_sync"]
