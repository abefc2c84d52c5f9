"""Client register use cases: search, list rows, register, edit, duplicates, close and reopen.

The search returns only ids (the list model pages rows in with :func:`fetch_rows`); filtering
and sorting happen in SQL. Every query is limited to the clients the actor may see.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Select,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import (
    Client,
    ClientStatus,
    ClientTargetGroup,
    Gender,
    TargetGroup,
)
from hemlos_desktop.models.client_rules import CleanClient, ClientInput, validate_client
from hemlos_desktop.models.identity import (
    IdentityError,
    IdKind,
    identity_search_digits,
    mask_canonical,
    parse_identity,
    search_keys,
)
from hemlos_desktop.models.people import Role, Team, User
from hemlos_desktop.models.text import fold, sort_name
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.client_assignment import author_defaults
from hemlos_desktop.services.client_order import locale_key, owner_groups, stored_name_key
from hemlos_desktop.services.client_rows import ClientRow, display_name, fetch_rows
from hemlos_desktop.services.client_search import (
    MAX_SEARCH_LENGTH,
    SearchCancel,
    SearchCancelled,
    is_broad,
    matches_many,
    matching_ids,
    run_id_array,
    run_ids,
    search_match,
)
from hemlos_desktop.storage import Database, search_index

# Names of services.client_search that callers of this module use from here.
__all__ = [
    "MAX_SEARCH_LENGTH",
    "ClientRow",
    "SearchCancel",
    "SearchCancelled",
    "display_name",
    "fetch_rows",
    "search_match",
]


class SortKey(StrEnum):
    NAME = "name"
    ID_NUMBER = "id_number"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    HOUSING = "housing"
    RESPONSIBLE = "responsible"
    TEAM = "team"
    STATUS = "status"


@dataclass(frozen=True)
class ClientQuery:
    text: str = ""
    team_id: int | None = None
    responsible_user_id: int | None = None
    status: ClientStatus | None = None
    target_group: TargetGroup | None = None
    gender: Gender | None = None
    housing_code: int | None = None
    sort: SortKey = SortKey.NAME
    descending: bool = False
    # Alphabetical order of this language ('sv', 'da', 'en'); empty: the interface's language.
    language: str = ""


@dataclass(frozen=True)
class ClientDetail:
    """Everything the edit form shows (the full identity number included)."""

    id: int
    data: ClientInput
    id_number: str
    status: ClientStatus
    closed_on: dt.date | None


@dataclass(frozen=True)
class DuplicateMatch:
    client_id: int | None  # None when the match is not visible to the actor
    display_name: str
    id_masked: str
    birth_date: dt.date | None


@dataclass(frozen=True)
class DuplicateReport:
    same_number: list[DuplicateMatch] = field(default_factory=list)
    similar: list[DuplicateMatch] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return bool(self.same_number)


class DuplicateClientError(HemlosError):
    """The identity number is registered already (the same person must not be registered twice)."""

    def __init__(self, report: DuplicateReport) -> None:
        super().__init__("identity number already registered")
        self.report = report

    def title(self) -> str:
        return _("Already registered")

    def message(self) -> str:
        return _("A client with this identity number is already registered.")

    def advice(self) -> str:
        return _("Search for the number and open the existing client instead.")


# --- search ---------------------------------------------------------------------------------


def build_search(actor: Actor, query: ClientQuery, *, broad: bool | None = None) -> Select[Any]:
    """The ids matching ``query`` in order, names by the language's key also within the groups
    of another column. ``broad``: the search may find much of the register."""
    stmt = select(Client.id).where(visible_clients_clause(actor))
    language = query.language or current_language()
    match = search_match(query.text)
    if match is not None:
        if is_broad(query.text) if broad is None else broad:
            # Perhaps most of the register: read the list's index in order, keep what the
            # search index found (``id + 0``: no fetch by id and sort).
            stmt = stmt.where((Client.id + literal_column("0")).in_(matching_ids(match)))
        else:
            stmt = stmt.where(Client.id.in_(matching_ids(match)))
    if query.team_id is not None:
        stmt = stmt.where(Client.team_id == query.team_id)
    if query.responsible_user_id is not None:
        stmt = stmt.where(Client.responsible_user_id == query.responsible_user_id)
    if query.status is not None:
        stmt = stmt.where(Client.status == query.status.value)
    if query.gender is not None:
        stmt = stmt.where(Client.gender == query.gender.value)
    if query.housing_code is not None:
        stmt = stmt.where(Client.current_housing_code == query.housing_code)
    if query.target_group is not None:
        stmt = stmt.where(
            exists().where(
                ClientTargetGroup.client_id == Client.id,
                ClientTargetGroup.target_group == query.target_group.value,
            )
        )
    order: list[Any]
    name_key = stored_name_key(language)
    if query.sort is SortKey.RESPONSIBLE:
        responsible = aliased(User)
        stmt = stmt.outerjoin(responsible, responsible.id == Client.responsible_user_id)
        order = [locale_key(responsible.display_name, language)]
    elif query.sort is SortKey.TEAM:
        stmt = stmt.outerjoin(Team, Team.id == Client.team_id)
        order = [locale_key(Team.name, language)]
    else:
        column = {
            SortKey.NAME: name_key,
            SortKey.ID_NUMBER: Client.id_number,
            SortKey.BIRTH_DATE: Client.birth_date,
            SortKey.GENDER: Client.gender,
            SortKey.HOUSING: Client.current_housing_code,
            SortKey.STATUS: Client.status,
        }[query.sort]
        order = [column]
    if query.sort in (SortKey.ID_NUMBER, SortKey.BIRTH_DATE):
        # Nearly unique: the neutral name key (in their indexes) orders the rare ties.
        order.append(Client.sort_name)
    elif query.sort is not SortKey.NAME:  # the name order in each group, from the column's
        order.append(name_key)  # index in this language (models.client.LIST_INDEXES)
    order += [Client.first_name_fold, Client.id]
    if query.descending:
        order = [term.desc() for term in order]
    return stmt.order_by(*order)


def build_searches(session: Session, actor: Actor, query: ClientQuery) -> list[Select[Any]]:
    """The statements whose results, one after the other, are the search's ids in order: by
    responsible person or team, each one's clients in name order from the index starting with
    their id (``client_order.owner_groups``), not every row sorted by a name in another table.
    A term the search index finds for many clients is read in the list's order
    (:func:`~hemlos_desktop.services.client_search.matches_many`)."""
    match = search_match(query.text)
    broad = match is not None and (is_broad(query.text) or matches_many(session, match))
    if query.sort not in (SortKey.RESPONSIBLE, SortKey.TEAM):
        return [build_search(actor, query, broad=broad)]
    by_name = replace(query, sort=SortKey.NAME)
    column, groups = owner_groups(
        session, by_team=query.sort is SortKey.TEAM, language=query.language or current_language()
    )
    if query.descending:
        groups.reverse()
    base = build_search(actor, by_name, broad=broad)
    return [base.where(column.is_(None) if gid is None else column == gid) for gid in groups]


def search_ids(
    db: Database, actor: Actor, query: ClientQuery, *, cancel: SearchCancel | None = None
) -> list[int]:
    """The ids of the visible clients matching ``query``, in order.

    With ``cancel``, the search stops as soon as another thread cancels it (SQLite checks
    between steps of the query) and raises :class:`SearchCancelled`.
    """
    with db.read() as session:
        ids: list[int] = []
        for stmt in build_searches(session, actor, query):
            ids += run_ids(session, stmt, cancel)
        return ids


def search_first(
    db: Database,
    actor: Actor,
    query: ClientQuery,
    *,
    limit: int,
    cancel: SearchCancel | None = None,
) -> list[int]:
    """The first ``limit`` ids of :func:`search_ids`: what the list shows at once, read from the
    sort index without going through the whole result."""
    with db.read() as session:
        ids: list[int] = []
        for stmt in build_searches(session, actor, query):
            ids += run_ids(session, stmt.limit(limit - len(ids)), cancel)
            if len(ids) >= limit:
                break
        return ids


def search_id_array(
    db: Database, actor: Actor, query: ClientQuery, *, cancel: SearchCancel | None = None
) -> array[int]:
    """The ids of :func:`search_ids` as one compact array (the client list's whole result:
    no Python object per client)."""
    with db.read() as session:
        ids: array[int] = array("q")
        for stmt in build_searches(session, actor, query):
            ids.extend(run_id_array(session, stmt, cancel))
        return ids


def count_visible(db: Database, actor: Actor) -> int:
    with db.read() as session:
        return int(
            session.scalar(select(func.count(Client.id)).where(visible_clients_clause(actor))) or 0
        )


def is_identity_search(text: str) -> bool:
    """Whether search text is a complete, valid identity number (not a name or a part)."""
    try:
        number = parse_identity(text)
    except IdentityError:
        return False
    return number.kind is not IdKind.NONE


def record_identity_search(db: Database, actor: Actor, text: str, matches: int) -> bool:
    """Log a search by a complete identity number (one entry per search the person made; the
    number itself is not written, only how many clients it found). False for other text."""
    if not is_identity_search(text):
        return False
    with db.begin() as session:
        audit.record(session, actor, AuditAction.SEARCH_NUMBER, detail=f"{matches} found")
    return True


def reveal_number(db: Database, actor: Actor, client_id: int) -> str:
    """The full identity number of one client, for a user who chose to see it."""
    with db.begin() as session:
        number = load_visible_client(session, actor, client_id).id_number or ""
        audit.record(session, actor, AuditAction.REVEAL_NUMBER, client_id=client_id)
        return number


# --- register and edit -----------------------------------------------------------------------


def clean_or_raise(data: ClientInput, today: dt.date | None) -> CleanClient:
    clean, errors = validate_client(data, today=today or dt.date.today())
    if clean is None:
        raise ValidationFailed(errors)
    return clean


def find_duplicates(
    db: Database, actor: Actor, data: ClientInput, *, exclude_id: int | None = None
) -> DuplicateReport:
    """Possible duplicates: the same number (blocking), the same name and birth date (warning)."""
    clean, _errors = validate_client(data, today=dt.date.today())
    if clean is None:
        return DuplicateReport()
    with db.read() as session:
        report, hidden = _duplicates(session, actor, clean, exclude_id)
    if hidden is not None:
        # A lead can follow up who ran into a client they may not see; the user learns only
        # that there may be a duplicate.
        with db.begin() as session:
            audit.record(
                session, actor, AuditAction.VIEW, client_id=hidden,
                detail="possible duplicate, not shown",
            )  # fmt: skip
    return report


def _duplicates(
    session: Session, actor: Actor, clean: CleanClient, exclude_id: int | None
) -> tuple[DuplicateReport, int | None]:
    """The report, and the first match the actor may not see (None when there is none)."""
    visible = visible_clients_clause(actor)
    hidden: int | None = None
    same: list[DuplicateMatch] = []
    similar: list[DuplicateMatch] = []
    canonical = clean.identity.canonical
    if canonical:
        stmt = select(Client, visible).where(Client.id_number == canonical)
        if exclude_id is not None:
            stmt = stmt.where(Client.id != exclude_id)
        for client, is_visible in session.execute(stmt):
            same.append(_match(client, bool(is_visible)))
            hidden = hidden if hidden is not None or is_visible else client.id
    data = clean.data
    if clean.birth_date is not None and (data.first_name or data.last_name):
        stmt = select(Client, visible).where(
            Client.first_name_fold == fold(data.first_name),
            Client.last_name_fold == fold(data.last_name),
            Client.birth_date == clean.birth_date,
        )
        if exclude_id is not None:
            stmt = stmt.where(Client.id != exclude_id)
        if canonical:
            stmt = stmt.where(or_(Client.id_number.is_(None), Client.id_number != canonical))
        for client, is_visible in session.execute(stmt.limit(20)):
            similar.append(_match(client, bool(is_visible)))
            hidden = hidden if hidden is not None or is_visible else client.id
    return DuplicateReport(same_number=same, similar=similar), hidden


def _match(client: Client, visible: bool) -> DuplicateMatch:
    if not visible:
        return DuplicateMatch(None, _("a possible duplicate — ask a team lead"), "", None)
    kind = IdKind(client.id_kind)
    return DuplicateMatch(
        client.id,
        display_name(client.first_name, client.last_name, client.alias),
        mask_canonical(client.id_number or "", kind),
        client.birth_date,
    )


def form_values(clean: CleanClient) -> dict[str, Any]:
    """The client's columns that the form (or an import row) decides."""
    data = clean.data
    first_fold, last_fold = fold(data.first_name), fold(data.last_name)
    return {
        "id_kind": clean.identity.kind.value,
        "id_number": clean.identity.canonical or None,
        "id_search": identity_search_digits(clean.identity),
        "first_name": data.first_name,
        "last_name": data.last_name,
        "alias": data.alias,
        "description": data.description,
        "name_search": clean.name_search,
        "first_name_fold": first_fold,
        "last_name_fold": last_fold,
        "sort_name": sort_name(last_fold, clean.name_search),
        "gender": data.gender.value,
        "birth_date": clean.birth_date,
        "language": data.language,
        "phone": data.phone,
        "email": data.email,
        "address": data.address,
        "responsible_user_id": data.responsible_user_id,
        "team_id": data.team_id,
        "protected_identity": data.protected_identity,
    }


def _apply(client: Client, clean: CleanClient) -> None:
    for name, value in form_values(clean).items():
        setattr(client, name, value)


def _set_target_groups(session: Session, client_id: int, groups: frozenset[TargetGroup]) -> None:
    session.execute(delete(ClientTargetGroup).where(ClientTargetGroup.client_id == client_id))
    for group in sorted(groups):
        session.add(ClientTargetGroup(client_id=client_id, target_group=group.value))


def register_client(
    db: Database, actor: Actor, data: ClientInput, *, today: dt.date | None = None
) -> Outcome[int]:
    """Register a new client; the value is its id. Refuses a number registered already."""
    require_write(actor)
    clean = clean_or_raise(data, today)
    if clean.data.protected_identity:
        _require_lead(actor, "protected_identity")
    with db.begin() as session:
        report, _hidden = _duplicates(session, actor, clean, None)
        if report.blocking:
            raise DuplicateClientError(report)
        client_id = _insert(session, actor, clean)
    return Outcome(client_id, ChangeSet.of(ChangeKind.HEADER, client_id))


def new_client_values(actor: Actor, clean: CleanClient) -> dict[str, Any]:
    """A new client's columns from the form and its author's defaults for team and
    responsible (the rest are the columns' defaults)."""
    values = form_values(clean)
    values["status"] = ClientStatus.ACTIVE.value
    values["created_by_id"] = actor.user_id
    defaults = author_defaults(actor)
    if values["team_id"] is None:
        values["team_id"] = defaults.team_id
    if values["responsible_user_id"] is None and (
        values["protected_identity"] or defaults.responsible_user_id is not None
    ):
        values["responsible_user_id"] = actor.user_id
    return values


def new_client(actor: Actor, clean: CleanClient) -> Client:
    """A new client row (not yet added) with the author's defaults for team and responsible."""
    return Client(**new_client_values(actor, clean))


def _insert(
    session: Session, actor: Actor, clean: CleanClient, action: AuditAction = AuditAction.CREATE
) -> int:
    client = new_client(actor, clean)
    session.add(client)
    session.flush()
    _set_target_groups(session, client.id, clean.data.target_groups)
    audit.record(session, actor, action, client_id=client.id)
    return client.id


def update_client(
    db: Database, actor: Actor, client_id: int, data: ClientInput, *, today: dt.date | None = None
) -> Outcome[None]:
    require_write(actor)
    clean = clean_or_raise(data, today)
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        report, _hidden = _duplicates(session, actor, clean, client_id)
        if report.blocking:
            raise DuplicateClientError(report)
        guarded = _guarded_changes(client, clean.data)
        for field_name in guarded:
            _require_lead(actor, field_name)
        _apply(client, clean)
        _set_target_groups(session, client.id, clean.data.target_groups)
        detail = "details" + "".join(f"; {GUARDED_DETAIL[name]}" for name in guarded)
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail=detail)
    return Outcome(None, ChangeSet.of(ChangeKind.HEADER, client_id))


# Who may change what: a protected identity, the team and the responsible person decide who
# sees a client, so only team leads and administrators change them.
GUARDED_DETAIL = {
    "protected_identity": "protected identity changed",
    "team_id": "team changed",
    "responsible_user_id": "responsible person changed",
}


def _guarded_changes(client: Client, data: ClientInput) -> list[str]:
    changed = []
    if bool(client.protected_identity) != bool(data.protected_identity):
        changed.append("protected_identity")
    if client.team_id != data.team_id:
        changed.append("team_id")
    if client.responsible_user_id != data.responsible_user_id:
        changed.append("responsible_user_id")
    return changed


def _require_lead(actor: Actor, field_name: str) -> None:
    if actor.role not in (Role.ADMIN, Role.TEAM_LEAD):
        raise InvalidInputError(
            _("Only team leads and administrators may change this."), field=field_name
        )


def get_client(db: Database, actor: Actor, client_id: int) -> ClientDetail:
    """A client's details for the edit form, with the full identity number: logged as a
    reveal of the number (one entry)."""
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        audit.record(
            session, actor, AuditAction.REVEAL_NUMBER, client_id=client_id, detail="edit form"
        )
        groups = frozenset(
            TargetGroup(g)
            for g in session.scalars(
                select(ClientTargetGroup.target_group).where(
                    ClientTargetGroup.client_id == client_id
                )
            )
        )
        kind = IdKind(client.id_kind)
        data = ClientInput(
            id_kind=kind,
            id_text=client.id_number or "",
            first_name=client.first_name,
            last_name=client.last_name,
            alias=client.alias,
            description=client.description,
            gender=Gender(client.gender),
            birth_date=client.birth_date,
            language=client.language,
            phone=client.phone,
            email=client.email,
            address=client.address,
            target_groups=groups,
            responsible_user_id=client.responsible_user_id,
            team_id=client.team_id,
            protected_identity=client.protected_identity,
        )
        return ClientDetail(
            id=client.id,
            data=data,
            id_number=client.id_number or "",
            status=ClientStatus(client.status),
            closed_on=client.closed_on,
        )


def set_status(
    db: Database, actor: Actor, client_id: int, status: ClientStatus, *, on: dt.date | None = None
) -> Outcome[None]:
    """Close a case (with its date) or reopen it."""
    require_write(actor)
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        client.status = status.value
        client.closed_on = (on or dt.date.today()) if status is ClientStatus.CLOSED else None
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="status")
    return Outcome(None, ChangeSet.of(ChangeKind.HEADER, client_id))


def client_ids_by_number(db: Database, actor: Actor, text: str) -> list[int]:
    """Visible clients whose identity number matches ``text`` exactly, in any accepted format."""
    keys = search_keys(text)
    if not keys:
        return []
    key = keys[0]
    with db.read() as session:
        match = "numbers : " + search_index.phrase(key, word_start=len(key) < 3)
        candidates = session.execute(
            select(Client.id, Client.id_search).where(
                visible_clients_clause(actor), Client.id.in_(matching_ids(match))
            )
        )
        return [cid for cid, digits in candidates if key in digits.split()]
