"""Identity numbers: Swedish personnummer and samordningsnummer, Danish CPR, local reserve numbers.

Pure Python, no Qt. The Luhn check and the CPR century table come from python-stdnum; the
century inference for short Swedish numbers takes an explicit ``today`` so it can be tested.

Error messages never contain the number (no personal data in messages), and the ``repr`` of an
:class:`IdentityNumber` leaves out the number and the birth date, so it is safe in logs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from stdnum.dk import cpr
from stdnum.exceptions import ValidationError

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _

FIELD = "id_number"
RESERVE_MAX_LENGTH = 20
MASK = "****"

_DIGITS = frozenset("0123456789")
_NUMERIC_CHARS = frozenset("0123456789-+")
# Hyphen look-alikes that arrive when a number is pasted from a word processor.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_LONG = re.compile(r"([0-9]{8})([-+]?)([0-9]{4})")
_SHORT = re.compile(r"([0-9]{6})([-+]?)([0-9]{4})")
_SAMORDNING_OFFSET = 60


class IdKind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"
    CPR = "cpr"
    RESERVE = "reserve"
    NONE = "none"  # not yet identified


_SWEDISH = frozenset({IdKind.PERSONNUMMER, IdKind.SAMORDNINGSNUMMER})


class IdErrorReason(StrEnum):
    """Why a number was refused; lets the UI and tests tell the cases apart without parsing text."""

    EMPTY = "empty"
    LENGTH = "length"
    CHARACTERS = "characters"
    DATE = "date"
    CHECK_DIGIT = "check_digit"
    FUTURE = "future"
    KIND = "kind"


class IdentityError(InvalidInputError):
    """An identity number that breaks a rule. The message is translated and has no personal data."""

    def __init__(self, text: str, reason: IdErrorReason) -> None:
        super().__init__(text, field=FIELD)
        self.reason = reason


@dataclass(frozen=True)
class IdentityNumber:
    kind: IdKind
    # personnummer/samordningsnummer: 'YYYYMMDD-NNNN'; CPR: 'DDMMYY-NNNN'; reserve: upper case.
    canonical: str = field(repr=False)
    birth_date: date | None = field(repr=False)
    gender_hint: str | None  # 'woman' | 'man'; None for reserve numbers and NONE

    def masked(self) -> str:
        return mask_canonical(self.canonical, self.kind)


UNIDENTIFIED = IdentityNumber(IdKind.NONE, "", None, None)


# --- messages (translated when the error is raised, never at import time) -------------------


def _length_message(kind: IdKind | None) -> str:
    if kind is IdKind.PERSONNUMMER:
        return _("A personnummer has 10 or 12 digits: YYYYMMDD-NNNN or YYMMDD-NNNN.")
    if kind is IdKind.SAMORDNINGSNUMMER:
        return _("A samordningsnummer has 10 or 12 digits: YYYYMMDD-NNNN or YYMMDD-NNNN.")
    if kind is IdKind.CPR:
        return _("A CPR number has 10 digits: DDMMYY-NNNN.")
    if kind is IdKind.RESERVE:
        return _("A reserve number has at most 20 characters.")
    return _(
        "The number has the wrong length. Write 10 or 12 digits, for example "
        "YYYYMMDD-NNNN or DDMMYY-NNNN."
    )


def _characters_message(kind: IdKind | None) -> str:
    if kind in _SWEDISH:
        return _("The number may only contain digits and one hyphen (-) or plus sign (+).")
    if kind is IdKind.CPR:
        return _("A CPR number may only contain digits and one hyphen (-).")
    if kind is IdKind.RESERVE:
        return _("A reserve number may only contain letters, digits and hyphens (-).")
    return _(
        "The number may only contain digits and one hyphen (-) or plus sign (+). "
        "For a reserve number, choose reserve number as the kind."
    )


def _error(reason: IdErrorReason, kind: IdKind | None = None) -> IdentityError:
    if reason is IdErrorReason.EMPTY:
        text = _("Enter an identity number.")
    elif reason is IdErrorReason.LENGTH:
        text = _length_message(kind)
    elif reason is IdErrorReason.CHARACTERS:
        text = _characters_message(kind)
    elif reason is IdErrorReason.DATE:
        text = _("The date in the number is not a real date.")
    elif reason is IdErrorReason.CHECK_DIGIT:
        text = _("The check digit is wrong. Check the last digit of the number.")
    elif reason is IdErrorReason.FUTURE:
        text = _("The birth date in the number is in the future.")
    elif kind is IdKind.PERSONNUMMER:
        text = _(
            "The day in the number is over 60, so it is a samordningsnummer, not a personnummer."
        )
    elif kind is IdKind.SAMORDNINGSNUMMER:
        text = _(
            "In a samordningsnummer the day is the birth day plus 60 (61 to 91). "
            "This number looks like a personnummer."
        )
    else:
        text = _("Leave the number empty when the person is not yet identified.")
    return IdentityError(text, reason)


# --- parsing ---------------------------------------------------------------------------------


def _compact_numeric(text: str) -> str:
    """Drop all whitespace and turn hyphen look-alikes into '-'."""
    return "".join(text.translate(_DASHES).split())


def _gender(digit: str) -> str:
    return "man" if int(digit) % 2 else "woman"


def _infer_birth_date(yy: int, month: int, day: int, *, plus: bool, today: date) -> date:
    """The birth date of a short Swedish number (no century).

    Without '+': the latest century in which the date is real and not after ``today``.
    With '+' (aged 100 or more; the sign changes in the year the person turns 100): the latest
    year ending in ``yy`` that is at least 100 years before this year.
    """
    latest = today.year - 100 if plus else today.year
    year = latest - (latest - yy) % 100
    for candidate in (year, year - 100):
        try:
            born = date(candidate, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    raise _error(IdErrorReason.DATE)


# A digit doubled by the Luhn rule, its digits summed.
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _luhn_valid(digits: str) -> bool:
    """The Luhn (modulus 10) check of a string of ASCII digits, as ``stdnum.luhn.is_valid``
    computes it for them; written out here because an import checks hundreds of thousands
    of numbers and the general function is many times slower."""
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED_DIGITS)
    return (sum(map(int, digits[-1::-2])) + sum(map(int, doubled))) % 10 == 0


# The same as characters: the doubled digit's digit sum, for ``str.translate``.
_LUHN_DOUBLED_DIGITS = str.maketrans("0123456789", "".join(map(str, _LUHN_DOUBLED)))


def _parse_swedish(compact: str, kind: IdKind | None, today: date) -> IdentityNumber:
    long_match = _LONG.fullmatch(compact)
    short_match = None if long_match else _SHORT.fullmatch(compact)
    match = long_match or short_match
    if match is None:
        raise _error(IdErrorReason.LENGTH, kind)
    ymd, sep, serial = match.groups()
    tail = ymd[-6:]
    month, day = int(tail[2:4]), int(tail[4:6])

    samordning = _SAMORDNING_OFFSET < day <= _SAMORDNING_OFFSET + 31
    actual = IdKind.SAMORDNINGSNUMMER if samordning else IdKind.PERSONNUMMER
    if kind is IdKind.PERSONNUMMER and samordning:
        raise _error(IdErrorReason.KIND, kind)
    if kind is IdKind.SAMORDNINGSNUMMER and not samordning and 1 <= day <= 31:
        raise _error(IdErrorReason.KIND, kind)
    real_day = day - _SAMORDNING_OFFSET if samordning else day

    if long_match:
        try:
            born = date(int(ymd[:4]), month, real_day)
        except ValueError:
            raise _error(IdErrorReason.DATE) from None
    else:
        born = _infer_birth_date(int(tail[:2]), month, real_day, plus=sep == "+", today=today)

    if not _luhn_valid(tail + serial):
        raise _error(IdErrorReason.CHECK_DIGIT)
    if born > today:
        raise _error(IdErrorReason.FUTURE)
    canonical = f"{born.year:04d}{month:02d}{day:02d}-{serial}"
    return IdentityNumber(actual, canonical, born, _gender(serial[-2]))


def _parse_cpr(compact: str, today: date) -> IdentityNumber:
    match = _SHORT.fullmatch(compact)
    if match is None:
        raise _error(IdErrorReason.LENGTH, IdKind.CPR)
    ddmmyy, sep, serial = match.groups()
    if sep == "+":
        raise _error(IdErrorReason.CHARACTERS, IdKind.CPR)
    # No modulus-11 check: numbers issued since 2007 need not pass it.
    try:
        born = cpr.get_birth_date(ddmmyy + serial)  # century from the 7th digit
    except ValidationError:
        raise _error(IdErrorReason.DATE) from None
    if born > today:
        raise _error(IdErrorReason.FUTURE)
    return IdentityNumber(IdKind.CPR, f"{ddmmyy}-{serial}", born, _gender(serial[-1]))


def _parse_reserve(text: str) -> IdentityNumber:
    value = unicodedata.normalize("NFC", text.translate(_DASHES).strip().upper())
    if not value:
        raise _error(IdErrorReason.EMPTY)
    if not all(c == "-" or c in _DIGITS or c.isalpha() for c in value):
        raise _error(IdErrorReason.CHARACTERS, IdKind.RESERVE)
    if len(value) > RESERVE_MAX_LENGTH:
        raise _error(IdErrorReason.LENGTH, IdKind.RESERVE)
    if not value.strip("-"):
        raise IdentityError(
            _("A reserve number must contain at least one letter or digit."),
            IdErrorReason.CHARACTERS,
        )
    return IdentityNumber(IdKind.RESERVE, value, None, None)


def _parse_auto(compact: str, today: date) -> IdentityNumber:
    if _LONG.fullmatch(compact):
        return _parse_swedish(compact, None, today)
    match = _SHORT.fullmatch(compact)
    if match is None:
        raise _error(IdErrorReason.LENGTH)
    try:
        return _parse_swedish(compact, None, today)
    except IdentityError as swedish_error:
        if match.group(2) == "+":
            raise
        try:
            return _parse_cpr(compact, today)
        except IdentityError as cpr_error:
            # A real Swedish date with a wrong check digit is the more likely typo.
            if swedish_error.reason is IdErrorReason.CHECK_DIGIT:
                raise swedish_error from None
            raise cpr_error from None


def parse_identity(
    text: str, kind: IdKind | None = None, *, today: date | None = None
) -> IdentityNumber:
    """Validate and normalise an identity number; raise :class:`IdentityError` if it is wrong.

    ``kind=None`` detects the kind: 12 digits (or 8+4 with a separator) are Swedish; 10 digits
    are tried as a Swedish personnummer/samordningsnummer first (valid check digit and date),
    then as a Danish CPR number. ``kind=IdKind.NONE`` accepts only empty text.
    """
    if today is None:
        today = date.today()
    if kind is IdKind.RESERVE:
        return _parse_reserve(text)
    if kind is IdKind.NONE:
        if text.strip():
            raise _error(IdErrorReason.KIND, kind)
        return UNIDENTIFIED
    compact = _compact_numeric(text)
    if not compact:
        raise _error(IdErrorReason.EMPTY)
    allowed = _NUMERIC_CHARS - {"+"} if kind is IdKind.CPR else _NUMERIC_CHARS
    if not allowed.issuperset(compact):
        raise _error(IdErrorReason.CHARACTERS, kind)
    if kind is IdKind.CPR:
        return _parse_cpr(compact, today)
    if kind in _SWEDISH:
        try:
            return _parse_swedish(compact, kind, today)
        except IdentityError as swedish_error:
            raise _cpr_hint(compact, today, swedish_error) or swedish_error from None
    return _parse_auto(compact, today)


def default_kind(language: str) -> IdKind:
    """The kind of number a new client starts with: CPR for a Danish user, else personnummer."""
    return IdKind.CPR if language == "da" else IdKind.PERSONNUMMER


def _swedish_day_possible(yymmdd: str) -> bool:
    """Whether YYMMDD is a date in some century, with the day as is or less 60."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    for real_day in (day, day - 60):
        for century in (1900, 2000):
            try:
                date(century + year, month, real_day)
            except ValueError:
                continue
            return True
    return False


def _cpr_hint(compact: str, today: date, swedish: IdentityError) -> IdentityError | None:
    """A refused Swedish number that is a valid Danish CPR number is named as one, so that a
    CPR number is never explained only as a samordningsnummer."""
    digits = compact.replace("-", "")
    if len(digits) != 10:
        return None
    try:
        _parse_cpr(compact, today)
    except IdentityError:
        return None
    if not _swedish_day_possible(digits[:6]):
        text = _("This looks like a Danish CPR number. Choose CPR number as the kind of number.")
        return IdentityError(text, IdErrorReason.KIND)
    if swedish.reason is IdErrorReason.KIND:
        text = _(
            "This looks like a Danish CPR number, or a Swedish samordningsnummer (birth day "
            "plus 60). Choose the kind of number that it is."
        )
        return IdentityError(text, IdErrorReason.KIND)
    return None  # a Swedish date: the Swedish message stays (a wrong check digit, say)


# --- masking and search ----------------------------------------------------------------------


def mask_canonical(canonical: str, kind: IdKind) -> str:
    """Hide the serial part: 'YYYYMMDD-****', 'DDMMYY-****', 'AB****' or '****'.

    A value that does not have the canonical form is masked completely.
    """
    if kind in _SWEDISH:
        if _LONG.fullmatch(canonical) and canonical[8] == "-":
            return f"{canonical[:8]}-{MASK}"
        return MASK
    if kind is IdKind.CPR:
        if _SHORT.fullmatch(canonical) and canonical[6] == "-":
            return f"{canonical[:6]}-{MASK}"
        return MASK
    if kind is IdKind.RESERVE:
        return canonical[:2] + MASK if len(canonical) > 4 else MASK
    return ""


def identity_search_digits(number: IdentityNumber) -> str:
    """The value of the stored search column: digit-only forms joined by a space.

    Swedish numbers store the 12- and the 10-digit form, so any way of writing the number
    matches by prefix or substring; CPR stores DDMMYYNNNN; reserve numbers the upper-case text
    without hyphens.
    """
    if number.kind in _SWEDISH:
        digits = number.canonical.replace("-", "")
        return f"{digits} {digits[2:]}"
    if number.kind in (IdKind.CPR, IdKind.RESERVE):
        return number.canonical.replace("-", "")
    return ""


def search_keys(text: str) -> list[str]:
    """Keys to match against :func:`identity_search_digits` while the user types.

    Input made of digits, '-', '+' and spaces gives its digits ('850312-12' -> '85031212').
    Input that also has letters gives a key only if it has a digit too (a reserve number such
    as 'AB-12' -> 'AB12'); plain words are names, so they give no key.
    """
    compact = unicodedata.normalize("NFC", _compact_numeric(text).upper())
    if not compact:
        return []
    if all(c in _NUMERIC_CHARS for c in compact):
        digits = "".join(c for c in compact if c in _DIGITS)
        return [digits] if digits else []
    if any(c in _DIGITS for c in compact) and all(
        c == "-" or c in _DIGITS or c.isalpha() for c in compact
    ):
        return [compact.replace("-", "")]
    return []
