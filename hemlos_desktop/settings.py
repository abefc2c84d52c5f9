"""Settings: a typed dataclass stored as plain JSON values, with central defaults set by IT.

Values come, from weakest to strongest, from the program's defaults, the system-wide
``settings.json`` that municipal IT places in the site configuration folder (for example
``/etc/xdg/hemlos-desktop/settings.json`` on Linux,
``C:\\ProgramData\\hemlos-desktop\\settings.json`` on Windows, where the MSI's ``SETTINGSFILE``
property copies a file), the user's own file,
and the command line (``--lang``). A key that a system-wide file lists in ``locked`` keeps the
system value: the user's file and the command line cannot change it.

A file with an unknown key, a value of the wrong type or a value that is not allowed is never
fatal: the key is ignored (the weaker value stays) and a :class:`SettingsProblem` names the key
and the file, shown at start-up and by ``hemlos-desktop check`` and ``hemlos-desktop settings``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hemlos_desktop.i18n import DEFAULT_LANGUAGE, N_, SUPPORTED_LANGUAGES
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage import paths
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
# Retention rule names a settings file may give (years; see services.retention.RetentionRules).
RETENTION_RULE_KEYS = ("closed_case_years", "unidentified_contact_years")
MAX_AUTO_LOCK_MINUTES = 24 * 60
MAX_RETENTION_YEARS = 100


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    # Empty means the platform default (see storage.paths.default_data_dir).
    data_dir: str = ""
    # Where automatic backups go; empty means ``<data folder>/backups``.
    backup_dir: str = ""
    municipality_name: str = ""
    # A PNG or JPEG file printed in the header of PDFs; empty: none.
    municipality_logo: str = ""
    # Lock the window after this many idle minutes (0: never).
    auto_lock_minutes: int = 10
    # Retention years per record kind for a database that has no rules of its own yet
    # (keys: RETENTION_RULE_KEYS); empty: the program's defaults.
    retention_rules: dict[str, int] = field(default_factory=dict)
    # The team server for shared registers (https://...); empty: work alone.
    team_server_url: str = ""
    # Keys a system-wide file fixes: the user's file and the command line cannot change them.
    locked: list[str] = field(default_factory=list)
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_page: str = "clients"

    def validated(self) -> Settings:
        if self.language not in SUPPORTED_LANGUAGES:
            self.language = DEFAULT_LANGUAGE
        return self


class Origin(StrEnum):
    """Where a value in force came from."""

    DEFAULT = "default"
    SYSTEM = "system file"
    USER = "user file"
    COMMAND_LINE = "command line"


# Keys only the program itself writes to the user's file (window layout); IT has no use for them.
USER_ONLY_KEYS = frozenset({"window_geometry", "window_state", "last_page"})
# Keys a system-wide file may list in ``locked``.
LOCKABLE_KEYS = tuple(f.name for f in fields(Settings) if f.name not in USER_ONLY_KEYS | {"locked"})


class ProblemKind(StrEnum):
    CANNOT_READ = "cannot_read"  # for example a network share that cannot be reached
    UNREADABLE = "unreadable"  # read, but not JSON
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_KEY = "unknown_key"
    WRONG_TYPE = "wrong_type"
    BAD_VALUE = "bad_value"


@dataclass(frozen=True)
class SettingsProblem:
    """One thing wrong in one settings file; the key is ignored and the program goes on."""

    file: Path
    kind: ProblemKind
    key: str = ""
    expected: str = ""  # for WRONG_TYPE and BAD_VALUE: what the key takes, in English

    def message(self) -> str:
        file = str(self.file)
        if self.kind is ProblemKind.CANNOT_READ:
            return _(
                "The settings file {file} cannot be read; its settings are ignored and the "
                "defaults are used."
            ).format(file=file)
        if self.kind is ProblemKind.UNREADABLE:
            return _(
                "The settings file {file} is not valid JSON; its settings are ignored and the "
                "defaults are used."
            ).format(file=file)
        if self.kind is ProblemKind.NOT_AN_OBJECT:
            return _(
                "The settings file {file} must hold one JSON object ({{...}}); its settings are "
                "ignored and the defaults are used."
            ).format(file=file)
        if self.kind is ProblemKind.UNKNOWN_KEY:
            return _('Unknown setting "{key}" in {file}; it is ignored.').format(
                key=self.key, file=file
            )
        return _('The setting "{key}" in {file} must be {expected}; it is ignored.').format(
            key=self.key, file=file, expected=_(self.expected)
        )

    def to_json(self) -> dict[str, str]:
        return {
            "file": str(self.file),
            "kind": str(self.kind),
            "key": self.key,
            "message": self.message(),
        }


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _language_ok(value: Any) -> bool:
    return value in SUPPORTED_LANGUAGES


def _auto_lock_ok(value: Any) -> bool:
    return 0 <= int(value) <= MAX_AUTO_LOCK_MINUTES


def _url_ok(value: Any) -> bool:
    """The team server is a PostgreSQL database (``join`` connects to it); a password never
    belongs in a settings file every user can read."""
    if value == "":
        return True
    parts = urlsplit(str(value))
    return (
        parts.scheme in {"postgresql", "postgres"}
        and bool(parts.netloc or "host=" in parts.query)
        and parts.path.strip("/") != ""
        and parts.password is None
    )


def _logo_ok(value: Any) -> bool:
    return value == "" or Path(str(value)).suffix.lower() in {".png", ".jpg", ".jpeg"}


def _retention_shape_ok(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_count(v) for v in value.values())


def _retention_ok(value: Any) -> bool:
    return all(
        key in RETENTION_RULE_KEYS and 0 <= years <= MAX_RETENTION_YEARS
        for key, years in value.items()
    )


def _locked_shape_ok(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _locked_ok(value: Any) -> bool:
    return all(item in LOCKABLE_KEYS for item in value)


@dataclass(frozen=True)
class _Rule:
    shape: Callable[[Any], bool]
    shape_text: str
    value: Callable[[Any], bool] | None = None
    value_text: str = ""


_RULES: dict[str, _Rule] = {
    "language": _Rule(_is_text, N_("text"), _language_ok, N_('one of "sv", "da" or "en"')),
    "data_dir": _Rule(_is_text, N_("text (a folder)")),
    "backup_dir": _Rule(_is_text, N_("text (a folder)")),
    "municipality_name": _Rule(_is_text, N_("text")),
    "municipality_logo": _Rule(
        _is_text, N_("text (a file)"), _logo_ok, N_("a PNG or JPEG file (.png, .jpg)")
    ),
    "auto_lock_minutes": _Rule(
        _is_count, N_("a whole number"), _auto_lock_ok, N_("a whole number from 0 to 1440")
    ),
    "retention_rules": _Rule(
        _retention_shape_ok,
        N_("an object of whole numbers of years"),
        _retention_ok,
        N_('an object with "closed_case_years" and "unidentified_contact_years", 0 to 100'),
    ),
    "team_server_url": _Rule(
        _is_text,
        N_("text"),
        _url_ok,
        N_("a postgresql://host/database address without a password, or empty"),
    ),
    "locked": _Rule(
        _locked_shape_ok,
        N_("a list of setting names"),
        _locked_ok,
        N_("a list of names of settings that a settings file may set"),
    ),
    "window_geometry": _Rule(_is_text, N_("text")),
    "window_state": _Rule(_is_text, N_("text")),
    "last_page": _Rule(_is_text, N_("text")),
}


@dataclass(frozen=True)
class SettingsSource:
    """One settings file that was read, with the values it gave and what was wrong in it."""

    origin: Origin
    path: Path
    values: Mapping[str, Any]
    problems: tuple[SettingsProblem, ...]


def read_settings_file(path: Path, *, origin: Origin) -> SettingsSource:
    """The valid values of one file; every bad key becomes a problem and is left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SettingsSource(origin, path, {}, ())
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings file %s (%s)", path.name, type(exc).__name__)
        kind = ProblemKind.CANNOT_READ if isinstance(exc, OSError) else ProblemKind.UNREADABLE
        return SettingsSource(origin, path, {}, (SettingsProblem(path, kind),))
    if not isinstance(data, dict):
        return SettingsSource(origin, path, {}, (SettingsProblem(path, ProblemKind.NOT_AN_OBJECT),))
    values: dict[str, Any] = {}
    problems: list[SettingsProblem] = []
    for key, value in data.items():
        rule = _RULES.get(key)
        if rule is None or (key == "locked" and origin is not Origin.SYSTEM):
            problems.append(SettingsProblem(path, ProblemKind.UNKNOWN_KEY, key))
        elif not rule.shape(value):
            problems.append(SettingsProblem(path, ProblemKind.WRONG_TYPE, key, rule.shape_text))
        elif rule.value is not None and not rule.value(value):
            problems.append(SettingsProblem(path, ProblemKind.BAD_VALUE, key, rule.value_text))
        else:
            values[key] = value
    for problem in problems:
        log.warning(
            "settings file %s: %s %s", path.name, problem.kind, problem.key or "(whole file)"
        )
    return SettingsSource(origin, path, values, tuple(problems))


@dataclass(frozen=True)
class SettingValue:
    key: str
    value: Any
    origin: Origin
    file: Path | None  # the file it came from (None for a default or the command line)
    locked: bool


@dataclass(frozen=True)
class LoadedSettings:
    """The settings in force, where each value came from, and the problems found on the way."""

    settings: Settings
    values: tuple[SettingValue, ...]
    problems: tuple[SettingsProblem, ...]

    @property
    def locked(self) -> frozenset[str]:
        return frozenset(self.settings.locked)

    def origin_of(self, key: str) -> Origin:
        return next(item.origin for item in self.values if item.key == key)


class SettingsStore:
    """Reads the system-wide files and the user's file; writes the user's file atomically."""

    def __init__(
        self,
        folder: Path | None = None,
        site_folders: list[Path] | None = None,
        *,
        central_file: Path | None = None,
    ) -> None:
        self.folder = folder if folder is not None else paths.config_dir()
        if site_folders is None:
            site_folders = paths.site_config_dirs()
            central_file = paths.central_settings_file()
        self.site_folders = site_folders
        # The file named by the MSI's SETTINGSFILE property: the strongest system-wide file.
        self.central_file = central_file

    @property
    def path(self) -> Path:
        return self.folder / SETTINGS_FILE

    @property
    def site_paths(self) -> list[Path]:
        """System-wide files, strongest first (the order of ``$XDG_CONFIG_DIRS``)."""
        found = [folder / SETTINGS_FILE for folder in self.site_folders]
        return ([self.central_file] if self.central_file is not None else []) + found

    def _site_sources(self) -> list[SettingsSource]:
        return [read_settings_file(p, origin=Origin.SYSTEM) for p in reversed(self.site_paths)]

    def site_defaults(self) -> Settings:
        """The values before the user's file: defaults, then the system-wide files."""
        settings = Settings()
        for source in self._site_sources():
            for key, value in source.values.items():
                setattr(settings, key, value)
        return settings.validated()

    def load_report(self, command_line: Mapping[str, Any] | None = None) -> LoadedSettings:
        """The settings in force with the origin of each value (``command_line``: for example
        ``{"language": "da"}`` from ``--lang``)."""
        sources = self._site_sources()
        sources.append(read_settings_file(self.path, origin=Origin.USER))
        locked: set[str] = set()
        for source in sources:
            if source.origin is Origin.SYSTEM:
                locked.update(source.values.get("locked", ()))
        settings = Settings()
        where: dict[str, tuple[Origin, Path | None]] = {}
        for source in sources:
            for key, value in source.values.items():
                if key == "locked" or (source.origin is Origin.USER and key in locked):
                    continue
                setattr(settings, key, value)
                where[key] = (source.origin, source.path)
        for key, value in (command_line or {}).items():
            if value is not None and key not in locked:
                setattr(settings, key, value)
                where[key] = (Origin.COMMAND_LINE, None)
        settings.locked = sorted(locked)
        settings.validated()
        values = tuple(
            SettingValue(
                key=f.name,
                value=getattr(settings, f.name),
                origin=where.get(f.name, (Origin.DEFAULT, None))[0],
                file=where.get(f.name, (Origin.DEFAULT, None))[1],
                locked=f.name in locked,
            )
            for f in fields(Settings)
            if f.name != "locked"
        )
        problems = tuple(problem for source in sources for problem in source.problems)
        return LoadedSettings(settings=settings, values=values, problems=problems)

    def load(self) -> Settings:
        return self.load_report().settings

    def save(self, settings: Settings) -> None:
        """Write the user's own choices: the values that differ from the system-wide defaults
        (so that a later change by IT still reaches the user), never a locked key."""
        defaults = dataclasses.asdict(self.site_defaults())
        locked = set(settings.locked) | set(defaults["locked"])
        mine = {
            key: value
            for key, value in dataclasses.asdict(settings).items()
            if key != "locked" and key not in locked and value != defaults[key]
        }
        text = json.dumps(mine, indent=2, ensure_ascii=False)
        try:
            write_text_atomic(self.path, text + "\n")
        except Exception:
            # Settings are a convenience: failing to save them must never stop the program.
            log.warning("could not save settings", exc_info=True)
