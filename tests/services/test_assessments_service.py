"""Assessments service: drafts, signing rules, corrections, access, audit and follow-up figures."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError, NotFoundError
from hemlos_desktop.models.assessment import AssessmentStatus
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.models.client import ClientStatus, Gender
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.assessments import FollowupScope, SignedAssessmentError
from hemlos_desktop.services.case_overview import open_case_file
from hemlos_desktop.services.clients import set_status

TODAY = dt.date(2026, 11, 2)
KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


def rating(day: dt.date, *levels: int | None, reason: str = "") -> RatingDraft:
    if len(levels) == 1:
        levels = levels * len(KEYS)
    areas = tuple(
        AreaRating(key, level, not_assessed_reason=reason if level is None else "")
        for key, level in zip(KEYS, levels, strict=True)
    )
    return RatingDraft(SODERMALM_ID, 1, day, True, areas)


def signed(world: World, client: int, draft: RatingDraft, by: str = "admin", **kw: object) -> int:
    out = assessments.sign_draft(world.db, world.actors[by], client, draft, today=TODAY, **kw)  # type: ignore[arg-type]
    return out.value


def audit_actions(world: World, client: int) -> list[tuple[str, str]]:
    with world.db.read() as s:
        return [
            (e.action, e.detail)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.client_id == client))
        ]


def test_instrument_keys_match_the_shipped_file(world: World) -> None:
    assert instruments.current_instrument(world.db).area_keys == KEYS


def test_draft_save_sign_and_history(world: World) -> None:
    cid = world.add("Anna", "A", birth_date=dt.date(1980, 1, 1))
    actor = world.actors["anna"]
    draft_id = assessments.save_draft(world.db, actor, cid, rating(TODAY, 3)).value
    again = assessments.save_draft(
        world.db, actor, cid, rating(TODAY, 4, 3, 3, 2, 1), assessment_id=draft_id
    ).value
    assert again == draft_id
    assessments.sign(world.db, actor, draft_id, today=TODAY)
    # Opening the client's ratings is the person's action that is logged; the history query
    # itself writes nothing.
    open_case_file(world.db, actor, cid, part="assessments")
    [info] = assessments.history(world.db, actor, cid)
    assert info.signed and info.rater == "Anna Worker"
    assert info.levels() == dict(zip(KEYS, (4, 3, 3, 2, 1), strict=True))
    assert (info.instrument_id, info.instrument_version) == (SODERMALM_ID, 1)
    actions = audit_actions(world, cid)
    assert (AuditAction.SIGN.value, "assessment") in actions
    assert (AuditAction.VIEW.value, "assessments") in actions
    with pytest.raises(SignedAssessmentError):
        assessments.save_draft(world.db, actor, cid, rating(TODAY, 1), assessment_id=draft_id)


def test_drafts_are_private_to_their_rater(world: World) -> None:
    cid = world.add("Anna", "A")
    draft_id = assessments.save_draft(world.db, world.actors["anna"], cid, rating(TODAY, 3)).value
    assert assessments.history(world.db, world.actors["lead"], cid) == []
    with pytest.raises(NotFoundError):
        assessments.sign(world.db, world.actors["lead"], draft_id, today=TODAY)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (rating(TODAY + dt.timedelta(days=1), 3), "date"),
        (rating(dt.date(1979, 12, 31), 3), "date"),
        (rating(TODAY, 3, 3, None, 3, 3), "reason:substance_use"),
        (rating(TODAY, 3, 3, 9, 3, 3), "area:substance_use"),
    ],
)
def test_sign_refuses_bad_ratings_and_keeps_the_draft(
    world: World, draft: RatingDraft, field: str
) -> None:
    cid = world.add("Anna", "A", birth_date=dt.date(1980, 1, 1))
    actor = world.actors["admin"]
    draft_id = assessments.save_draft(world.db, actor, cid, draft).value
    with pytest.raises(ValidationFailed) as raised:
        assessments.sign(world.db, actor, draft_id, today=TODAY)
    assert field in {e.field for e in raised.value.errors}
    [kept] = assessments.history(world.db, actor, cid)
    assert kept.status is AssessmentStatus.DRAFT and kept.levels() == draft.levels()


def test_a_missing_area_with_a_reason_signs(world: World) -> None:
    cid = world.add("Anna", "A")
    aid = signed(world, cid, rating(TODAY, 2, 2, None, 2, 2, reason="Refused to answer"))
    [info] = assessments.history(world.db, world.actors["admin"], cid)
    assert info.id == aid and info.areas[2].not_assessed_reason == "Refused to answer"


def test_a_closed_case_is_not_rated(world: World) -> None:
    cid = world.add("Anna", "A")
    # The closed code closes one area (here every area), never the case: rating goes on.
    signed(world, cid, rating(TODAY - dt.timedelta(days=30), 6, 3, 6, 3, 3))
    signed(world, cid, rating(TODAY - dt.timedelta(days=20), 6))
    signed(world, cid, rating(TODAY, 3))
    latest = assessments.latest_signed(world.db, world.actors["admin"], cid)
    assert latest is not None and latest.qualification.status.value == "not_yet"
    other = world.add("Bo", "B")
    set_status(world.db, world.actors["admin"], other, ClientStatus.CLOSED, on=TODAY)
    with pytest.raises(ValidationFailed):
        signed(world, other, rating(TODAY, 3))


def test_correction_is_linked_and_both_are_kept(world: World) -> None:
    cid = world.add("Anna", "A")
    actor = world.actors["admin"]
    first = signed(world, cid, rating(dt.date(2026, 1, 5), 4))
    original = signed(world, cid, rating(dt.date(2026, 6, 1), 1))
    correction = assessments.start_correction(world.db, actor, original).value
    assessments.save_draft(
        world.db, actor, cid, rating(dt.date(2026, 6, 1), 3), assessment_id=correction
    )
    assessments.sign(world.db, actor, correction, today=TODAY)
    rows = {a.id: a for a in assessments.history(world.db, actor, cid)}
    assert set(rows) == {first, original, correction}
    assert rows[correction].corrects_id == original
    assert rows[original].corrected_by_ids == (correction,) and rows[original].superseded
    latest = assessments.latest_signed(world.db, actor, cid, lang="sv")
    assert latest is not None and latest.assessment.id == correction
    assert latest.qualification.text.startswith("Kvalificerar inte")
    with pytest.raises(NotFoundError):  # a draft is not corrected
        draft = assessments.save_draft(world.db, actor, cid, rating(TODAY, 2)).value
        assessments.start_correction(world.db, actor, draft)


def test_qualification_of_the_latest_rating(world: World) -> None:
    cid = world.add("Anna", "A")
    assert assessments.latest_signed(world.db, world.actors["admin"], cid) is None
    signed(world, cid, rating(TODAY, 2, 1, 2, 2, 1))
    latest = assessments.latest_signed(world.db, world.actors["admin"], cid, lang="en")
    assert latest is not None and latest.qualification.qualifies
    assert latest.qualification.text == "Qualifies: every area is 2 or lower"


def test_access_rules(world: World) -> None:
    cid = world.add("Anna", "A", team=world.team_a)
    with pytest.raises(NotFoundError):
        assessments.save_draft(world.db, world.actors["bo"], cid, rating(TODAY, 3))
    with pytest.raises(AccessDeniedError):
        assessments.save_draft(world.db, world.actors["audit"], cid, rating(TODAY, 3))
    signed(world, cid, rating(TODAY, 3), by="anna")
    assert len(assessments.history(world.db, world.actors["audit"], cid)) == 1
    with pytest.raises(NotFoundError):
        assessments.history(world.db, world.actors["bo"], cid)


def test_duplicate_area_is_refused(world: World) -> None:
    cid = world.add("Anna", "A")
    base = rating(TODAY, 3)
    twice = RatingDraft(SODERMALM_ID, 1, TODAY, True, (*base.areas, base.areas[0]))
    with pytest.raises(ValidationFailed):
        assessments.save_draft(world.db, world.actors["admin"], cid, twice)


# --- follow-up from the database, checked by hand -------------------------------------------


@pytest.fixture
def followup_world(world: World) -> dict[str, int]:
    a = world.add("A", "Woman", team=world.team_a, gender=Gender.WOMAN)
    b = world.add("B", "Man", team=world.team_a, gender=Gender.MAN)
    c = world.add(
        "C",
        "Woman",
        team=world.team_b,
        gender=Gender.WOMAN,
        responsible_user_id=world.actors["bo"].user_id,
    )
    signed(world, a, rating(dt.date(2026, 1, 10), 4))
    signed(world, a, rating(dt.date(2026, 6, 1), 2))
    signed(world, b, rating(dt.date(2026, 2, 1), 3))
    wrong = signed(world, b, rating(dt.date(2026, 5, 1), 1))
    fix = assessments.start_correction(world.db, world.actors["admin"], wrong).value
    assessments.save_draft(
        world.db, world.actors["admin"], b, rating(dt.date(2026, 5, 1), 3), assessment_id=fix
    )
    assessments.sign(world.db, world.actors["admin"], fix, today=TODAY)
    signed(world, c, rating(dt.date(2026, 3, 1), 5, 1, 1, 1, 1))
    signed(world, c, rating(dt.date(2025, 3, 1), 5))  # before the period
    assessments.save_draft(world.db, world.actors["admin"], c, rating(TODAY, 1))  # a draft
    return {"a": a, "b": b, "c": c}


PERIOD = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)}


def test_followup_figures_from_the_database(world: World, followup_world: dict[str, int]) -> None:
    figures = assessments.group_followup(world.db, world.actors["admin"], **PERIOD)  # type: ignore[arg-type]
    housing = figures.areas[0]
    assert housing.area_key == "housing"
    total, women, men = (housing.groups[g] for g in ("total", "woman", "man"))
    assert (total.assessed, total.followed_up) == (3, 2)
    assert total.first_mean == pytest.approx(4.0)
    assert total.latest_mean == pytest.approx(10 / 3)
    assert total.mean_change == pytest.approx(-1.0)
    assert (total.moved_into, total.moved_out) == (1, 0)
    assert dict(total.first_distribution) == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert (women.assessed, women.first_mean, women.latest_mean) == (2, 4.5, 3.5)
    assert (women.mean_change, women.moved_into) == (-2.0, 1)
    assert (men.assessed, men.first_mean, men.latest_mean, men.mean_change) == (1, 3.0, 3.0, 0.0)
    q = figures.qualification["total"]
    assert (q.clients, q.followed_up, q.qualified_first, q.qualified_latest) == (3, 2, 0, 1)
    assert (q.moved_into, q.moved_out) == (1, 0)
    income_women = figures.areas[1].groups["woman"]
    assert (income_women.first_mean, income_women.latest_mean) == (2.5, 1.5)


def test_followup_scopes(world: World, followup_world: dict[str, int]) -> None:
    admin = world.actors["admin"]
    team_a = assessments.group_followup(
        world.db,
        admin,
        scope=FollowupScope.TEAM,
        scope_id=world.team_a,
        **PERIOD,  # type: ignore[arg-type]
    )
    assert team_a.areas[0].groups["total"].assessed == 2
    mine = assessments.group_followup(
        world.db,
        admin,
        scope=FollowupScope.CASEWORKER,
        scope_id=world.actors["bo"].user_id,
        **PERIOD,  # type: ignore[arg-type]
    )
    assert mine.areas[0].groups["total"].assessed == 1
    # A caseworker sees only the clients they may see.
    seen_by_anna = assessments.group_followup(world.db, world.actors["anna"], **PERIOD)  # type: ignore[arg-type]
    assert seen_by_anna.areas[0].groups["total"].assessed == 2
    with pytest.raises(ValidationFailed):
        assessments.group_followup(
            world.db, admin, period_start=dt.date(2026, 2, 1), period_end=dt.date(2026, 1, 1)
        )


def test_followup_export_csv_and_xlsx(
    world: World, followup_world: dict[str, int], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    admin = world.actors["admin"]
    figures = assessments.group_followup(world.db, admin, **PERIOD)  # type: ignore[arg-type]
    assessments.export_followup(world.db, admin, tmp_path / "f.csv", figures, lang="sv")
    assessments.export_followup(
        world.db, admin, tmp_path / "f.xlsx", figures, lang="da", kind="xlsx"
    )
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Område;") and "Kvinnor" in text
    assert (tmp_path / "f.xlsx").read_bytes()[:2] == b"PK"
    with world.db.read() as s:
        details = list(
            s.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == AuditAction.EXPORT.value)
            )
        )
    assert details == ["followup csv", "followup xlsx"]
