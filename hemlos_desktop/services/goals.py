"""The goals dashboard: each goal's figure for a period and a team (or everyone the user may
see), split by gender, with the clients behind each figure.

Definitions are in ``models.goal_defs`` (and README). Every figure is one SQL query that returns
the clients it counts; the count (or the median of days) is taken per gender. Computing the
figures writes nothing; drilling down to the clients and exporting write one access-log entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, ContactKind, Gender, HousingPeriod, OutreachContact
from hemlos_desktop.models.goal_defs import (
    GENDER_COLUMNS,
    GOALS,
    GOALS_BY_KEY,
    LASTING_HOUSING_CODE,
    LONG_STAY_DAYS,
    SHELTER_HOUSING_CODE,
    SHELTER_KINDS,
    YOUNG_MAX_AGE,
    YOUNG_MIN_AGE,
    GoalFigure,
    GoalKey,
)
from hemlos_desktop.models.housing_rules import HousingPlaceKind
from hemlos_desktop.models.team import (
    EvictionCase,
    EvictionOutcome,
    Release,
    Responsibility,
    ResponsibilityRole,
)
from hemlos_desktop.models.text import name_sort_key, sort_key
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.files import atomic_binary


@dataclass(frozen=True)
class GoalScope:
    start: dt.date
    end: dt.date
    team_id: int | None = None

    def check(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(_("The end of the period is before its start."), field="to")


@dataclass(frozen=True)
class DrillRow:
    client_id: int
    name: str
    gender: Gender
    value: float


Rows = list[tuple[int, str, float]]


def _where(actor: Actor, scope: GoalScope) -> list[ColumnElement[bool]]:
    clauses = [visible_clients_clause(actor)]
    if scope.team_id is not None:
        clauses.append(Client.team_id == scope.team_id)
    return clauses


def _lease_kept(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    query = (
        select(Client.id, Client.gender)
        .join(EvictionCase, EvictionCase.client_id == Client.id)
        .where(
            *where,
            EvictionCase.outcome == EvictionOutcome.LEASE_KEPT.value,
            EvictionCase.outcome_date >= s.start,
            EvictionCase.outcome_date <= s.end,
        )
        .distinct()
    )
    return [(cid, gender, 1.0) for cid, gender in session.execute(query)]


def _lasting_housing(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    earlier = aliased(HousingPeriod)
    had_lost = exists().where(
        earlier.client_id == HousingPeriod.client_id,
        earlier.code < LASTING_HOUSING_CODE,
        earlier.start_date < HousingPeriod.start_date,
    )
    coordinated = exists().where(
        Responsibility.client_id == HousingPeriod.client_id,
        Responsibility.role == ResponsibilityRole.COORDINATOR.value,
        Responsibility.start_date <= HousingPeriod.start_date,
        or_(Responsibility.end_date.is_(None), Responsibility.end_date >= HousingPeriod.start_date),
    )
    query = (
        select(Client.id, Client.gender)
        .join(HousingPeriod, HousingPeriod.client_id == Client.id)
        .where(
            *where,
            HousingPeriod.code == LASTING_HOUSING_CODE,
            HousingPeriod.start_date >= s.start,
            HousingPeriod.start_date <= s.end,
            had_lost,
            coordinated,
        )
        .distinct()
    )
    return [(cid, gender, 1.0) for cid, gender in session.execute(query)]


def _handling_days(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    unit_roles = [ResponsibilityRole.PURCHASER.value, ResponsibilityRole.PROVIDER.value]
    per_client = (
        select(
            Responsibility.client_id.label("client_id"),
            func.min(Responsibility.start_date).label("first"),
            func.max(Responsibility.end_date).label("last"),
            func.count(func.distinct(Responsibility.unit_id)).label("units"),
            func.count().filter(Responsibility.end_date.is_(None)).label("still_open"),
        )
        .where(Responsibility.role.in_(unit_roles), Responsibility.unit_id.is_not(None))
        .group_by(Responsibility.client_id)
        .subquery()
    )
    query = (
        select(Client.id, Client.gender, per_client.c.first, per_client.c.last)
        .join(per_client, per_client.c.client_id == Client.id)
        .where(
            *where,
            per_client.c.units >= 2,
            per_client.c.still_open == 0,
            per_client.c.last >= s.start,
            per_client.c.last <= s.end,
        )
    )
    rows: Rows = []
    for cid, gender, first, last in session.execute(query):
        first_day = dt.date.fromisoformat(first) if isinstance(first, str) else first
        last_day = dt.date.fromisoformat(last) if isinstance(last, str) else last
        rows.append((cid, gender, float((last_day - first_day).days)))
    return rows


def _overlaps(s: GoalScope) -> ColumnElement[bool]:
    """A housing period overlaps the scope's period."""
    return and_(
        HousingPeriod.start_date <= s.end,
        or_(HousingPeriod.end_date.is_(None), HousingPeriod.end_date >= s.start),
    )


def _rough_sleepers(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    met_on_street = exists().where(
        OutreachContact.client_id == Client.id,
        OutreachContact.kind == ContactKind.STREET.value,
        OutreachContact.contact_date >= s.start,
        OutreachContact.contact_date <= s.end,
    )
    slept_rough = exists().where(
        HousingPeriod.client_id == Client.id,
        HousingPeriod.place_kind == HousingPlaceKind.STREET.value,
        _overlaps(s),
    )
    query = select(Client.id, Client.gender).where(*where, or_(met_on_street, slept_rough))
    return [(cid, gender, 1.0) for cid, gender in session.execute(query)]


def _shelter_periods(
    session: Session, where: list[ColumnElement[bool]], s: GoalScope
) -> list[tuple[int, str, dt.date | None, dt.date, dt.date | None]]:
    query = (
        select(
            Client.id,
            Client.gender,
            Client.birth_date,
            HousingPeriod.start_date,
            HousingPeriod.end_date,
        )
        .join(HousingPeriod, HousingPeriod.client_id == Client.id)
        .where(
            *where,
            HousingPeriod.code == SHELTER_HOUSING_CODE,
            or_(
                HousingPeriod.place_kind.is_(None),
                HousingPeriod.place_kind.in_([kind.value for kind in SHELTER_KINDS]),
            ),
            _overlaps(s),
        )
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _young_in_shelter(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    seen: dict[int, str] = {}
    for cid, gender, born, start, _end in _shelter_periods(session, where, s):
        if born is None:
            continue
        if YOUNG_MIN_AGE <= _age(born, max(start, s.start)) <= YOUNG_MAX_AGE:
            seen[cid] = gender
    return [(cid, gender, 1.0) for cid, gender in seen.items()]


def _long_shelter_stays(session: Session, where: list[ColumnElement[bool]], s: GoalScope) -> Rows:
    seen: dict[int, str] = {}
    for cid, gender, _born, start, end in _shelter_periods(session, where, s):
        last = min(end, s.end) if end is not None else s.end
        if (last - start).days > LONG_STAY_DAYS:
            seen[cid] = gender
    return [(cid, gender, 1.0) for cid, gender in seen.items()]


def _release_without_housing(
    session: Session, where: list[ColumnElement[bool]], s: GoalScope
) -> Rows:
    released = exists().where(
        Release.client_id == Client.id,
        Release.housing_arranged.is_(False),
        Release.release_date >= s.start,
        Release.release_date <= s.end,
    )
    recorded = exists().where(
        HousingPeriod.client_id == Client.id,
        HousingPeriod.place_kind == HousingPlaceKind.RELEASE_WITHOUT_HOUSING.value,
        HousingPeriod.start_date >= s.start,
        HousingPeriod.start_date <= s.end,
    )
    query = select(Client.id, Client.gender).where(*where, or_(released, recorded))
    return [(cid, gender, 1.0) for cid, gender in session.execute(query)]


_COMPUTE: dict[GoalKey, Callable[[Session, list[ColumnElement[bool]], GoalScope], Rows]] = {
    GoalKey.LEASE_KEPT: _lease_kept,
    GoalKey.LASTING_HOUSING: _lasting_housing,
    GoalKey.HANDLING_DAYS: _handling_days,
    GoalKey.ROUGH_SLEEPERS: _rough_sleepers,
    GoalKey.YOUNG_IN_SHELTER: _young_in_shelter,
    GoalKey.LONG_SHELTER_STAYS: _long_shelter_stays,
    GoalKey.RELEASE_WITHOUT_HOUSING: _release_without_housing,
}


def _figure(key: GoalKey, rows: Rows) -> GoalFigure:
    median = GOALS_BY_KEY[key].median_days

    def value(values: list[float]) -> float | None:
        if median:
            return float(statistics.median(values)) if values else None
        return float(len(values))

    groups: dict[str, list[float]] = {g: [] for g in GENDER_COLUMNS}
    for _cid, gender, days in rows:
        groups[gender if gender in groups else Gender.NOT_STATED.value].append(days)
    return GoalFigure(
        key,
        woman=value(groups["woman"]),
        man=value(groups["man"]),
        other=value(groups["other"]),
        not_stated=value(groups["not_stated"]),
        total=value([days for _c, _g, days in rows]),
        people={**{g: len(v) for g, v in groups.items()}, "total": len(rows)},
    )


def goal_figures(db: Database, actor: Actor, scope: GoalScope) -> tuple[GoalFigure, ...]:
    """Every goal's figure, in the order of ``GOALS`` (a query: writes nothing)."""
    scope.check()
    where = _where(actor, scope)
    with db.read() as session:
        return tuple(_figure(g.key, _COMPUTE[g.key](session, where, scope)) for g in GOALS)


def goal_clients(
    db: Database, actor: Actor, scope: GoalScope, key: GoalKey, *, gender: str | None = None
) -> list[DrillRow]:
    """The clients behind one figure (optionally of one gender column), by name; the person's
    drill-down is one access-log entry."""
    scope.check()
    where = _where(actor, scope)
    with db.begin() as session:
        rows = _COMPUTE[key](session, where, scope)
        if gender is not None:
            rows = [r for r in rows if _column(r[1]) == gender]
        values = {cid: days for cid, _g, days in rows}
        result: list[DrillRow] = []
        keys: dict[int, tuple[str, str]] = {}
        language = current_language()
        ids = sorted(values)
        for start in range(0, len(ids), 500):
            for cid, first, last, alias, client_gender in session.execute(
                select(
                    Client.id, Client.first_name, Client.last_name, Client.alias, Client.gender
                ).where(Client.id.in_(ids[start : start + 500]))
            ):
                name = " ".join(p for p in (first, last) if p) or alias
                result.append(DrillRow(cid, name, Gender(client_gender), values[cid]))
                keys[cid] = (
                    name_sort_key(first, last, alias, language),
                    sort_key(first, language),
                )
        audit.record(
            session, actor, AuditAction.VIEW, detail=f"goal {key.value}: {len(result)} clients"
        )
    result.sort(key=lambda r: (*keys[r.client_id], r.client_id))  # surname, language's order
    return result


def _column(gender: str) -> str:
    return gender if gender in GENDER_COLUMNS else Gender.NOT_STATED.value


# --- export ----------------------------------------------------------------------------------

CSV_COLUMNS = ("goal", "target", "woman", "man", "other", "not_stated", "total", "title")


def _cell(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def goal_table(
    figures: tuple[GoalFigure, ...], *, lang: str = "en"
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the export: stable keys first, then the title in ``lang``."""
    from hemlos_desktop.i18n import translator_for

    tr = translator_for(lang)
    rows = []
    for figure in figures:
        goal = GOALS_BY_KEY[figure.key]
        values = figure.shown_by_column()
        rows.append(
            [
                figure.key.value,
                tr.gettext(goal.target),
                *(_cell(values[c]) for c in ("woman", "man", "other", "not_stated", "total")),
                tr.gettext(goal.title),
            ]
        )
    return list(CSV_COLUMNS), rows


def export_goals(
    db: Database,
    actor: Actor,
    path: Path,
    scope: GoalScope,
    *,
    lang: str,
    pdf: Callable[[tuple[GoalFigure, ...]], bytes] | None = None,
) -> tuple[GoalFigure, ...]:
    """Write the figures to ``path`` (.csv, .xlsx; .pdf through ``pdf``); one log entry after
    the file exists."""
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".xlsx", ".pdf"):
        raise InvalidInputError(_("Write to a .csv, .xlsx or .pdf file."), field="output")
    figures = goal_figures(db, actor, scope)
    if suffix == ".pdf":
        if pdf is None:
            raise InvalidInputError(_("Write to a .csv, .xlsx or .pdf file."), field="output")
        data = pdf(figures)
    else:
        header, rows = goal_table(figures, lang=lang)
        if suffix == ".xlsx":
            from hemlos_desktop.services.client_export import _xlsx_bytes

            data = _xlsx_bytes(header, rows)
        else:
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)
            data = b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    with atomic_binary(path) as handle:
        handle.write(data)
    audit.record_written_file(db, actor, path, AuditAction.EXPORT, detail=f"goals {suffix[1:]}")
    return figures
