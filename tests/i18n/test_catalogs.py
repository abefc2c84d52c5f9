"""Every string in the code is in the sv and da catalogs, translated, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import hemlos_desktop
from hemlos_desktop import i18n

PACKAGE = Path(hemlos_desktop.__file__).parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _source_messages() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.add((context, msgid))
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    path = PACKAGE / "i18n" / "locale" / lang / "LC_MESSAGES" / "hemlos.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.fixture(scope="module")
def source_messages() -> set[tuple[str | None, str]]:
    return _source_messages()


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_every_source_string_is_translated(
    lang: str, source_messages: set[tuple[str | None, str]]
) -> None:
    catalog = _catalog(lang)
    translated: dict[tuple[str | None, str], object] = {}
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy entry in {lang}: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            translated[(message.context, msgid)] = message.string
    missing = sorted(m for m in source_messages if m not in translated)
    assert not missing, f"{len(missing)} strings missing from {lang}: {missing[:10]}"
    empty = sorted(
        key
        for key, string in translated.items()
        if key in source_messages
        and (not string or (isinstance(string, tuple) and not all(string)))
    )
    assert not empty, f"untranslated in {lang}: {empty[:10]}"


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_placeholders_match(lang: str) -> None:
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            got = sorted(PLACEHOLDER.findall(string))
            assert got == wanted, f"{lang}: placeholders differ in {ids[0]!r}: {string!r}"


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_keyboard_accelerators_kept(lang: str) -> None:
    for message in _catalog(lang):
        if isinstance(message.id, str) and message.id and "&" in message.id.replace("&&", ""):
            assert "&" in str(message.string), f"{lang}: accelerator lost in {message.id!r}"


def test_compiled_catalogs_are_used() -> None:
    assert i18n.translator_for("sv").gettext("Clients") == "Klienter"
    assert i18n.translator_for("da").gettext("Clients") == "Borgere"
    assert i18n.translator_for("en").gettext("Clients") == "Clients"


def test_dates_and_numbers_follow_locale() -> None:
    import datetime as dt

    day = dt.date(2026, 3, 5)
    assert i18n.translator_for("sv").format_date(day, "long") == "5 mars 2026"
    assert i18n.translator_for("da").format_date(day, "long") == "5. marts 2026"
    assert i18n.translator_for("sv").format_decimal(1234.5) == "1\xa0234,5"
    assert i18n.translator_for("da").format_decimal(1234.5) == "1.234,5"
    assert i18n.translator_for("da").month_name(5) == "maj"


def test_active_language_switch() -> None:
    i18n.set_language("da")
    assert i18n.gettext("Reports") == "Rapporter"
    assert i18n.current_language() == "da"
    i18n.set_language("en")
    assert i18n.gettext("Clients") == "Clients"


def test_normalise_language() -> None:
    assert i18n.normalise_language("sv_SE.UTF-8") == "sv"
    assert i18n.normalise_language("da-DK") == "da"
    assert i18n.normalise_language("fr") == i18n.DEFAULT_LANGUAGE
    assert i18n.normalise_language(None) == i18n.DEFAULT_LANGUAGE
