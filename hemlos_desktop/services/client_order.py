"""Alphabetical order of clients in the language's order, as SQL expressions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, func, select
from sqlalchemy.orm import Session

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.text import SORT_KEY_FUNCTION


def sort_name(language: str) -> ColumnElement[str]:
    """Surname for sorting in ``language``'s alphabetical order; a person known only by an
    alias (or a first name) sorts by that."""
    surname_or_other = case(
        (Client.last_name == "", Client.first_name + " " + Client.alias), else_=Client.last_name
    )
    return locale_key(surname_or_other, language)


def stored_name_key(language: str) -> Any:
    """The client column, indexed, whose order is the list's name order in ``language``: the
    Swedish or Danish key (``models.text.name_sort_key``), or ``sort_name`` for English."""
    return {"sv": Client.sort_key_sv, "da": Client.sort_key_da}.get(language, Client.sort_name)


def sort_first_name(language: str) -> ColumnElement[str]:
    return locale_key(Client.first_name, language)


def locale_key(column: Any, language: str) -> ColumnElement[str]:
    """``column`` as a key in ``language``'s alphabetical order (``models.text.sort_key``)."""
    key: ColumnElement[str] = getattr(func, SORT_KEY_FUNCTION)(column, language, type_=String)
    return key


def owner_groups(session: Session, *, by_team: bool, language: str) -> tuple[Any, list[int | None]]:
    """The client column and its values (none first, then the people or teams in
    ``language``'s alphabetical order) whose clients, read group by group in name order from
    their index, are the list sorted by responsible person or team. A few rows: no index to
    defeat."""
    if by_team:
        teams = select(Team.id).order_by(locale_key(Team.name, language), Team.id)
        return Client.team_id, [None, *session.scalars(teams)]
    people = select(User.id).order_by(locale_key(User.display_name, language), User.id)
    return Client.responsible_user_id, [None, *session.scalars(people)]
