"""Property-based checks: no input crashes the client and housing validators, and what they
accept keeps its promises (lengths, dates in order, no overlaps)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput, validate_client
from hemlos_desktop.models.housing_rules import PeriodInput, PeriodSpan, validate_period
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.text import NAME_MAX, fold

TODAY = dt.date(2026, 11, 24)
dates = st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31))
texts = st.text(max_size=600)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(list(IdKind)),
    number=st.one_of(texts, st.from_regex(r"[0-9]{6,8}[-+]?[0-9]{4}", fullmatch=True)),
    first=texts,
    last=texts,
    alias=texts,
    birth=st.one_of(st.none(), dates),
    email=texts,
    phone=texts,
)
def test_validate_client_never_crashes(  # noqa: PLR0917 - one argument per generated field
    kind: IdKind,
    number: str,
    first: str,
    last: str,
    alias: str,
    birth: dt.date | None,
    email: str,
    phone: str,
) -> None:
    data = ClientInput(
        id_kind=kind,
        id_text=number,
        first_name=first,
        last_name=last,
        alias=alias,
        gender=Gender.NOT_STATED,
        birth_date=birth,
        email=email,
        phone=phone,
    )
    clean, errors = validate_client(data, today=TODAY)
    assert (clean is None) == bool(errors)
    for error in errors:
        assert error.message and error.field
    if clean is not None:
        assert len(clean.data.first_name) <= NAME_MAX and len(clean.data.last_name) <= NAME_MAX
        assert clean.birth_date is None or clean.birth_date <= TODAY
        assert clean.name_search == fold(clean.name_search)


@settings(max_examples=300, deadline=None)
@given(
    code=st.one_of(st.none(), st.integers(min_value=-5, max_value=12)),
    start=st.one_of(st.none(), dates),
    end=st.one_of(st.none(), dates),
    others=st.lists(st.tuples(dates, st.one_of(st.none(), dates)), max_size=4),
    place=texts,
)
def test_validate_period_never_crashes_and_accepts_only_sound_periods(
    code: int | None,
    start: dt.date | None,
    end: dt.date | None,
    others: list[tuple[dt.date, dt.date | None]],
    place: str,
) -> None:
    spans = [PeriodSpan(i, a, b if b is None or b >= a else a) for i, (a, b) in enumerate(others)]
    clean, errors = validate_period(PeriodInput(code, start, end, place), spans, today=TODAY)
    assert (clean is None) == bool(errors)
    if clean is not None:
        assert clean.code is not None and 1 <= clean.code <= 6
        assert clean.start_date is not None and clean.start_date <= TODAY
        assert clean.end_date is None or clean.end_date >= clean.start_date
        far = dt.date.max
        for other in spans:
            assert not (
                clean.start_date <= (other.end_date or far)
                and other.start_date <= (clean.end_date or far)
            )
