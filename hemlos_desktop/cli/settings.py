"""``hemlos-desktop settings [--json]``: the settings in force and where each value came from.

Exit status 0 when every settings file is fine, 1 when one has a problem (an unknown key, a
wrong type, not JSON): IT can run it after placing a system-wide file.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.settings import LoadedSettings, Origin, SettingsStore


def register(sub: Any) -> None:
    cmd = sub.add_parser(
        "settings", help="print the settings in force and where each value came from"
    )
    cmd.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    cmd.set_defaults(handler=_cmd_settings)


def _origin_text(origin: Origin) -> str:
    return {
        Origin.DEFAULT: _("default"),
        Origin.SYSTEM: _("system file"),
        Origin.USER: _("user file"),
        Origin.COMMAND_LINE: _("command line"),
    }[origin]


def settings_json(store: SettingsStore, loaded: LoadedSettings) -> dict[str, Any]:
    return {
        "settings": {
            item.key: {
                "value": item.value,
                "origin": str(item.origin),
                "file": str(item.file) if item.file is not None else None,
                "locked": item.locked,
            }
            for item in loaded.values
        },
        "locked": sorted(loaded.locked),
        "files": {
            "system": [str(path) for path in store.site_paths],
            "user": str(store.path),
        },
        "problems": [problem.to_json() for problem in loaded.problems],
    }


def _cmd_settings(args: argparse.Namespace) -> int:
    store = SettingsStore()
    loaded = store.load_report({"language": args.lang})
    if args.json:
        print(json.dumps(settings_json(store, loaded), ensure_ascii=False, sort_keys=True))
        return 1 if loaded.problems else 0
    width = max(len(item.key) for item in loaded.values)
    for item in loaded.values:
        where = _origin_text(item.origin)
        if item.file is not None:
            where = f"{where}: {item.file}"
        if item.locked:
            where = _("{origin}, locked").format(origin=where)
        value = json.dumps(item.value, ensure_ascii=False)
        print(f"{item.key.ljust(width)} = {value}  ({where})")
    print()
    print(_("System-wide files (strongest first):"))
    for path in store.site_paths:
        state = _("present") if path.exists() else _("not present")
        print(f"  {path} ({state})")
    print(_("User file: {path}").format(path=store.path))
    if loaded.problems:
        print()
        print(_("Problems:"))
    for problem in loaded.problems:
        print(f"  {problem.message()}")
    return 1 if loaded.problems else 0
