"""What every feature view is given: database, acting user, change notifier and settings."""

from __future__ import annotations

from dataclasses import dataclass

from hemlos_desktop.services.actor import Actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier


@dataclass(frozen=True)
class UiContext:
    db: Database
    actor: Actor
    notifier: ChangeNotifier
    settings: Settings
