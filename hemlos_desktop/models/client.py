"""The client register: clients, target groups, housing over time, journal and outreach contacts.

A person met during outreach who is not yet identified is a client with the identity kind
``none`` and an alias; linking them later to a registered client moves their history over.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from hemlos_desktop.i18n import N_, Translator, active
from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin
from hemlos_desktop.models.text import NAME_KEY_LANGUAGES, name_sort_key


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    NOT_STATED = "not_stated"


GENDER_LABELS: dict[Gender, str] = {
    Gender.WOMAN: N_("Woman"),
    Gender.MAN: N_("Man"),
    Gender.OTHER: N_("Other"),
    Gender.NOT_STATED: N_("Not stated"),
}


class ClientStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


STATUS_LABELS: dict[ClientStatus, str] = {
    ClientStatus.ACTIVE: N_("Active"),
    ClientStatus.CLOSED: N_("Closed"),
}


class TargetGroup(StrEnum):
    OVER_65 = "over_65"
    SUBSTANCE_ABUSE = "substance_abuse"
    PSYCHIATRIC_DISABILITY = "psychiatric_disability"
    YOUNG_ADULT = "young_adult"  # 18-25: unga vuxna / unge
    FAMILY_WITH_CHILDREN = "family_with_children"
    DUAL_DIAGNOSIS = "dual_diagnosis"  # substance use and mental illness: samsjuklighet
    NEURODEVELOPMENTAL = "neurodevelopmental"  # NPF: ADHD, autism and the like


TARGET_GROUP_LABELS: dict[TargetGroup, str] = {
    TargetGroup.OVER_65: N_("Over 65"),
    TargetGroup.SUBSTANCE_ABUSE: N_("Substance abuse"),
    TargetGroup.PSYCHIATRIC_DISABILITY: N_("Psychiatric disability"),
    TargetGroup.YOUNG_ADULT: N_("Young adult 18–25"),
    TargetGroup.FAMILY_WITH_CHILDREN: N_("Family with children"),
    TargetGroup.DUAL_DIAGNOSIS: N_("Dual diagnosis (substance use and mental illness)"),
    TargetGroup.NEURODEVELOPMENTAL: N_("Neuropsychiatric disability (NPF)"),
}


class HousingCode(IntEnum):
    """The Södermalm housing scale (1 least stable, 5 own contract). A code means the same
    situation in every language and in the rating's housing area. "Case closed" is not a
    housing situation: closing a case is the client's status (:class:`ClosureReason`)."""

    HOMELESS = 1
    SUPPORTED_OR_FRIENDS = 2
    TRAINING_FLAT = 3
    LODGER_OR_SUBLET = 4
    OWN_CONTRACT = 5


class ClosureReason(StrEnum):
    """Why a case was closed (counted in the follow-up)."""

    MOVED = "moved"
    OWN_HOUSING = "own_housing"
    DIED = "died"
    DECLINED = "declined"
    OTHER_MUNICIPALITY = "other_municipality"
    OTHER = "other"


CLOSURE_REASON_LABELS: dict[ClosureReason, str] = {
    ClosureReason.MOVED: N_("Moved away"),
    ClosureReason.OWN_HOUSING: N_("Has own housing and no longer needs the effort"),
    ClosureReason.DIED: N_("Died"),
    ClosureReason.DECLINED: N_("Declined further help"),
    ClosureReason.OTHER_MUNICIPALITY: N_("Moved to another municipality"),
    ClosureReason.OTHER: N_("Other reason"),
}


def housing_label_in(translator: Translator, code: int) -> str:
    """Short label of a housing code in ``translator``'s language (a report's own language)."""
    labels = {
        1: translator.pgettext("housing", "Homeless, a roof over the head only"),
        2: translator.pgettext("housing", "Supported housing, with friends or a problematic home"),
        3: translator.pgettext("housing", "Training flat"),
        4: translator.pgettext("housing", "Lodger, short sublet or with parents"),
        5: translator.pgettext("housing", "Own contract or long-term housing"),
    }
    return labels.get(code, "")


def housing_label(code: int) -> str:
    """Short label of a housing code in the active language (Danish wording in Danish)."""
    return housing_label_in(active(), code)


class JournalCategory(StrEnum):
    CONTACT = "contact"
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    MEETING = "meeting"
    DECISION = "decision"
    OTHER = "other"


JOURNAL_CATEGORY_LABELS: dict[JournalCategory, str] = {
    JournalCategory.CONTACT: N_("Contact"),
    JournalCategory.HOME_VISIT: N_("Home visit"),
    JournalCategory.PHONE: N_("Phone call"),
    JournalCategory.MEETING: N_("Meeting"),
    JournalCategory.DECISION: N_("Decision"),
    JournalCategory.OTHER: N_("Other"),
}


class JournalStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class ContactKind(StrEnum):
    STREET = "street"
    SHELTER = "shelter"
    DROP_IN = "drop_in"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    OTHER = "other"


CONTACT_KIND_LABELS: dict[ContactKind, str] = {
    ContactKind.STREET: N_("Street outreach"),
    ContactKind.SHELTER: N_("At a shelter"),
    ContactKind.DROP_IN: N_("Drop-in"),
    ContactKind.PHONE: N_("Phone"),
    ContactKind.HOME_VISIT: N_("Home visit"),
    ContactKind.OTHER: N_("Other"),
}


class ContactOutcome(StrEnum):
    NO_CONTACT = "no_contact"
    BRIEF = "brief"
    CONVERSATION = "conversation"
    AGREED_MEETING = "agreed_meeting"
    REFERRED = "referred"


CONTACT_OUTCOME_LABELS: dict[ContactOutcome, str] = {
    ContactOutcome.NO_CONTACT: N_("Not reached"),
    ContactOutcome.BRIEF: N_("Brief contact"),
    ContactOutcome.CONVERSATION: N_("Conversation"),
    ContactOutcome.AGREED_MEETING: N_("Agreed to meet"),
    ContactOutcome.REFERRED: N_("Referred onwards"),
}


# The columns every client-list query reads besides its sort keys (the visibility rule).
_VISIBILITY = ("id", "team_id", "responsible_user_id", "protected_identity", "merged_into_id")
_NAME_ORDER = ("sort_name", "first_name_fold")
# The sortable columns with few values (many clients share one), ordered by name within each.
GROUPED_SORT_COLUMNS = (
    "gender",
    "status",
    "current_housing_code",
    "team_id",
    "responsible_user_id",
)


def _covering(*keys: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*keys, *_NAME_ORDER, *_VISIBILITY)))


LIST_INDEXES: dict[str, tuple[str, ...]] = {
    "ix_clients_sort_name": _covering(),
    # The name order in Swedish and in Danish (models.text.name_sort_key), one index each.
    **{
        f"ix_clients_sort_{lang}": (f"sort_key_{lang}", "first_name_fold", *_VISIBILITY)
        for lang in NAME_KEY_LANGUAGES
    },
    "ix_clients_number_sort": _covering("id_number"),
    "ix_clients_birth_sort": _covering("birth_date"),
    "ix_clients_gender_sort": _covering("gender"),
    "ix_clients_status_sort": _covering("status"),
    "ix_clients_housing_sort": _covering("current_housing_code"),
    "ix_clients_team_sort": _covering("team_id"),
    "ix_clients_responsible_sort": _covering("responsible_user_id"),
    # The columns whose groups are large, with the names in each in Swedish or Danish order
    # (migration 0022); English reads the ones above.
    **{
        f"ix_clients_{column}_sort_{lang}": tuple(
            dict.fromkeys((column, f"sort_key_{lang}", "first_name_fold", *_VISIBILITY))
        )
        for column in GROUPED_SORT_COLUMNS
        for lang in NAME_KEY_LANGUAGES
    },
}


class Client(UidMixin, TimestampMixin, Base):
    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_last_first", "last_name_fold", "first_name_fold"),
        # Each sort order of the client list walks one index: the column, then the name order,
        # then the visibility rule's columns, so the list is read from the index alone.
        *(Index(name, *columns) for name, columns in LIST_INDEXES.items()),
        CheckConstraint("current_housing_code BETWEEN 1 AND 6", name="housing_code_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Canonical identity number ('YYYYMMDD-NNNN', 'DDMMYY-NNNN', reserve text); NULL when none.
    id_kind: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    # Digit-only forms of the number for search while typing (see models.identity).
    id_search: Mapped[str] = mapped_column(String(64), default="", index=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    alias: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Accent-free lower-case name and alias for search ('soderstrom anna').
    name_search: Mapped[str] = mapped_column(String(400), default="")
    first_name_fold: Mapped[str] = mapped_column(String(100), default="")
    last_name_fold: Mapped[str] = mapped_column(String(100), default="")
    # The list's name order: the surname, or the alias of a person known only by one
    # (see models.text.sort_name); kept with the other folded forms.
    sort_name: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # The same in Swedish and Danish alphabetical order (Å Ä Ö after Z; Æ Ø Å after Z and
    # "aa" as "å"): set from the names on every insert and update (see below).
    sort_key_sv: Mapped[str] = mapped_column(String(400), default="", server_default="")
    sort_key_da: Mapped[str] = mapped_column(String(400), default="", server_default="")
    gender: Mapped[str] = mapped_column(String(12), default=Gender.NOT_STATED.value)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(8), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    responsible_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default=ClientStatus.ACTIVE.value)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    # A ClosureReason while the case is closed (None for cases closed before reasons existed).
    closure_reason: Mapped[str | None] = mapped_column(String(30))
    # What the person closing the case wrote beside the reason (needed for "other").
    closure_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # skyddade personuppgifter / navne- og adressebeskyttelse
    protected_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept in step with the housing periods by the housing service (list filter and sort).
    current_housing_code: Mapped[int | None] = mapped_column(Integer)
    current_housing_since: Mapped[dt.date | None] = mapped_column(Date)
    # Set when an unidentified person was linked to a registered client (history moved there).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Retention hold (gallringsundantag): the record is kept past its purge date.
    retention_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    retention_hold_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _keep_name_keys(_mapper: Mapper[Client], _connection: Connection, client: Client) -> None:
    """The language name keys follow the names in the same flush, whoever writes the client
    (the register form, an import, a merge, the sync): the list's order never lags behind."""
    client.sort_key_sv = name_sort_key(client.first_name, client.last_name, client.alias, "sv")
    client.sort_key_da = name_sort_key(client.first_name, client.last_name, client.alias, "da")


class ClientTargetGroup(Base):
    __tablename__ = "client_target_groups"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    target_group: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class HousingPeriod(UidMixin, TimestampMixin, Base):
    __tablename__ = "housing_periods"
    __table_args__ = (
        CheckConstraint("code BETWEEN 1 AND 5", name="code_range"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        Index("ix_housing_periods_client_start", "client_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    code: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # A HousingPlaceKind within the code (street, night shelter, §110 ...), counted by the
    # Danish goals; None when not recorded.
    place_kind: Mapped[str | None] = mapped_column(String(30), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class JournalEntry(UidMixin, TimestampMixin, Base):
    """A journal note. A draft is saved as it is typed; signing makes it final for good."""

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_client_date", "client_id", "entry_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20), default=JournalCategory.CONTACT.value)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=JournalStatus.DRAFT.value, index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A correction is a new entry pointing at the signed entry it corrects.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entries.id", ondelete="SET NULL"), index=True
    )


class OutreachContact(UidMixin, TimestampMixin, Base):
    """One contact or contact attempt in outreach work (uppsökande arbete / opsøgende arbejde)."""

    __tablename__ = "outreach_contacts"
    __table_args__ = (Index("ix_outreach_contacts_client_date", "client_id", "contact_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    contact_date: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default=ContactKind.STREET.value)
    outcome: Mapped[str] = mapped_column(String(20), default=ContactOutcome.BRIEF.value)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
