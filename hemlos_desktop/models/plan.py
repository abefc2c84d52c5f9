"""Individual plans in the database: a plan per client, its versions, and what falls due.

Storage choice: each version keeps its whole content as one JSON snapshot (``PlanVersion
.snapshot``), read and written as a :class:`~hemlos_desktop.models.plan_rules.PlanSnapshot`
plus the SIP part. What needs SQL — "what is due", for me or my team — is copied into
``plan_due_items`` (one row per action and per follow-up point of a version) every time the
version is saved, so a due list is one indexed query on ``due`` and ``responsible_user_id``
without parsing JSON. The snapshot is the truth; the due rows are derived and rewritten with it.

``PlanVersion.revision`` counts saves of a draft; a save names the revision it started from and
is refused when another window saved in between (see services.plans.StalePlanError).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin
from hemlos_desktop.models.plan_rules import (
    LEGACY_RATING_AREAS,
    NAME_MAX,
    NOTE_MAX,
    ActionResult,
    ActionSnapshot,
    ActionStatus,
    AgreementRecord,
    FollowUpPoint,
    FollowUpRecord,
    GoalResult,
    GoalSnapshot,
    PlanSnapshot,
    PlanState,
    Responsible,
    ResponsibleKind,
)

SNAPSHOT_FORMAT = 1


class Plan(UidMixin, TimestampMixin, Base):
    """One plan of one client; ``uid`` is the plan uid, the same for every version."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PlanVersion(UidMixin, TimestampMixin, Base):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), index=True)
    template_id: Mapped[str | None] = mapped_column(String(40))
    start: Mapped[dt.date | None] = mapped_column(Date)
    agreed_on: Mapped[dt.date | None] = mapped_column(Date)
    is_sip: Mapped[bool] = mapped_column(Boolean, default=False)
    snapshot: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DueKind(StrEnum):
    ACTION = "action"
    FOLLOW_UP = "follow_up"


class PlanDueItem(Base):
    """An action or a planned follow-up of one version, with its dates (derived, see above)."""

    __tablename__ = "plan_due_items"
    __table_args__ = (Index("ix_plan_due_items_due_done", "due", "done"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    item_uid: Mapped[str] = mapped_column(String(40))
    goal_uid: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(200))
    start: Mapped[dt.date | None] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str | None] = mapped_column(String(40))
    responsible_kind: Mapped[str | None] = mapped_column(String(20))
    responsible_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    responsible_name: Mapped[str] = mapped_column(String(200), default="")


# --- SIP (samordnad individuell plan) ------------------------------------------------------------


@dataclass(frozen=True)
class SipParty:
    """A participating organisation of a coordinated plan."""

    organisation: str
    contact: str = ""  # contact person
    commitments: str = ""  # what this organisation undertakes to do


@dataclass(frozen=True)
class SipInfo:
    parties: tuple[SipParty, ...] = ()
    lead: str = ""  # the organisation that leads the coordination (one of the parties)

    @property
    def is_sip(self) -> bool:
        return bool(self.parties)


def validate_sip(sip: SipInfo) -> list[tuple[str, str]]:
    """(field, message) problems of the SIP part; the lead must be one of the parties."""
    problems: list[tuple[str, str]] = []
    names = [p.organisation.strip() for p in sip.parties]
    for index, party in enumerate(sip.parties):
        if not party.organisation.strip():
            problems.append((f"sip.{index}.organisation", _("Name the organisation.")))
        if len(party.organisation) > NAME_MAX or len(party.contact) > NAME_MAX:
            problems.append(
                (
                    f"sip.{index}",
                    _("The text is too long (at most {limit} characters).").format(limit=NAME_MAX),
                )
            )
        if len(party.commitments) > NOTE_MAX:
            problems.append(
                (
                    f"sip.{index}.commitments",
                    _("The text is too long (at most {limit} characters).").format(limit=NOTE_MAX),
                )
            )
    if sip.lead.strip() and sip.lead.strip() not in names:
        problems.append(("sip.lead", _("The leading party must be one of the organisations.")))
    if sip.parties and not sip.lead.strip():
        problems.append(("sip.lead", _("Choose which organisation leads the coordination.")))
    return problems


# --- JSON (de)serialisation of a version ---------------------------------------------------------


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _pd(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _responsible_json(r: Responsible | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"kind": r.kind.value, "name": r.name, "party": r.party, "user_id": r.user_id}


def _responsible(data: Any) -> Responsible | None:
    if not data:
        return None
    return Responsible(
        ResponsibleKind(data["kind"]), data["name"], data.get("party"), data.get("user_id")
    )


def snapshot_to_json(plan: PlanSnapshot, sip: SipInfo) -> str:
    data: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "plan_uid": plan.plan_uid,
        "version": plan.version,
        "state": plan.state.value,
        "start": _d(plan.start),
        "template_id": plan.template_id,
        "previous_version": plan.previous_version,
        "participants": list(plan.participants),
        "goals": [
            {
                "uid": g.uid,
                "text": g.text,
                "rating_area": g.rating_area,
                "suggestion": g.suggestion,
                "actions": [
                    {
                        "uid": a.uid,
                        "text": a.text,
                        "responsible": _responsible_json(a.responsible),
                        "start": _d(a.start),
                        "due": _d(a.due),
                        "status": a.status.value,
                        "note": a.note,
                        "phase": a.phase,
                    }
                    for a in g.actions
                ],
            }
            for g in plan.goals
        ],
        "follow_up_points": [{"on": _d(p.on), "text": p.text} for p in plan.follow_up_points],
        "agreement": None
        if plan.agreement is None
        else {
            "agreed_on": _d(plan.agreement.agreed_on),
            "present": list(plan.agreement.present),
            "client_agreed": plan.agreement.client_agreed,
            "client_signed": plan.agreement.client_signed,
        },
        "follow_ups": [
            {
                "held_on": _d(f.held_on),
                "note": f.note,
                "goal_results": [
                    {"goal_uid": r.goal_uid, "reached": r.reached, "comment": r.comment}
                    for r in f.goal_results
                ],
                "action_results": [
                    {"action_uid": r.action_uid, "status": r.status.value, "outcome": r.outcome}
                    for r in f.action_results
                ],
            }
            for f in plan.follow_ups
        ],
        "sip": {
            "lead": sip.lead,
            "parties": [
                {"organisation": p.organisation, "contact": p.contact, "commitments": p.commitments}
                for p in sip.parties
            ],
        },
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _area_key(value: str | None) -> str | None:
    """The instrument's key for a goal's area (older snapshots said ``substance``/``adl``)."""
    if value is None:
        return None
    return LEGACY_RATING_AREAS.get(value, value)


def snapshot_from_json(text: str) -> tuple[PlanSnapshot, SipInfo]:
    data = json.loads(text)
    goals = tuple(
        GoalSnapshot(
            uid=g["uid"],
            text=g["text"],
            rating_area=_area_key(g.get("rating_area")),
            suggestion=g.get("suggestion", ""),
            actions=tuple(
                ActionSnapshot(
                    uid=a["uid"],
                    text=a["text"],
                    responsible=_responsible(a.get("responsible")),
                    start=_pd(a.get("start")),
                    due=_pd(a.get("due")),
                    status=ActionStatus(a.get("status", "planned")),
                    note=a.get("note", ""),
                    phase=a.get("phase"),
                )
                for a in g.get("actions", [])
            ),
        )
        for g in data.get("goals", [])
    )
    agreement = data.get("agreement")
    plan = PlanSnapshot(
        plan_uid=data["plan_uid"],
        version=data["version"],
        state=PlanState(data["state"]),
        start=_pd(data.get("start")),
        template_id=data.get("template_id"),
        goals=goals,
        follow_up_points=tuple(
            FollowUpPoint(dt.date.fromisoformat(p["on"]), p.get("text", ""))
            for p in data.get("follow_up_points", [])
        ),
        participants=tuple(data.get("participants", [])),
        previous_version=data.get("previous_version"),
        agreement=None
        if not agreement
        else AgreementRecord(
            agreed_on=dt.date.fromisoformat(agreement["agreed_on"]),
            present=tuple(agreement["present"]),
            client_agreed=agreement["client_agreed"],
            client_signed=agreement["client_signed"],
        ),
        follow_ups=tuple(
            FollowUpRecord(
                held_on=dt.date.fromisoformat(f["held_on"]),
                note=f.get("note", ""),
                goal_results=tuple(
                    GoalResult(r["goal_uid"], r["reached"], r.get("comment", ""))
                    for r in f.get("goal_results", [])
                ),
                action_results=tuple(
                    ActionResult(r["action_uid"], ActionStatus(r["status"]), r.get("outcome", ""))
                    for r in f.get("action_results", [])
                ),
            )
            for f in data.get("follow_ups", [])
        ),
    )
    sip_data = data.get("sip") or {}
    sip = SipInfo(
        parties=tuple(
            SipParty(p["organisation"], p.get("contact", ""), p.get("commitments", ""))
            for p in sip_data.get("parties", [])
        ),
        lead=sip_data.get("lead", ""),
    )
    return plan, sip


def due_rows(plan: PlanSnapshot) -> list[dict[str, Any]]:
    """The ``plan_due_items`` rows of a snapshot (without version_id), for bulk inserts."""
    rows: list[dict[str, Any]] = []
    for goal in plan.goals:
        for action in goal.actions:
            r = action.responsible
            rows.append(
                {
                    "kind": DueKind.ACTION.value,
                    "item_uid": action.uid,
                    "goal_uid": goal.uid,
                    "text": action.text[:200],
                    "start": action.start,
                    "due": action.due,
                    "done": action.done,
                    "phase": action.phase,
                    "responsible_kind": r.kind.value if r else None,
                    "responsible_user_id": r.user_id if r else None,
                    "responsible_name": (r.name if r else "")[:200],
                }
            )
    held = {f.held_on for f in plan.follow_ups}
    last_held = max(held) if held else None
    for index, point in enumerate(plan.follow_up_points):
        rows.append(
            {
                "kind": DueKind.FOLLOW_UP.value,
                "item_uid": f"fu{index}",
                "goal_uid": None,
                "text": point.text[:200],
                "start": None,
                "due": point.on,
                # A planned follow-up counts as held once a follow-up was recorded on or after it.
                "done": last_held is not None and last_held >= point.on,
                "phase": None,
                "responsible_kind": None,
                "responsible_user_id": None,
                "responsible_name": "",
            }
        )
    return rows
