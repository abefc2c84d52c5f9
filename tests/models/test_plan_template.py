"""Plan method templates: the shipped files, the checker's errors, and instantiation. No Qt."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.cti import cti_phases
from hemlos_desktop.models.plan_draft import draft_snapshot, instantiate
from hemlos_desktop.models.plan_rules import RATING_AREAS, ResponsibleKind, validate_for_agreement
from hemlos_desktop.models.plan_template import (
    PlanTemplate,
    TemplateError,
    Texts,
    load_folder,
    load_template,
    parse_template,
    shipped_template,
    shipped_templates,
)

EXPECTED_IDS = {
    "act",
    "assessment_and_plan",
    "cti",
    "housing_first",
    "icm",
    "outreach",
    "release_roadmap",
}

GOOD = """
id = "mini"
version = 2
time_bound = true
name = { sv = "Mini sv", da = "Mini da", en = "Mini en" }
description = { sv = "Beskrivning", da = "Beskrivelse", en = "Description" }

[[phases]]
key = "one"
name = { sv = "Ett", da = "Et", en = "One" }
start_offset_days = 0
length_days = 10

[[phases]]
key = "two"
name = { sv = "Två", da = "To", en = "Two" }
start_offset_days = 10
length_days = 20

[[goals]]
key = "home"
rating_area = "housing"
text = { sv = "Jag vill bo", da = "Jeg vil bo", en = "I want a home" }

[[goals.actions]]
key = "apply"
text = { sv = "Söka", da = "Søge", en = "Apply" }
responsible = "outside"
suggested_party = "landlord"
phase = "two"
start_offset_days = 12
due_offset_days = 25

[[follow_ups]]
offset_days = 30
text = { sv = "Uppföljning", da = "Opfølgning", en = "Follow-up" }

[[follow_ups]]
offset_days = 5
text = { sv = "Tidig", da = "Tidlig", en = "Early" }
"""


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> dict[str, str]:
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, text))
    assert all(p.file == "t.toml" for p in info.value.problems)
    return {p.item: p.message for p in info.value.problems}


def test_every_method_is_shipped() -> None:
    templates = shipped_templates()
    assert {t.id for t in templates} == EXPECTED_IDS
    assert [t.id for t in templates] == sorted(EXPECTED_IDS)


@pytest.mark.parametrize("language", ["sv", "da", "en"])
@pytest.mark.parametrize("template_id", sorted(EXPECTED_IDS))
def test_shipped_template_instantiates_in_every_language(template_id: str, language: str) -> None:
    template = shipped_template(template_id)
    draft = instantiate(template, date(2026, 3, 1), language)
    assert draft.goals and draft.follow_ups
    texts = [template.name.get(language), template.description.get(language)]
    for goal in draft.goals:
        assert goal.actions, goal.key
        texts.append(goal.text)
        texts += [a.text for a in goal.actions]
    texts += [f.text for f in draft.follow_ups]
    assert all(t.strip() for t in texts)
    # The three languages really differ (no English left in a Swedish or Danish template).
    if language != "en":
        english = {g.text for g in instantiate(template, date(2026, 3, 1), "en").goals}
        assert not english & {g.text for g in draft.goals}


@pytest.mark.parametrize("template", shipped_templates(), ids=lambda t: t.id)
def test_shipped_templates_are_sound(template: PlanTemplate) -> None:
    assert template.version >= 1
    assert template.source == f"{template.id}.toml"
    for goal in template.goals:
        assert goal.rating_area is None or goal.rating_area in RATING_AREAS
    for _goal, action in template.actions():
        assert action.due_offset_days >= action.start_offset_days
        if action.suggested_party is not None:
            assert action.responsible is ResponsibleKind.OUTSIDE
    assert template.time_bound == bool(template.phases)


def test_cti_template_has_three_phases_of_about_three_months() -> None:
    cti = shipped_template("cti")
    assert [p.key for p in cti.phases] == ["transition", "try_out", "transfer_of_care"]
    assert all(89 <= p.length_days <= 92 for p in cti.phases)
    phase_keys = {action.phase for _goal, action in cti.actions()}
    assert phase_keys == {"transition", "try_out", "transfer_of_care"}


def test_release_roadmap_is_anchored_on_the_release_day() -> None:
    roadmap = shipped_template("release_roadmap")
    draft = instantiate(roadmap, date(2026, 5, 15), "da")
    assert [p.key for p in draft.phases] == ["before_release", "release_day", "after_release"]
    release_day = draft.phases[1]
    assert release_day.start == release_day.end == date(2026, 5, 15)
    assert draft.phases[0].end == date(2026, 5, 14)
    assert draft.follow_ups[0].on < date(2026, 5, 15)


def test_instantiate_applies_offsets(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, GOOD))
    start = date(2026, 1, 31)
    draft = instantiate(template, start, "sv")
    assert draft.template_id == "mini"
    assert draft.template_version == 2
    assert draft.language == "sv"
    (goal,) = draft.goals
    assert goal.text == "Jag vill bo"
    assert goal.rating_area == "housing"
    (action,) = goal.actions
    assert action.start == start + timedelta(days=12)
    assert action.due == start + timedelta(days=25)
    assert action.responsible is ResponsibleKind.OUTSIDE
    assert action.suggested_party == "landlord"
    assert action.phase == "two"
    # Follow-ups come out in date order whatever order the file has.
    assert [f.on for f in draft.follow_ups] == [date(2026, 2, 5), date(2026, 3, 2)]
    assert [(p.start, p.end) for p in draft.phases] == [
        (date(2026, 1, 31), date(2026, 2, 9)),
        (date(2026, 2, 10), date(2026, 3, 1)),
    ]


def test_instantiate_refuses_unknown_language(tmp_path: Path) -> None:
    template = load_template(write(tmp_path, GOOD))
    with pytest.raises(ValueError, match="unsupported"):
        instantiate(template, date(2026, 1, 1), "de")
    with pytest.raises(ValueError, match="unsupported"):
        Texts("a", "b", "c").get("fr")


def test_unreadable_and_unparsable_files(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        load_template(tmp_path / "missing.toml")
    assert "cannot be read" in info.value.message()
    with pytest.raises(TemplateError) as info:
        load_template(write(tmp_path, 'id = "x"\nname = {'))
    assert "not valid TOML" in info.value.message()
    bad_bytes = tmp_path / "latin.toml"
    bad_bytes.write_bytes('id = "h\xe9"'.encode("latin-1"))
    with pytest.raises(TemplateError) as info:
        load_template(bad_bytes)
    assert "UTF-8" in info.value.message()
    big = write(tmp_path, "# " + "x" * (600 * 1024))
    with pytest.raises(TemplateError) as info:
        load_template(big)
    assert "too large" in info.value.message()


def test_template_error_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        load_template(tmp_path / "nope.toml")
    error = info.value
    assert isinstance(error, HemlosError)
    assert error.title() and error.advice()
    assert "nope.toml" in error.full_text()


def test_every_kind_of_problem_is_collected_at_once(tmp_path: Path) -> None:
    text = """
id = "Bad Id"
version = 0
time_bound = "yes"
colour = "red"
name = { sv = "Namn", da = "", fr = "Nom" }
description = "just a string"

[[phases]]
key = "p1"
name = { sv = "a", da = "b", en = "c" }
start_offset_days = 0
length_days = 0

[[phases]]
key = "p1"
name = { sv = "a", da = "b", en = "c" }
start_offset_days = -5
length_days = 3

[[goals]]
key = "g"
rating_area = "happiness"
text = { sv = "a", da = "b", en = "c" }

[[goals.actions]]
key = "a1"
text = { sv = "a", da = "b" }
responsible = "mayor"
phase = "p9"
start_offset_days = 10
due_offset_days = 5

[[goals.actions]]
key = "a1"
text = { sv = "a", da = "b", en = "c" }
responsible = "unit"
suggested_party = "landlord"
due_offset_days = "soon"

[[goals.actions]]
key = "a3"
text = { sv = "a", da = "b", en = "c" }
responsible = "outside"
suggested_party = "king"
due_offset_days = true

[[follow_ups]]
offset_days = 99999
text = { sv = "a", da = "b", en = "c" }
unexpected = 1
"""
    found = problems_of(tmp_path, text)
    expected_items = {
        "id",
        "version",
        "time_bound",
        "colour",
        "name.da",
        "name.en",
        "name.fr",
        "description",
        "phases[1].length_days",
        "phases[2].key",
        "phases[2].start_offset_days",
        "goals[1].rating_area",
        "goals[1].actions[1].text.en",
        "goals[1].actions[1].responsible",
        "goals[1].actions[1].phase",
        "goals[1].actions[1].due_offset_days",
        "goals[1].actions[2].key",
        "goals[1].actions[2].suggested_party",
        "goals[1].actions[2].due_offset_days",
        "goals[1].actions[3].suggested_party",
        "goals[1].actions[3].due_offset_days",
        "follow_ups[1].offset_days",
        "follow_ups[1].unexpected",
    }
    assert expected_items <= set(found), expected_items - set(found)
    assert "Unknown field" in found["colour"]
    assert "Unknown language" in found["name.fr"]
    assert "missing or empty" in found["name.da"]
    assert "used twice" in found["phases[2].key"]
    assert "before the previous phase" in found["phases[2].start_offset_days"]
    assert "happiness" in found["goals[1].rating_area"]
    assert "no phase" in found["goals[1].actions[1].phase"]
    assert "before the start day" in found["goals[1].actions[1].due_offset_days"]
    assert "outside party" in found["goals[1].actions[2].suggested_party"]
    assert "whole number" in found["goals[1].actions[2].due_offset_days"]
    assert "whole number" in found["goals[1].actions[3].due_offset_days"]
    assert "between" in found["follow_ups[1].offset_days"]


def test_missing_required_fields(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "time_bound = true\n")
    for item in ("id", "version", "name", "description", "goals", "phases"):
        assert item in found, item
    assert "required" in found["id"]
    assert "at least one phase" in found["phases"]
    found = problems_of(
        tmp_path,
        GOOD.replace("time_bound = true", "time_bound = false")
        .replace('key = "apply"\n', "")
        .replace('responsible = "outside"\n', ""),
    )
    assert "Only a time-bound" in found["phases"]
    assert "required" in found["goals[1].actions[1].key"]
    assert "required" in found["goals[1].actions[1].responsible"]


def test_wrong_shapes(tmp_path: Path) -> None:
    no_actions = GOOD.split("[[goals.actions]]", maxsplit=1)[0]
    found = problems_of(tmp_path, no_actions.replace('key = "home"', 'key = "home"\nactions = 3'))
    assert "list of tables" in found["goals[1].actions"]
    long_text = "x" * 2001
    found = problems_of(tmp_path, GOOD.replace('en = "Apply"', f'en = "{long_text}"'))
    assert "longer than" in found["goals[1].actions[1].text.en"]


def test_problems_are_translated(tmp_path: Path) -> None:
    text = 'colour = "red"\n' + GOOD
    try:
        i18n.set_language("sv")
        assert "Okänt fält" in problems_of(tmp_path, text)["colour"]
        i18n.set_language("da")
        assert "Ukendt felt" in problems_of(tmp_path, text)["colour"]
    finally:
        i18n.set_language("en")


CTI = shipped_template("cti")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_cti_draft_uses_calendar_month_phases_and_actions_fit(start: date) -> None:
    draft = instantiate(CTI, start, "en")
    calendar = cti_phases(start)
    assert [(p.start, p.end) for p in draft.phases] == [(c.start, c.end) for c in calendar]
    by_key = {p.key: p for p in draft.phases}
    for goal in draft.goals:
        for action in goal.actions:
            assert action.phase is not None
            phase = by_key[action.phase]
            assert phase.start <= action.start <= action.due <= phase.end, action.key


@pytest.mark.parametrize("template", shipped_templates(), ids=lambda t: t.id)
def test_draft_snapshot_is_ready_for_the_worker(template: PlanTemplate) -> None:
    counter = iter(range(1000))
    draft = instantiate(template, date(2026, 2, 1), "sv")
    plan = draft_snapshot(draft, plan_uid="p", new_uid=lambda: f"u{next(counter)}")
    assert plan.template_id == template.id and plan.version == 1
    assert len(plan.follow_up_points) == len(template.follow_ups)
    # Only the client's own words and the names of the responsible are left to fill in: the
    # template's goals are suggestions, not text put in the client's mouth.
    assert {p.field.rsplit(".", 1)[1] for p in validate_for_agreement(plan)} == {
        "text",
        "responsible",
    }
    assert all(goal.text == "" and goal.suggestion for goal in plan.goals)
    assert [g.suggestion for g in plan.goals] == [g.text for g in draft.goals]
    named = replace(
        plan,
        goals=tuple(
            replace(
                goal,
                text="Jag vill ha ett eget hem",
                actions=tuple(
                    replace(a, responsible=replace(a.responsible, name="Anna"))
                    for a in goal.actions
                    if a.responsible is not None
                ),
            )
            for goal in plan.goals
        ),
    )
    assert validate_for_agreement(named) == []
    for goal in named.goals:
        for action in goal.actions:
            assert action.responsible is not None
            kinds = {a.responsible for _g, a in template.actions()}
            assert action.responsible.kind in kinds


def test_draft_snapshot_gives_fresh_uids() -> None:
    plan = draft_snapshot(
        instantiate(shipped_template("icm"), date(2026, 2, 1), "da"), plan_uid="p"
    )
    uids = [g.uid for g in plan.goals] + [a.uid for g in plan.goals for a in g.actions]
    assert len(set(uids)) == len(uids)


def test_load_folder_keeps_good_templates_and_reports_broken_ones(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")  # the same id again
    write(tmp_path, "id = [", "c.toml")
    write(tmp_path, GOOD.replace('id = "mini"', 'id = "other"'), "d.toml")
    templates, errors = load_folder(tmp_path)
    assert [t.id for t in templates] == ["mini", "other"]
    assert [e.problems[0].file for e in errors] == ["b.toml", "c.toml"]
    assert "already uses the id" in errors[0].message()


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.sampled_from(["", "x", "sv", "landlord", "outside", "unit", "one", "housing", "Bad Key"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["key", "sv", "da", "en", "text", "name", "phase", "actions", "odd"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_FIELDS = st.sampled_from(
    ["id", "version", "time_bound", "name", "description", "phases", "goals", "follow_ups", "x"]
)


@settings(max_examples=60)
@given(st.dictionaries(_FIELDS, _VALUES, max_size=8))
def test_checker_never_crashes_on_odd_data(data: dict[str, object]) -> None:
    try:
        parse_template(data, source="fuzz.toml")
    except TemplateError as error:
        assert error.problems
        assert all(p.file == "fuzz.toml" and p.message for p in error.problems)
