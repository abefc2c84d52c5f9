"""Identity numbers: parsing, century rules, masking and search keys. No Qt."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.se import personnummer

from hemlos_desktop import i18n
from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.models.identity import (
    IdentityError,
    IdentityNumber,
    IdErrorReason,
    IdKind,
    default_kind,
    identity_search_digits,
    mask_canonical,
    parse_identity,
    search_keys,
)

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.set_language("en")
    yield


# --- helpers -----------------------------------------------------------------------------------


def with_luhn(nine_digits: str) -> str:
    """Append the Luhn check digit to YYMMDDNNN."""
    assert len(nine_digits) == 9
    return nine_digits + luhn.calc_check_digit(nine_digits)


def se_number(born: date, serial3: str = "987", *, samordning: bool = False) -> str:
    """A valid Swedish number in canonical form 'YYYYMMDD-NNNN'."""
    day = born.day + 60 if samordning else born.day
    ten = with_luhn(f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial3}")
    return f"{born.year:04d}{ten[2:6]}-{ten[6:]}"


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def cpr_mod11(ten_digits: str) -> int:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(w * int(d) for w, d in zip(weights, ten_digits, strict=True)) % 11


def cpr_seventh_digits(year: int) -> list[int]:
    """Seventh digits that give ``year``'s century in the official CPR table."""
    yy = year % 100
    digits = []
    for seventh in range(10):
        if seventh <= 3:
            century = 1900
        elif seventh in (4, 9):
            century = 2000 if yy <= 36 else 1900
        else:
            century = 2000 if yy <= 57 else 1800
        if century + yy == year:
            digits.append(seventh)
    return digits


def parse(text: str, kind: IdKind | None = None) -> IdentityNumber:
    return parse_identity(text, kind, today=TODAY)


def error_of(text: str, kind: IdKind | None = None) -> IdentityError:
    with pytest.raises(IdentityError) as info:
        parse(text, kind)
    return info.value


def matches(keys: list[str], column: str) -> bool:
    return bool(keys) and all(key in column for key in keys)


# --- Swedish personnummer ------------------------------------------------------------------


def test_helper_agrees_with_stdnum() -> None:
    number = se_number(date(1981, 12, 28))
    assert personnummer.is_valid(number)
    assert not personnummer.is_valid(wrong_check_digit(number))


def test_skatteverket_test_number() -> None:
    assert personnummer.is_valid("19121212-1212")
    number = parse("19121212-1212")
    assert number.kind is IdKind.PERSONNUMMER
    assert number.canonical == "19121212-1212"
    assert number.birth_date == date(1912, 12, 12)
    assert number.gender_hint == "man"


@pytest.mark.parametrize(
    "form",
    ["{long}", "{long8}{serial}", "{short}", "{short6}{serial}", " {short6} {serial} "],
)
def test_all_input_forms_give_the_same_number(form: str) -> None:
    canonical = se_number(date(1985, 3, 12), "123")
    text = form.format(
        long=canonical,
        long8=canonical[:8],
        short=canonical[2:],
        short6=canonical[2:8],
        serial=canonical[9:],
    )
    for kind in (None, IdKind.PERSONNUMMER):
        number = parse(text, kind)
        assert number.kind is IdKind.PERSONNUMMER
        assert number.canonical == canonical
        assert number.birth_date == date(1985, 3, 12)


def test_pasted_en_dash_is_a_hyphen() -> None:
    canonical = se_number(date(1985, 3, 12))
    assert parse(canonical[2:8] + "\u2013" + canonical[9:]).canonical == canonical


def test_short_form_takes_latest_century_not_in_future() -> None:
    this_year = se_number(date(2025, 1, 2))
    later_this_year = se_number(date(1925, 12, 24))
    assert parse(this_year[2:]).birth_date == date(2025, 1, 2)
    # 251224 cannot be 2025-12-24 (after TODAY), so it is 1925.
    assert parse(later_this_year[2:]).birth_date == date(1925, 12, 24)
    assert parse(se_number(date(1999, 7, 1))[2:]).birth_date == date(1999, 7, 1)


def test_plus_means_hundred_or_older() -> None:
    canonical = se_number(date(1912, 12, 12), "121")
    assert parse(canonical[2:8] + "+" + canonical[9:]).canonical == canonical
    minus = parse(canonical[2:]).birth_date
    assert minus == date(2012, 12, 12)
    # The sign changes in the year the person turns 100, even before the birthday.
    turning_100 = se_number(date(1925, 8, 1))
    assert parse(turning_100[2:8] + "+" + turning_100[9:]).birth_date == date(1925, 8, 1)


def test_default_today_is_used() -> None:
    number = parse_identity("19121212-1212")
    assert number.birth_date == date(1912, 12, 12)


def test_leap_day_century() -> None:
    leap = se_number(date(2000, 2, 29))
    assert parse(leap[2:]).birth_date == date(2000, 2, 29)
    # 1900 is no leap year, so 000229+NNNN is no real date.
    assert error_of(leap[2:8] + "+" + leap[9:]).reason is IdErrorReason.DATE


@pytest.mark.parametrize(("serial", "hint"), [("121", "man"), ("123", "man"), ("128", "woman")])
def test_swedish_gender_hint_from_second_last_digit(serial: str, hint: str) -> None:
    number = parse(se_number(date(1990, 5, 17), serial))
    assert number.gender_hint == hint


# --- samordningsnummer ---------------------------------------------------------------------


def test_samordningsnummer_day_plus_60() -> None:
    canonical = se_number(date(1990, 5, 17), samordning=True)
    assert canonical[6:8] == "77"
    for text in (canonical, canonical[2:], canonical.replace("-", "")):
        number = parse(text)
        assert number.kind is IdKind.SAMORDNINGSNUMMER
        assert number.canonical == canonical
        assert number.birth_date == date(1990, 5, 17)
    assert parse(canonical, IdKind.SAMORDNINGSNUMMER).canonical == canonical
    assert number.masked() == canonical[:8] + "-****"


def test_samordningsnummer_day_91_and_92() -> None:
    assert parse(se_number(date(1990, 1, 31), samordning=True)).birth_date == date(1990, 1, 31)
    bad = with_luhn("900192123")
    assert error_of(bad).reason is IdErrorReason.DATE


def test_kind_mismatch_between_swedish_kinds() -> None:
    samordning = se_number(date(1990, 5, 17), samordning=True)
    plain = se_number(date(1990, 5, 17))
    error = error_of(samordning, IdKind.PERSONNUMMER)
    assert error.reason is IdErrorReason.KIND
    assert "samordningsnummer" in error.text
    assert error_of(plain, IdKind.SAMORDNINGSNUMMER).reason is IdErrorReason.KIND


# --- CPR -----------------------------------------------------------------------------------


def test_cpr_post_2007_number_without_mod11_is_accepted() -> None:
    text = "010190-1235"
    assert cpr_mod11(text.replace("-", "")) != 0
    number = parse(text, IdKind.CPR)
    assert number.kind is IdKind.CPR
    assert number.canonical == "010190-1235"
    assert number.birth_date == date(1990, 1, 1)
    assert number.gender_hint == "man"


def test_cpr_auto_detected_when_not_swedish() -> None:
    # Read as YYMMDD, day 95 is no Swedish date; as DDMMYY it is 31 Dec 1995.
    number = parse("3112951234")
    assert number.kind is IdKind.CPR
    assert number.canonical == "311295-1234"
    assert number.birth_date == date(1995, 12, 31)
    assert number.gender_hint == "woman"


def test_cpr_is_chosen_when_the_swedish_check_digit_fails() -> None:
    # 120385 is a Swedish date too; with a wrong Luhn digit it must be read as CPR.
    text = wrong_check_digit(with_luhn("120385123"))
    number = parse(text)
    assert number.kind is IdKind.CPR
    assert number.birth_date == date(1985, 3, 12)


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("010101-0123", date(1901, 1, 1)),
        ("010199-3123", date(1999, 1, 1)),
        ("010136-4123", date(2036, 1, 1)),
        ("010137-4123", date(1937, 1, 1)),
        ("010157-5123", date(2057, 1, 1)),
        ("010158-8123", date(1858, 1, 1)),
        ("010136-9123", date(2036, 1, 1)),
        ("010137-9123", date(1937, 1, 1)),
    ],
)
def test_cpr_century_table(text: str, born: date) -> None:
    today = date(2060, 1, 1)
    assert parse_identity(text, IdKind.CPR, today=today).birth_date == born


def test_cpr_errors() -> None:
    assert error_of("010126-4123", IdKind.CPR).reason is IdErrorReason.FUTURE
    assert error_of("320190-1234", IdKind.CPR).reason is IdErrorReason.DATE
    assert error_of("010190+1234", IdKind.CPR).reason is IdErrorReason.CHARACTERS
    assert error_of("19900101-1234", IdKind.CPR).reason is IdErrorReason.LENGTH
    assert "CPR" in error_of("0101901234x", IdKind.CPR).text


# --- reserve numbers -----------------------------------------------------------------------


def test_reserve_numbers() -> None:
    number = parse("  ab-12345 ", IdKind.RESERVE)
    assert number.kind is IdKind.RESERVE
    assert number.canonical == "AB-12345"
    assert number.birth_date is None
    assert number.gender_hint is None
    assert number.masked() == "AB****"
    assert parse("x", IdKind.RESERVE).canonical == "X"
    assert parse("ÅÄÖ-1", IdKind.RESERVE).masked() == "ÅÄ****"
    assert parse("A" * 20, IdKind.RESERVE).canonical == "A" * 20


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", IdErrorReason.EMPTY),
        ("   ", IdErrorReason.EMPTY),
        ("A" * 21, IdErrorReason.LENGTH),
        ("AB 12", IdErrorReason.CHARACTERS),
        ("AB/12", IdErrorReason.CHARACTERS),
        ("---", IdErrorReason.CHARACTERS),
    ],
)
def test_reserve_errors(text: str, reason: IdErrorReason) -> None:
    assert error_of(text, IdKind.RESERVE).reason is reason


def test_none_kind() -> None:
    number = parse("  ", IdKind.NONE)
    assert number.kind is IdKind.NONE
    assert number.canonical == ""
    assert number.masked() == ""
    assert identity_search_digits(number) == ""
    assert error_of("19121212-1212", IdKind.NONE).reason is IdErrorReason.KIND


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "kind", "masked"),
    [
        ("19121212-1212", IdKind.PERSONNUMMER, "19121212-****"),
        ("19900577-1234", IdKind.SAMORDNINGSNUMMER, "19900577-****"),
        ("010190-1235", IdKind.CPR, "010190-****"),
        ("AB-12345", IdKind.RESERVE, "AB****"),
        ("ABCD", IdKind.RESERVE, "****"),
        ("A", IdKind.RESERVE, "****"),
        ("garbage", IdKind.PERSONNUMMER, "****"),
        ("garbage", IdKind.CPR, "****"),
        ("", IdKind.NONE, ""),
    ],
)
def test_mask_canonical(canonical: str, kind: IdKind, masked: str) -> None:
    assert mask_canonical(canonical, kind) == masked


def test_repr_has_no_personal_data() -> None:
    number = parse("19121212-1212")
    assert "1212" not in repr(number)
    assert "1912" not in repr(number)


# --- search --------------------------------------------------------------------------------


def test_search_digits() -> None:
    assert identity_search_digits(parse("19850312-1231", None)) == "198503121231 8503121231"
    assert identity_search_digits(parse("120385-1234", IdKind.CPR)) == "1203851234"
    assert identity_search_digits(parse("ab-12", IdKind.RESERVE)) == "AB12"


@pytest.mark.parametrize(
    "typed",
    ["19850312-1231", "850312-1231", "8503121231", "198503121231", "8503", "850312-12", "1985"],
)
def test_search_keys_match_swedish_column(typed: str) -> None:
    column = identity_search_digits(parse("19850312-1231"))  # valid Luhn
    assert matches(search_keys(typed), column)
    assert any(token.startswith(search_keys(typed)[0]) for token in column.split())


@pytest.mark.parametrize("typed", ["120385-1234", "1203851234", "120385 1234", "1203"])
def test_search_keys_match_cpr_column(typed: str) -> None:
    column = identity_search_digits(parse("120385-1234", IdKind.CPR))
    assert matches(search_keys(typed), column)


def test_search_keys_other_input() -> None:
    assert search_keys("") == []
    assert search_keys("  - + ") == []
    assert search_keys("Anna") == []
    assert search_keys("ab-12") == ["AB12"]
    assert search_keys("850312+1234") == ["8503121234"]
    assert search_keys("19850312-9999") == ["198503129999"]
    assert not matches(search_keys("8503129999"), "198503121231 8503121231")


# --- error messages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("", IdErrorReason.EMPTY, "Enter an identity number."),
        ("12345", IdErrorReason.LENGTH, "wrong length"),
        ("8503-121234", IdErrorReason.LENGTH, "wrong length"),
        ("850312/1234", IdErrorReason.CHARACTERS, "only contain digits"),
        ("19851332-1234", IdErrorReason.DATE, "not a real date"),
        ("990230-1234", IdErrorReason.DATE, "not a real date"),
        (wrong_check_digit("19121212-1212"), IdErrorReason.CHECK_DIGIT, "check digit is wrong"),
        (se_number(date(2030, 1, 1)), IdErrorReason.FUTURE, "in the future"),
    ],
)
def test_error_messages(text: str, reason: IdErrorReason, message: str) -> None:
    error = error_of(text)
    assert error.reason is reason
    assert message in error.text
    assert isinstance(error, InvalidInputError)
    assert error.field == "id_number"
    assert error.message() == error.text
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= 4:
        assert digits[-4:] not in error.text


def test_kind_specific_messages() -> None:
    assert "personnummer" in error_of("123", IdKind.PERSONNUMMER).text
    assert "samordningsnummer" in error_of("123", IdKind.SAMORDNINGSNUMMER).text
    assert "reserve" in error_of("A" * 30, IdKind.RESERVE).text


class _Marking(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return "X:" + message


def test_messages_are_translated_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n._Active, "translator", i18n.Translator("en", _Marking()))
    for text in ("", "abc", "12345", "19851332-1234", wrong_check_digit("19121212-1212")):
        assert error_of(text).text.startswith("X:")


# --- properties ----------------------------------------------------------------------------

_dates = st.dates(min_value=date(1826, 1, 1), max_value=TODAY)
_serials = st.from_regex(r"[0-9]{3}", fullmatch=True)


@settings(max_examples=100)
@given(st.text())
def test_any_text_parses_or_raises_identity_error(text: str) -> None:
    for kind in (None, *IdKind):
        try:
            parse(text, kind)
        except IdentityError:
            pass


@settings(max_examples=100)
@given(st.from_regex(r"[0-9+\- ]{0,16}", fullmatch=True))
def test_numeric_text_parses_or_raises_identity_error(text: str) -> None:
    for kind in (None, IdKind.PERSONNUMMER, IdKind.CPR):
        try:
            number = parse(text, kind)
        except IdentityError:
            continue
        assert number.birth_date is not None
        assert number.birth_date <= TODAY
        assert matches(search_keys(text), identity_search_digits(number))


@given(_dates, _serials, st.booleans())
def test_swedish_forms_round_trip(born: date, serial: str, samordning: bool) -> None:
    canonical = se_number(born, serial, samordning=samordning)
    long8, short6, last4 = canonical[:8], canonical[2:8], canonical[9:]
    forms = [canonical, long8 + last4]
    if born.year > TODAY.year - 100:
        forms += [f"{short6}-{last4}", short6 + last4]
    else:
        forms.append(f"{short6}+{last4}")
    kind = IdKind.SAMORDNINGSNUMMER if samordning else IdKind.PERSONNUMMER
    column = identity_search_digits(parse(canonical))
    for text in forms:
        number = parse(text)
        assert number.kind is kind
        assert number.canonical == canonical
        assert number.birth_date == born
        assert matches(search_keys(text), column)


@given(
    st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)),
    st.data(),
)
def test_cpr_gives_the_birth_date(born: date, data: st.DataObject) -> None:
    seventh = data.draw(st.sampled_from(cpr_seventh_digits(born.year)))
    rest = data.draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    text = f"{born:%d%m%y}-{seventh}{rest}"
    number = parse_identity(text, IdKind.CPR, today=date(2058, 1, 1))
    assert number.birth_date == born
    assert number.canonical == text
    if born > TODAY:
        assert error_of(text, IdKind.CPR).reason is IdErrorReason.FUTURE


def test_future_dates_rejected_in_long_form() -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert error_of(se_number(tomorrow)).reason is IdErrorReason.FUTURE
    assert parse(se_number(TODAY)).birth_date == TODAY


def test_a_cpr_number_typed_as_a_personnummer_is_named_as_cpr() -> None:
    today = date(2026, 11, 2)
    for kind in (IdKind.PERSONNUMMER, IdKind.SAMORDNINGSNUMMER):
        with pytest.raises(IdentityError) as refused:
            parse_identity("150745-1234", kind, today=today)  # day 45: no Swedish date
        assert "CPR" in refused.value.text and "samordningsnummer" not in refused.value.text
    with pytest.raises(IdentityError) as either:
        parse_identity("120385-1234", IdKind.PERSONNUMMER, today=today)  # day 85: 25 + 60
    assert "CPR" in either.value.text
    # A Swedish number with a wrong check digit keeps its own message.
    with pytest.raises(IdentityError) as wrong:
        parse_identity("0103121235", IdKind.PERSONNUMMER, today=today)
    assert wrong.value.reason is IdErrorReason.CHECK_DIGIT


def test_the_kind_a_new_client_starts_with_follows_the_language() -> None:
    assert default_kind("da") is IdKind.CPR
    assert default_kind("sv") is IdKind.PERSONNUMMER
    assert default_kind("en") is IdKind.PERSONNUMMER


def test_the_fast_luhn_check_agrees_with_stdnum() -> None:
    import random

    from stdnum import luhn

    from hemlos_desktop.models.identity import _luhn_valid

    rng = random.Random(15)
    for _ in range(20_000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 11, 12))))
        assert _luhn_valid(digits) == luhn.is_valid(digits), digits


@given(st.text(alphabet="0123456789", min_size=1, max_size=16))
def test_the_written_out_luhn_check_is_stdnums(digits: str) -> None:
    from hemlos_desktop.models.identity import _luhn_valid

    assert _luhn_valid(digits) == luhn.is_valid(digits)
