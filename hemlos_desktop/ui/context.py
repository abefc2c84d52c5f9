"""What every feature view is given: the database, the change notifier and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier


@dataclass(frozen=True)
class UiContext:
    db: Database
    notifier: ChangeNotifier
    settings: Settings
