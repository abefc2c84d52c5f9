"""User settings: a typed dataclass stored as plain JSON values.

Defaults can be set system-wide by municipal IT in ``settings.json`` in the site configuration
folder (for example ``/etc/xdg/hemlos-desktop/settings.json`` on Linux,
``C:\\ProgramData\\hemlos-desktop\\settings.json`` on Windows); the user's own file overrides them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from hemlos_desktop.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from hemlos_desktop.storage import paths
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    # Empty means the platform default (see storage.paths.default_data_dir).
    data_dir: str = ""
    # Where automatic backups go; empty means ``<data folder>/backups``.
    backup_dir: str = ""
    municipality_name: str = ""
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_page: str = "clients"
    # Lock the window after this many idle minutes (0: never).
    auto_lock_minutes: int = 10

    def validated(self) -> Settings:
        if self.language not in SUPPORTED_LANGUAGES:
            self.language = DEFAULT_LANGUAGE
        return self


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings file %s (%s)", path.name, type(exc).__name__)
        return {}
    return data if isinstance(data, dict) else {}


def _apply(target: Settings, values: dict[str, Any]) -> None:
    defaults = Settings()
    for f in fields(Settings):
        if f.name in values and isinstance(values[f.name], type(getattr(defaults, f.name))):
            setattr(target, f.name, values[f.name])


class SettingsStore:
    """Reads site defaults and the user's file; writes the user's file atomically."""

    def __init__(self, folder: Path | None = None, site_folders: list[Path] | None = None) -> None:
        self.folder = folder if folder is not None else paths.config_dir()
        self.site_folders = site_folders if site_folders is not None else paths.site_config_dirs()

    @property
    def path(self) -> Path:
        return self.folder / SETTINGS_FILE

    def site_defaults(self) -> Settings:
        settings = Settings()
        for folder in reversed(self.site_folders):
            _apply(settings, _read_json(folder / SETTINGS_FILE))
        return settings.validated()

    def load(self) -> Settings:
        settings = self.site_defaults()
        _apply(settings, _read_json(self.path))
        return settings.validated()

    def save(self, settings: Settings) -> None:
        text = json.dumps(dataclasses.asdict(settings), indent=2, ensure_ascii=False)
        try:
            write_text_atomic(self.path, text + "\n")
        except Exception:
            # Settings are a convenience: failing to save them must never stop the program.
            log.warning("could not save settings", exc_info=True)
