"""Group follow-up of independence ratings, every figure in total and split by gender.

Pure functions on plain records (no database, no files): the assessments service loads the
records for a team, a caseworker or the whole register and hands them here. Definitions, per
client and area, counting only assessments dated within the period (both ends included):

- *assessed*: clients with at least one regular level (not the closed code) in the area;
- *first* / *latest*: the level in the earliest / latest such assessment;
- *followed up*: clients with at least two such assessments; the *mean change* is the mean of
  (latest - first) over them (positive = more independent);
- *moved into* / *moved out of* the qualifying range of the area: followed-up clients whose first
  level was above / at or below ``qualify_max_level`` and whose latest is the other side;
- the separate qualification figures apply the instrument's whole rule to each client's first and
  latest assessment in the period (clients with at least two assessments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hemlos_desktop.i18n import N_, translator_for
from hemlos_desktop.models.assessment_rules import qualifies
from hemlos_desktop.models.instrument import Instrument

GENDERS: tuple[str, ...] = ("woman", "man", "other", "not_stated")
TOTAL = "total"
GROUPS: tuple[str, ...] = (TOTAL, *GENDERS)

GROUP_LABELS: dict[str, str] = {
    TOTAL: N_("Total"),
    "woman": N_("Women"),
    "man": N_("Men"),
    "other": N_("Other gender"),
    "not_stated": N_("Gender not stated"),
}


@dataclass(frozen=True)
class DatedAssessment:
    rated_on: dt.date
    levels: Mapping[str, int | None]


@dataclass(frozen=True)
class ClientRecord:
    client_id: int
    gender: str
    assessments: tuple[DatedAssessment, ...]


@dataclass(frozen=True)
class AreaGroupFigures:
    assessed: int
    followed_up: int
    first_mean: float | None
    latest_mean: float | None
    first_distribution: tuple[tuple[int, int], ...]
    latest_distribution: tuple[tuple[int, int], ...]
    mean_change: float | None
    moved_into: int
    moved_out: int


@dataclass(frozen=True)
class AreaFigures:
    area_key: str
    groups: Mapping[str, AreaGroupFigures]


@dataclass(frozen=True)
class QualificationGroupFigures:
    clients: int
    followed_up: int
    qualified_first: int
    qualified_latest: int
    moved_into: int
    moved_out: int


@dataclass(frozen=True)
class FollowupFigures:
    instrument_id: str
    period_start: dt.date
    period_end: dt.date
    areas: tuple[AreaFigures, ...]
    qualification: Mapping[str, QualificationGroupFigures]
    # Cases closed in the period: ClosureReason value -> group (TOTAL and GENDERS) -> count.
    # Empty when not counted (the figures of the ratings alone).
    closures: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def closure_figures(
    counts: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    """Closures per reason with every group present: ``counts`` maps a reason to its
    ``"total"`` and per-gender counts (a gender outside :data:`GENDERS` counts as not stated)."""
    result: dict[str, dict[str, int]] = {}
    for reason, row in counts.items():
        groups = dict.fromkeys(GROUPS, 0)
        for key, count in row.items():
            groups[key if key in GROUPS else "not_stated"] += count
        result[reason] = groups
    return result


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _group_of(gender: str) -> str:
    return gender if gender in GENDERS else "not_stated"


def followup_figures(
    instrument: Instrument,
    records: Iterable[ClientRecord],
    period_start: dt.date,
    period_end: dt.date,
) -> FollowupFigures:
    """Compute the follow-up figures of ``records`` for the period (see the module text)."""
    if period_end < period_start:
        raise ValueError("period ends before it starts")
    limit = instrument.rule.qualify_max_level
    regular = set(instrument.levels)
    # area -> group -> list of (first, latest, n_assessments)
    pairs: dict[str, dict[str, list[tuple[int, int, int]]]] = {
        key: {group: [] for group in GROUPS} for key in instrument.area_keys
    }
    qual: dict[str, list[int]] = {group: [0, 0, 0, 0, 0, 0] for group in GROUPS}
    for record in records:
        group = _group_of(record.gender)
        inside = sorted(
            (a for a in record.assessments if period_start <= a.rated_on <= period_end),
            key=lambda a: a.rated_on,
        )
        if not inside:
            continue
        for key in instrument.area_keys:
            values = [lv for a in inside if (lv := a.levels.get(key)) is not None and lv in regular]
            if values:
                for target in (TOTAL, group):
                    pairs[key][target].append((values[0], values[-1], len(values)))
        first_q = qualifies(instrument, inside[0].levels)
        latest_q = qualifies(instrument, inside[-1].levels)
        followed = len(inside) >= 2
        for target in (TOTAL, group):
            row = qual[target]
            row[0] += 1
            if followed:
                row[1] += 1
                row[2] += first_q
                row[3] += latest_q
                row[4] += (not first_q) and latest_q
                row[5] += first_q and not latest_q

    areas: list[AreaFigures] = []
    for key in instrument.area_keys:
        groups: dict[str, AreaGroupFigures] = {}
        for group in GROUPS:
            items = pairs[key][group]
            firsts = [first for first, _latest, _n in items]
            latests = [latest for _first, latest, _n in items]
            followed_items = [(f, last) for f, last, n in items if n >= 2]
            changes = [last - f for f, last in followed_items]
            groups[group] = AreaGroupFigures(
                assessed=len(items),
                followed_up=len(followed_items),
                first_mean=_mean(firsts),
                latest_mean=_mean(latests),
                first_distribution=tuple((lv, firsts.count(lv)) for lv in instrument.levels),
                latest_distribution=tuple((lv, latests.count(lv)) for lv in instrument.levels),
                mean_change=_mean(changes),
                moved_into=sum(1 for f, last in followed_items if f > limit >= last),
                moved_out=sum(1 for f, last in followed_items if last > limit >= f),
            )
        areas.append(AreaFigures(key, groups))
    qualification = {group: QualificationGroupFigures(*qual[group]) for group in GROUPS}
    return FollowupFigures(instrument.id, period_start, period_end, tuple(areas), qualification)


# --- The figures as one table (for the screen and for the export files) -----------------------

Cell = str | int | float | None

# A figure about fewer than this many people could point at someone: it is shown as "<5", and a
# mean over fewer people is not shown at all (tables, exports and the PDF report).
SMALL_CELL = 5
SMALL_CELL_TEXT = f"<{SMALL_CELL}"


def shown_count(count: int) -> int | str:
    """``count``, or "<5" for 1 to 4 people."""
    return SMALL_CELL_TEXT if 0 < count < SMALL_CELL else count


def shown_mean(value: float | None, people: int) -> float | None:
    """A mean over ``people``, or None (not shown) when they are fewer than five."""
    return None if people < SMALL_CELL else value


def figures_table(
    instrument: Instrument, figures: FollowupFigures, lang: str
) -> tuple[list[str], list[list[Cell]]]:
    """The figures as one flat table (headers in ``lang``): one row per area and group, then
    one row per group for the whole qualification rule."""
    tr = translator_for(lang)
    headers = [
        tr.gettext("Area"),
        tr.gettext("Group"),
        tr.gettext("Assessed"),
        tr.gettext("Followed up"),
        tr.gettext("Mean at first"),
        tr.gettext("Mean at latest"),
        tr.gettext("Mean change"),
    ]
    headers += [tr.gettext("First: level {level}").format(level=lv) for lv in instrument.levels]
    headers += [tr.gettext("Latest: level {level}").format(level=lv) for lv in instrument.levels]
    headers += [tr.gettext("Moved into qualification"), tr.gettext("Moved out of qualification")]
    blanks: list[Cell] = [None] * (2 * len(instrument.levels))
    rows: list[list[Cell]] = []
    for area in figures.areas:
        name = instrument.area_name(area.area_key, lang)
        for group in GROUPS:
            fig = area.groups[group]
            row: list[Cell] = [
                name,
                tr.gettext(GROUP_LABELS[group]),
                shown_count(fig.assessed),
                shown_count(fig.followed_up),
                _round(shown_mean(fig.first_mean, fig.assessed)),
                _round(shown_mean(fig.latest_mean, fig.assessed)),
                _round(shown_mean(fig.mean_change, fig.followed_up)),
            ]
            row += [shown_count(count) for _lv, count in fig.first_distribution]
            row += [shown_count(count) for _lv, count in fig.latest_distribution]
            row += [shown_count(fig.moved_into), shown_count(fig.moved_out)]
            rows.append(row)
    whole = tr.gettext("Whole rating (qualification rule)")
    for group in GROUPS:
        q = figures.qualification[group]
        head: list[Cell] = [
            whole,
            tr.gettext(GROUP_LABELS[group]),
            shown_count(q.clients),
            shown_count(q.followed_up),
        ]
        moved: list[Cell] = [shown_count(q.moved_into), shown_count(q.moved_out)]
        rows.append([*head, None, None, None, *blanks, *moved])
    return headers, rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
