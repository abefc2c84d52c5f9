"""Method templates for individual plans: data files in ``resources/plan_templates/``.

One TOML file per method (Housing First, CTI, ICM, ACT, assessment and plan, the release
road-map, outreach). A template pre-fills goals, actions and follow-up points; the worker then
adapts them with the client. Every text is given in Swedish, Danish and English in the file
itself (the templates are data, not gettext strings), so a municipality can adjust them without
touching code.

File format (all keys shown; ``rating_area``, ``suggested_party`` and ``phase`` are optional)::

    id = "cti"                       # lower case letters, digits, underscore
    version = 1                      # whole number >= 1
    time_bound = true                # true: phases are required (CTI)
    name = { sv = "...", da = "...", en = "..." }
    description = { sv = "...", da = "...", en = "..." }

    [[phases]]
    key = "transition"
    name = { sv = "...", da = "...", en = "..." }
    start_offset_days = 0
    length_days = 91

    [[goals]]
    key = "housing"
    rating_area = "housing"          # housing / income / substance / adl / occupation
    text = { sv = "...", da = "...", en = "..." }

    [[goals.actions]]
    key = "visit_home"               # unique in the whole template
    text = { sv = "...", da = "...", en = "..." }
    responsible = "outside"          # team_member / unit / outside
    suggested_party = "landlord"     # see plan_rules.OUTSIDE_PARTIES
    phase = "transition"             # a key from [[phases]]
    start_offset_days = 0            # days from the plan start; negative = before it
    due_offset_days = 14

    [[follow_ups]]
    offset_days = 30
    text = { sv = "...", da = "...", en = "..." }

:func:`load_template` checks everything and collects *all* problems before it raises one
:class:`TemplateError`, so whoever edits a template sees every mistake at once. A template
becomes a dated draft in :mod:`.plan_draft`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import SUPPORTED_LANGUAGES
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.plan_rules import (
    OUTSIDE_PARTIES,
    RATING_AREAS,
    ResponsibleKind,
)
from hemlos_desktop.resources import resource_path

TEMPLATE_FOLDER = "plan_templates"
MAX_FILE_BYTES = 512 * 1024
MAX_TEXT_LENGTH = 2000
MAX_OFFSET_DAYS = 5 * 366
# Offsets may be negative: the plan start is the anchor (a release day), work starts before it.
MIN_OFFSET_DAYS = -366
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")

_TOP_KEYS = frozenset(
    {"id", "version", "time_bound", "name", "description", "phases", "goals", "follow_ups"}
)
_PHASE_KEYS = frozenset({"key", "name", "start_offset_days", "length_days"})
_GOAL_KEYS = frozenset({"key", "text", "rating_area", "actions"})
_ACTION_KEYS = frozenset(
    {
        "key",
        "text",
        "responsible",
        "suggested_party",
        "phase",
        "start_offset_days",
        "due_offset_days",
    }
)
_FOLLOW_UP_KEYS = frozenset({"offset_days", "text"})


@dataclass(frozen=True)
class Texts:
    """One text in every supported language."""

    sv: str
    da: str
    en: str

    def get(self, language: str) -> str:
        if language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language: {language!r}")
        text: str = getattr(self, language)
        return text


@dataclass(frozen=True)
class TemplatePhase:
    key: str
    name: Texts
    start_offset_days: int
    length_days: int


@dataclass(frozen=True)
class TemplateAction:
    key: str
    text: Texts
    responsible: ResponsibleKind
    suggested_party: str | None  # a key of OUTSIDE_PARTIES
    phase: str | None  # a TemplatePhase.key
    start_offset_days: int
    due_offset_days: int


@dataclass(frozen=True)
class TemplateGoal:
    key: str
    text: Texts
    rating_area: str | None  # a key of RATING_AREAS
    actions: tuple[TemplateAction, ...]


@dataclass(frozen=True)
class TemplateFollowUp:
    offset_days: int
    text: Texts


@dataclass(frozen=True)
class PlanTemplate:
    id: str
    version: int
    name: Texts
    description: Texts
    time_bound: bool
    phases: tuple[TemplatePhase, ...]
    goals: tuple[TemplateGoal, ...]
    follow_ups: tuple[TemplateFollowUp, ...]
    source: str  # file name, for messages

    def actions(self) -> Iterator[tuple[TemplateGoal, TemplateAction]]:
        for goal in self.goals:
            for action in goal.actions:
                yield goal, action


@dataclass(frozen=True)
class TemplateProblem:
    """One mistake in a template file: ``item`` is a path such as ``goals[2].actions[1].text``."""

    file: str
    item: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.item}: {self.message}"
            if self.item
            else (f"{self.file}: {self.message}")
        )


class TemplateError(HemlosError):
    """A plan template file that cannot be used; ``problems`` lists every mistake found."""

    problems: tuple[TemplateProblem, ...] = ()

    def __init__(self, problems: tuple[TemplateProblem, ...]) -> None:
        super().__init__(f"{len(problems)} problem(s) in plan template")
        self.problems = problems

    def title(self) -> str:
        return _("The plan template cannot be used")

    def message(self) -> str:
        listed = "\n".join(str(problem) for problem in self.problems)
        return listed or _("The plan template has mistakes.")

    def advice(self) -> str:
        return _(
            "Correct the template file (or ask whoever maintains your templates) and try "
            "again. The other templates can still be used."
        )


class _Checker:
    """Reads one parsed template and collects problems instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[TemplateProblem] = []

    def add(self, item: str, message: str) -> None:
        self.problems.append(TemplateProblem(self.file, item, message))

    def unknown_keys(self, table: Mapping[str, Any], allowed: frozenset[str], item: str) -> None:
        for key in sorted(set(table) - allowed):
            self.add(_join(item, key), _("Unknown field '{name}'.").format(name=key))

    def table_list(self, table: Mapping[str, Any], key: str, item: str) -> list[Mapping[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(_join(item, key), _("Must be a list of tables ([[{name}]]).").format(name=key))
            return []
        return value

    def key(self, table: Mapping[str, Any], item: str, seen: set[str]) -> str:
        value = table.get("key")
        if value is None:
            self.add(_join(item, "key"), _("This field is required."))
            return ""
        if not isinstance(value, str) or not _KEY.fullmatch(value):
            self.add(
                _join(item, "key"),
                _("Use lower-case letters a-z, digits and underscores (at most 40)."),
            )
            return ""
        if value in seen:
            self.add(_join(item, "key"), _("The key '{key}' is used twice.").format(key=value))
        seen.add(value)
        return value

    def texts(self, table: Mapping[str, Any], key: str, item: str) -> Texts:
        where = _join(item, key)
        value = table.get(key)
        if value is None:
            self.add(where, _("This field is required."))
            return Texts("", "", "")
        if not isinstance(value, dict):
            self.add(where, _("Must be a table with the languages sv, da and en."))
            return Texts("", "", "")
        for extra in sorted(set(value) - set(SUPPORTED_LANGUAGES)):
            self.add(_join(where, extra), _("Unknown language '{code}'.").format(code=extra))
        found: dict[str, str] = {}
        for language in SUPPORTED_LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.add(
                    _join(where, language),
                    _("The text in language '{code}' is missing or empty.").format(code=language),
                )
                text = ""
            elif len(text) > MAX_TEXT_LENGTH:
                self.add(
                    _join(where, language),
                    _("The text is longer than {limit} characters.").format(limit=MAX_TEXT_LENGTH),
                )
            found[language] = text.strip() if isinstance(text, str) else ""
        return Texts(found["sv"], found["da"], found["en"])

    def integer(
        self, table: Mapping[str, Any], key: str, item: str, *, minimum: int, default: int | None
    ) -> int:
        where = _join(item, key)
        value = table.get(key, default)
        if value is None:
            self.add(where, _("This field is required."))
            return minimum
        # bool is a subclass of int; "true" is not a number of days.
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(where, _("Must be a whole number."))
            return minimum
        if value < minimum or value > MAX_OFFSET_DAYS:
            self.add(
                where,
                _("Must be between {low} and {high}.").format(low=minimum, high=MAX_OFFSET_DAYS),
            )
            return minimum
        return value

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        item: str,
        allowed: tuple[str, ...],
        *,
        required: bool,
    ) -> str | None:
        where = _join(item, key)
        value = table.get(key)
        if value is None:
            if required:
                self.add(where, _("This field is required."))
            return None
        if not isinstance(value, str) or value not in allowed:
            self.add(
                where,
                _("'{value}' is not allowed here; use one of: {choices}.").format(
                    value=value, choices=", ".join(allowed)
                ),
            )
            return None
        return value


def _join(item: str, key: str) -> str:
    return f"{item}.{key}" if item else key


def parse_template(data: Mapping[str, Any], *, source: str) -> PlanTemplate:
    """Check an already parsed template table; raise :class:`TemplateError` with every problem."""
    check = _Checker(source)
    check.unknown_keys(data, _TOP_KEYS, "")
    template_id = data.get("id")
    if template_id is None:
        check.add("id", _("This field is required."))
        template_id = ""
    elif not isinstance(template_id, str) or not _KEY.fullmatch(template_id):
        check.add("id", _("Use lower-case letters a-z, digits and underscores (at most 40)."))
        template_id = ""
    version = check.integer(data, "version", "", minimum=1, default=None)
    time_bound = data.get("time_bound", False)
    if not isinstance(time_bound, bool):
        check.add("time_bound", _("Must be true or false."))
        time_bound = False
    name = check.texts(data, "name", "")
    description = check.texts(data, "description", "")

    phases: list[TemplatePhase] = []
    phase_keys: set[str] = set()
    previous_end = MIN_OFFSET_DAYS
    for index, table in enumerate(check.table_list(data, "phases", "")):
        item = f"phases[{index + 1}]"
        check.unknown_keys(table, _PHASE_KEYS, item)
        key = check.key(table, item, phase_keys)
        before = len(check.problems)
        start = check.integer(
            table, "start_offset_days", item, minimum=MIN_OFFSET_DAYS, default=None
        )
        length = check.integer(table, "length_days", item, minimum=1, default=None)
        if index and len(check.problems) == before and start < previous_end:
            check.add(
                _join(item, "start_offset_days"),
                _("The phase starts before the previous phase has ended."),
            )
        previous_end = start + length
        phases.append(TemplatePhase(key, check.texts(table, "name", item), start, length))
    if time_bound and not phases:
        check.add("phases", _("A time-bound template needs at least one phase."))
    if phases and not time_bound:
        check.add("phases", _("Only a time-bound template (time_bound = true) has phases."))

    goals: list[TemplateGoal] = []
    goal_keys: set[str] = set()
    action_keys: set[str] = set()
    goal_tables = check.table_list(data, "goals", "")
    if not goal_tables and isinstance(data.get("goals", []), list):
        check.add("goals", _("A template needs at least one goal."))
    for g_index, table in enumerate(goal_tables):
        item = f"goals[{g_index + 1}]"
        check.unknown_keys(table, _GOAL_KEYS, item)
        key = check.key(table, item, goal_keys)
        text = check.texts(table, "text", item)
        area = check.choice(table, "rating_area", item, RATING_AREAS, required=False)
        actions: list[TemplateAction] = []
        for a_index, action_table in enumerate(check.table_list(table, "actions", item)):
            actions.append(
                _parse_action(
                    check, action_table, f"{item}.actions[{a_index + 1}]", phase_keys, action_keys
                )
            )
        goals.append(TemplateGoal(key, text, area, tuple(actions)))

    follow_ups: list[TemplateFollowUp] = []
    for index, table in enumerate(check.table_list(data, "follow_ups", "")):
        item = f"follow_ups[{index + 1}]"
        check.unknown_keys(table, _FOLLOW_UP_KEYS, item)
        offset = check.integer(table, "offset_days", item, minimum=MIN_OFFSET_DAYS, default=None)
        follow_ups.append(TemplateFollowUp(offset, check.texts(table, "text", item)))

    if check.problems:
        raise TemplateError(tuple(check.problems))
    return PlanTemplate(
        id=template_id,
        version=version,
        name=name,
        description=description,
        time_bound=time_bound,
        phases=tuple(phases),
        goals=tuple(goals),
        follow_ups=tuple(sorted(follow_ups, key=lambda f: f.offset_days)),
        source=source,
    )


def _parse_action(
    check: _Checker,
    table: Mapping[str, Any],
    item: str,
    phase_keys: set[str],
    action_keys: set[str],
) -> TemplateAction:
    check.unknown_keys(table, _ACTION_KEYS, item)
    key = check.key(table, item, action_keys)
    text = check.texts(table, "text", item)
    kinds = tuple(kind.value for kind in ResponsibleKind)
    kind = check.choice(table, "responsible", item, kinds, required=True)
    party = check.choice(table, "suggested_party", item, OUTSIDE_PARTIES, required=False)
    if party is not None and kind is not None and kind != ResponsibleKind.OUTSIDE:
        check.add(
            _join(item, "suggested_party"),
            _('Only an outside party (responsible = "outside") has a suggested party.'),
        )
    phase = table.get("phase")
    if phase is not None and (not isinstance(phase, str) or phase not in phase_keys):
        check.add(
            _join(item, "phase"),
            _("There is no phase with the key '{key}'.").format(key=phase),
        )
        phase = None
    before = len(check.problems)
    start = check.integer(table, "start_offset_days", item, minimum=MIN_OFFSET_DAYS, default=0)
    due = check.integer(table, "due_offset_days", item, minimum=MIN_OFFSET_DAYS, default=None)
    if len(check.problems) == before and due < start:
        check.add(
            _join(item, "due_offset_days"),
            _("The due day comes before the start day."),
        )
    return TemplateAction(
        key=key,
        text=text,
        responsible=ResponsibleKind(kind) if kind else ResponsibleKind.TEAM_MEMBER,
        suggested_party=party,
        phase=phase,
        start_offset_days=start,
        due_offset_days=due,
    )


def load_template(path: Path) -> PlanTemplate:
    """Read and check one template file; raise :class:`TemplateError` listing every problem."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError:
        problem = TemplateProblem(source, "", _("The file cannot be read."))
        raise TemplateError((problem,)) from None
    if len(raw) > MAX_FILE_BYTES:
        problem = TemplateProblem(source, "", _("The file is too large for a plan template."))
        raise TemplateError((problem,))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        problem = TemplateProblem(source, "", _("The file is not UTF-8 text."))
        raise TemplateError((problem,)) from None
    except tomllib.TOMLDecodeError as exc:
        # The parser's message names a line and column and never contains data values.
        problem = TemplateProblem(
            source, "", _("The file is not valid TOML ({detail}).").format(detail=str(exc))
        )
        raise TemplateError((problem,)) from None
    return parse_template(data, source=source)


def template_folder() -> Path:
    return resource_path(TEMPLATE_FOLDER)


def load_folder(folder: Path) -> tuple[tuple[PlanTemplate, ...], tuple[TemplateError, ...]]:
    """Every ``*.toml`` template in ``folder`` that loads, sorted by id, and the errors of the
    rest, so one broken file does not hide the others. A second file with an id already
    loaded is an error."""
    templates: dict[str, PlanTemplate] = {}
    errors: list[TemplateError] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            template = load_template(path)
        except TemplateError as error:
            errors.append(error)
            continue
        if template.id in templates:
            message = _("Another template file already uses the id '{id}'.").format(id=template.id)
            errors.append(TemplateError((TemplateProblem(path.name, "id", message),)))
            continue
        templates[template.id] = template
    return tuple(templates[key] for key in sorted(templates)), tuple(errors)


def shipped_templates() -> tuple[PlanTemplate, ...]:
    """Every template shipped with the program, sorted by id (raises on a broken file)."""
    templates = [load_template(path) for path in sorted(template_folder().glob("*.toml"))]
    return tuple(sorted(templates, key=lambda t: t.id))


def shipped_template(template_id: str) -> PlanTemplate:
    for template in shipped_templates():
        if template.id == template_id:
            return template
    raise KeyError(template_id)
