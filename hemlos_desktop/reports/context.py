"""What every report needs to know besides its content: language, municipality, who prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from hemlos_desktop.i18n import Translator, translator_for
from hemlos_desktop.models.identity import IdKind, mask_canonical

REPORT_LANGUAGES: tuple[str, ...] = ("sv", "da", "en")
# The /Lang entry of the PDF catalog (BCP 47), read by screen readers.
PDF_LANG: dict[str, str] = {"sv": "sv-SE", "da": "da-DK", "en": "en-GB"}


@dataclass(frozen=True)
class ReportContext:
    """Settings of one document. ``language`` is explicit and independent of the UI language.

    ``large_type`` gives large, clear type (about 14 pt body text) for documents handed to a
    client, such as a printed plan. ``draft`` marks every page as a draft. ``personal_data``
    (true for every document about a person) puts the confidentiality marking on each page; a
    report of figures only, which holds no personal data, goes without it.
    """

    language: str
    municipality: str
    printed_by: str
    printed_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now().replace(microsecond=0)
    )
    show_full_numbers: bool = False
    large_type: bool = False
    title: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    draft: bool = False
    personal_data: bool = True

    # The municipality's logo (a PNG or JPEG file) printed in the page header; empty: none.
    logo: str = ""

    def __post_init__(self) -> None:
        if self.language not in REPORT_LANGUAGES:
            raise ValueError(f"reports are made in sv, da or en, not {self.language!r}")

    @property
    def translator(self) -> Translator:
        return translator_for(self.language)

    @property
    def pdf_lang(self) -> str:
        return PDF_LANG[self.language]

    def gettext(self, message: str) -> str:
        return self.translator.gettext(message)

    def format_date(self, value: dt.date | None, fmt: str = "short") -> str:
        """A date in the document's locale ('2026-03-05' in sv, '05.03.2026' in da); '' for None."""
        return "" if value is None else _date_text(self.language, value, fmt)

    def format_number(self, value: float) -> str:
        return _number_text(self.language, value)

    def identity_text(self, canonical: str, kind: IdKind | str) -> str:
        """An identity number as the document shows it: masked unless full numbers were chosen."""
        return identity_text(
            canonical, IdKind(kind), show_full=self.show_full_numbers, language=self.language
        )


# Babel's formatting is slow next to the layout, and a batch prints the same dates and small
# numbers in document after document: each is formatted once per process.
@lru_cache(maxsize=8192, typed=True)
def _date_text(language: str, value: dt.date, fmt: str) -> str:
    return translator_for(language).format_date(value, fmt)


@lru_cache(maxsize=1024, typed=True)
def _number_text(language: str, value: float) -> str:
    return translator_for(language).format_number(value)


def identity_text(canonical: str, kind: IdKind, *, show_full: bool, language: str) -> str:
    """``'19850312-****'`` (or the full number when ``show_full``); "not identified" if empty."""
    if kind is IdKind.NONE or not canonical:
        return translator_for(language).gettext("Not identified")
    return canonical if show_full else mask_canonical(canonical, kind)
