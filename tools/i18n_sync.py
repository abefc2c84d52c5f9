"""Keep the translation catalogs in step with the code.

    python tools/i18n_sync.py              extract, merge into sv and da, report gaps
    python tools/i18n_sync.py --missing       list the msgids still untranslated (one JSON per line)
    python tools/i18n_sync.py --fill FILE     add translations from a JSON file:
                                              {"msgid": {"sv": "...", "da": "..."}, ...}
                                              (plural entries: {"sv": ["one", "many"], ...};
                                              contexts: the key "context\\u0004msgid")

Headers stay intact (plural forms, charset), obsolete entries are dropped, nothing is fuzzy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hemlos_desktop"
LOCALE = PACKAGE / "i18n" / "locale"
LANGS = ("sv", "da")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}
TEAMS = {"sv": "Svenska", "da": "Dansk"}
# Fixed header dates keep the catalogs free of churn between runs.
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def extract() -> Catalog:
    pot = Catalog(project="Hemlös Desktop", version="0", fuzzy=False, creation_date=FIXED_DATE)
    for _file, _line, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        pot.add(message, None, [], auto_comments=comments, context=context)
    return pot


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "hemlos.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang)
    catalog.project = "Hemlös Desktop"
    catalog.version = "0"
    catalog.language_team = TEAMS[lang]
    catalog.last_translator = "Hemlös Desktop"
    catalog.fuzzy = False
    catalog.revision_date = FIXED_DATE
    catalog.creation_date = FIXED_DATE
    return catalog


def save(lang: str, catalog: Catalog) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalog,
            omit_header=False,
            no_location=True,
            sort_output=True,
            ignore_obsolete=True,
            width=100,
        )


def sync() -> dict[str, list[object]]:
    pot = extract()
    with (LOCALE / "hemlos.pot").open("wb") as handle:
        write_po(handle, pot, omit_header=True, no_location=True, sort_output=True, width=100)
    gaps: dict[str, list[object]] = {}
    for lang in LANGS:
        catalog = load(lang)
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = FIXED_DATE
        catalog.obsolete.clear()
        for message in catalog:
            message.flags.discard("fuzzy")
        save(lang, catalog)
        gaps[lang] = [
            m.id
            for m in catalog
            if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
        ]
    return gaps


def fill(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for lang in LANGS:
        catalog = load(lang)
        for key, per_lang in data.items():
            context, _, msgid = key.rpartition("\u0004")
            message = catalog.get(msgid, context=context or None)
            if message is None or lang not in per_lang:
                if message is None:
                    print(f"not in catalog: {key!r}", file=sys.stderr)
                continue
            value = per_lang[lang]
            message.string = tuple(value) if isinstance(value, list) else value
        save(lang, catalog)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--missing", action="store_true")
    parser.add_argument("--fill", type=Path)
    args = parser.parse_args()
    gaps = sync()
    if args.fill:
        fill(args.fill)
        gaps = sync()
    if args.missing:
        seen = set()
        for lang in LANGS:
            for msgid in gaps[lang]:
                key = json.dumps(msgid, ensure_ascii=False)
                if key not in seen:
                    seen.add(key)
                    print(key)
    for lang in LANGS:
        print(f"{lang}: {len(gaps[lang])} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
