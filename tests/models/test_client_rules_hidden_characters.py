"""NUL, ESC and text-direction overrides are refused in names (they hide or reverse text)."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop.models.client_rules import ClientInput, validate_client
from hemlos_desktop.models.identity import IdKind

TODAY = dt.date(2026, 3, 5)


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\u202e", "\u2066", "\u200f"])
@pytest.mark.parametrize("field", ["first_name", "last_name", "alias", "address"])
def test_hidden_characters_are_a_field_error(bad: str, field: str) -> None:
    values = {"first_name": "Åsa", "last_name": "Öberg", "alias": "", "address": ""}
    values[field] = f"Ab{bad}cd"
    clean, errors = validate_client(ClientInput(id_kind=IdKind.NONE, **values), today=TODAY)
    assert clean is None
    assert [e.field for e in errors] == [field]
    assert "Control characters" in errors[0].message


def test_ordinary_names_pass() -> None:
    data = ClientInput(id_kind=IdKind.NONE, first_name="Zoë-Åse", last_name="O'Neill Ødegård")
    clean, errors = validate_client(data, today=TODAY)
    assert errors == [] and clean is not None
