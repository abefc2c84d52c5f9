"""Every list and lookup query of the program uses an index (EXPLAIN QUERY PLAN).

The test runs the program's own use cases on a small demo register and records every SELECT
they send to SQLite; the client search, which runs on the DB-API connection, is compiled from
the service's own statement. Each query's plan must not read a table that grows with the
register from end to end, and the client list must not sort its rows on the fly. The database
has no statistics (as a fresh install), so SQLite plans as it would for a large register.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from hemlos_desktop.demo.data import DEMO_TODAY, fill_demo
from hemlos_desktop.models.client import ClientStatus, Gender, TargetGroup
from hemlos_desktop.services import (
    assessments,
    case_overview,
    clients,
    contacts,
    housing,
    journal,
    plan_due,
    plans,
)
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.storage import Database

# Tables whose row count grows with the number of clients.
GROWING = {
    "clients",
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
    "audit_log",
    "assessments",
    "area_ratings",
    "plans",
    "plan_versions",
    "plan_due_items",
    "client_search",
}
_FULL_SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?$")


def full_scans(db: Database, sql: str, params: Any) -> list[str]:
    """The growing tables ``sql``'s plan reads from end to end (no index, no search)."""
    conn = db.raw_connection(read_only=True)
    try:
        plan = [str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params or ())]
    finally:
        conn.close()
    found = []
    for step in plan:
        match = _FULL_SCAN.match(step)
        if match and match.group(1) in GROWING:
            found.append(step)
    return found


@pytest.fixture
def demo(db: Database) -> tuple[Database, Actor, int]:
    fill_demo(db, random.Random(5), 120)
    with db.begin() as session:
        session.connection().exec_driver_sql("DELETE FROM sqlite_stat1")
    actor = actor_by_username(db, "lead")
    client_id = clients.search_ids(db, actor, clients.ClientQuery())[3]
    return db, actor, client_id


def _search_queries() -> list[clients.ClientQuery]:
    queries = [clients.ClientQuery()]
    for key in clients.SortKey:
        queries += [clients.ClientQuery(sort=key), clients.ClientQuery(sort=key, descending=True)]
    # The name order of each language comes from that language's own key and index, also
    # within the groups of every other column (gender, team, responsible person, ...).
    for language in ("en", "sv", "da"):
        for key in clients.SortKey:
            for descending in (False, True):
                queries.append(
                    clients.ClientQuery(sort=key, language=language, descending=descending)
                )
    queries += [
        clients.ClientQuery(text="s"),
        clients.ClientQuery(text="söderström, e"),
        clients.ClientQuery(text="1985"),
        clients.ClientQuery(status=ClientStatus.CLOSED),
        clients.ClientQuery(gender=Gender.MAN, sort=clients.SortKey.BIRTH_DATE),
        clients.ClientQuery(housing_code=2),
        clients.ClientQuery(target_group=TargetGroup.OVER_65),
        clients.ClientQuery(team_id=1, text="an"),
        clients.ClientQuery(responsible_user_id=2),
    ]
    return queries


@pytest.mark.parametrize("username", ["admin", "lead", "worker"])
def test_the_client_list_reads_an_index_in_order(
    demo: tuple[Database, Actor, int], username: str
) -> None:
    db = demo[0]
    actor = actor_by_username(db, username)
    problems = []
    with db.read() as session:
        statements = [
            (query, stmt)
            for query in _search_queries()
            for stmt in clients.build_searches(session, actor, query)
        ]
    for query, stmt in statements:
        compiled = stmt.compile(
            dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True}
        )
        params = compiled.construct_params()
        values = tuple(params[name] for name in compiled.positiontup or [])
        conn = db.raw_connection(read_only=True)
        try:
            plan = [str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {compiled}", values)]
        finally:
            conn.close()
        scans = [s for s in plan if (m := _FULL_SCAN.match(s)) and m.group(1) in GROWING]
        # A click on a column header with no search or filter: rows come in index order.
        unfiltered = replace(query, language=None) == clients.ClientQuery(
            sort=query.sort, descending=query.descending
        )
        sorts = [s for s in plan if "TEMP B-TREE FOR" in s and unfiltered]
        if scans or sorts:
            problems.append((query.sort.value, query.descending, query.text, scans + sorts))
    assert problems == [], "\n".join(map(str, problems))


def test_every_lookup_of_a_case_file_uses_an_index(demo: tuple[Database, Actor, int]) -> None:
    db, actor, client_id = demo
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        today = DEMO_TODAY
        ids = clients.search_ids(db, actor, clients.ClientQuery())
        clients.fetch_rows(db, actor, ids[:200], today=today)
        clients.get_client(db, actor, client_id)
        clients.client_ids_by_number(db, actor, "19850312")
        case_overview.case_overview(db, actor, client_id, today=today)
        journal.list_entries(db, actor, client_id)
        journal.open_drafts(db, actor, client_id)
        journal.open_drafts(db, actor)
        housing.list_periods(db, actor, client_id)
        contacts.list_contacts(db, actor, client_id)
        assessments.history(db, actor, client_id)
        plans.list_versions(db, actor, client_id)
        plans.overview(db, actor, client_id, today=today)
        for scope in plan_due.DueScope:
            plan_due.due_items(db, actor, scope=scope, today=today)
            plan_due.due_counts(db, actor, scope=scope, today=today + dt.timedelta(days=1))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) > 10
    problems = [(sql, scans) for sql, params in seen if (scans := full_scans(db, sql, params))]
    assert problems == [], "\n".join(map(str, problems))
