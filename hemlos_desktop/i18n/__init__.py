"""Translations (gettext catalogs compiled by Babel) and locale-aware formatting.

English is the source language; Swedish and Danish catalogs live in
``locale/{sv,da}/LC_MESSAGES/hemlos.po``. The module-level ``gettext`` family is bound to the
active UI language; reports ask for a :class:`Translator` of their own language instead, so a
Danish PDF can be made while the UI speaks Swedish.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Babel (and its locale data) is imported on the first date or number formatted, not with the
# catalogs: the sign-in dialog, painted first at start-up, formats neither.

DOMAIN = "hemlos"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "sv"

# Language code -> Babel locale used for dates and numbers.
_BABEL_LOCALES: dict[str, str] = {"sv": "sv_SE", "da": "da_DK", "en": "en_GB"}
SUPPORTED_LANGUAGES: tuple[str, ...] = ("sv", "da", "en")


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for extraction without translating it now."""
    return message


@dataclass(frozen=True)
class Translator:
    """Gettext functions and Babel formatting for one language."""

    language: str
    _catalog: _gettext.NullTranslations = field(repr=False, compare=False)

    @cached_property
    def babel_locale(self) -> Locale:
        from babel import Locale

        return Locale.parse(_BABEL_LOCALES[self.language])

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalog.npgettext(context, singular, plural, n)

    def format_date(self, value: dt.date, fmt: str = "medium") -> str:
        from babel import dates

        return dates.format_date(value, format=fmt, locale=self.babel_locale)

    def format_datetime(self, value: dt.datetime, fmt: str = "medium") -> str:
        from babel import dates

        return dates.format_datetime(value, format=fmt, locale=self.babel_locale)

    def format_number(self, value: int | float | Decimal) -> str:
        from babel import numbers

        return numbers.format_decimal(value, locale=self.babel_locale)

    def format_decimal(self, value: float | Decimal, digits: int = 1) -> str:
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        from babel import numbers

        return numbers.format_decimal(value, format=pattern, locale=self.babel_locale)

    def month_name(self, month: int, width: str = "wide") -> str:
        return str(self.babel_locale.months["stand-alone"][width][month])


def normalise_language(code: str | None) -> str:
    """Map ``sv_SE``/``da-DK``/``EN`` to a supported code; unknown codes give the default."""
    if not code:
        return DEFAULT_LANGUAGE
    short = code.replace("-", "_").split("_")[0].lower()
    return short if short in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


@cache
def translator_for(language: str) -> Translator:
    """Return the translator of a supported language (cached; catalogs are read once)."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    if language == "en":
        catalog: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        catalog = _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])
    return Translator(language, catalog)


class _Active:
    """Holder of the active UI translator (one per process, like the UI itself)."""

    translator: Translator | None = None
    pseudo: bool = False


# Pseudo-locale: a layout test, not a language. Every UI string is lengthened by about 40 %
# with accented letters and wrapped in brackets, so a layout that cuts off long Swedish or Danish
# words shows it. Placeholders ({name}) and accelerators (&) are kept. Used by tests and
# ``tools/screenshots.py --pseudo``; never by the program itself.
_PSEUDO_PAD = "ÅäöÆøéü"


def set_pseudo(enabled: bool) -> None:
    """Switch the pseudo-locale on or off for the module-level gettext functions."""
    _Active.pseudo = enabled


def pseudo_enabled() -> bool:
    return _Active.pseudo


def pseudo(text: str) -> str:
    """Lengthen ``text`` by about 40 % (at least two letters) and wrap it in brackets.

    Long padding comes as words of six letters, so word wrapping still has places to break.
    """
    if not text:
        return text
    count = max(2, round(len(text) * 0.4) - 2)
    padding = (_PSEUDO_PAD * (count // len(_PSEUDO_PAD) + 1))[:count]
    if count > 6:
        padding = " " + " ".join(padding[i : i + 6] for i in range(0, count - 1, 6))
    return f"[{text}{padding}]"


def _ui(text: str) -> str:
    return pseudo(text) if _Active.pseudo else text


def set_language(language: str) -> Translator:
    """Make ``language`` the active UI language and return its translator."""
    _Active.translator = translator_for(language)
    return _Active.translator


def active() -> Translator:
    if _Active.translator is None:
        return set_language(DEFAULT_LANGUAGE)
    return _Active.translator


def current_language() -> str:
    return active().language


def gettext(message: str) -> str:
    return _ui(active().gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return _ui(active().ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    return _ui(active().pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _ui(active().npgettext(context, singular, plural, n))


_ = gettext

__all__ = [
    "DEFAULT_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "N_",
    "Translator",
    "active",
    "current_language",
    "gettext",
    "ngettext",
    "normalise_language",
    "npgettext",
    "pgettext",
    "pseudo",
    "pseudo_enabled",
    "set_language",
    "set_pseudo",
    "translator_for",
]
