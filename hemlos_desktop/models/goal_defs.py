"""The goals of the boendelots team and of the Danish homelessness strategy: keys, targets and
written definitions (shown in the program, printed with the figures, and in README).

Plain data, no database: ``services.goals`` computes the figures; ``reports`` prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from hemlos_desktop.i18n import N_
from hemlos_desktop.models.followup import shown_count, shown_mean
from hemlos_desktop.models.housing_rules import HousingPlaceKind

GENDER_COLUMNS: tuple[str, ...] = ("woman", "man", "other", "not_stated")
SHELTER_HOUSING_CODE = 1  # homeless, a roof over the head only: shelter / herberg / natcafé
# The kinds of place within code 1 that are shelters. A code-1 period with no kind recorded
# still counts as a shelter stay (as before kinds were recorded); sleeping rough and a release
# without housing are code 1 but not shelters, and are counted by their own goals.
SHELTER_KINDS: tuple[HousingPlaceKind, ...] = (
    HousingPlaceKind.NIGHT_SHELTER,
    HousingPlaceKind.SHELTER_110,
)
LASTING_HOUSING_CODE = 5
LONG_STAY_DAYS = 120
YOUNG_MIN_AGE, YOUNG_MAX_AGE = 18, 24


class GoalKey(StrEnum):
    LEASE_KEPT = "lease_kept"
    LASTING_HOUSING = "lasting_housing"
    HANDLING_DAYS = "handling_days"
    ROUGH_SLEEPERS = "rough_sleepers"
    YOUNG_IN_SHELTER = "young_in_shelter"
    LONG_SHELTER_STAYS = "long_shelter_stays"
    RELEASE_WITHOUT_HOUSING = "release_without_housing"


@dataclass(frozen=True)
class GoalDefinition:
    key: GoalKey
    source: str  # msgid: where the goal comes from
    title: str  # msgid
    target: str  # msgid: the target as the paper states it
    definition: str  # msgid: what counts, which dates
    median_days: bool = False  # the figure is a median number of days, not a count of people


GOALS: tuple[GoalDefinition, ...] = (
    GoalDefinition(
        GoalKey.LEASE_KEPT,
        N_("Södermalm"),
        N_("Tenants at risk of eviction who kept their lease"),
        N_("15–20"),
        N_(
            "Clients with an eviction case whose outcome is 'lease kept' with an outcome date "
            "in the period. Each client is counted once."
        ),
    ),
    GoalDefinition(
        GoalKey.LASTING_HOUSING,
        N_("Södermalm"),
        N_("Lost their home and got lasting housing with coordinated support"),
        N_("10–15"),
        N_(
            "Clients whose housing period with code 5 (own contract or long-term housing) "
            "starts in the period, who had an earlier period with code 1–4, and who had a "
            "coordinating boendelots on the day it started."
        ),
    ),
    GoalDefinition(
        GoalKey.HANDLING_DAYS,
        N_("Södermalm"),
        N_("Handling time of cases handled by more than one unit (median days)"),
        N_("Shorter"),
        N_(
            "Clients with at least two different units involved whose last unit involvement "
            "ended in the period and none is still open: days from the first involvement's "
            "start to the last one's end; the figure is the median."
        ),
        median_days=True,
    ),
    GoalDefinition(
        GoalKey.ROUGH_SLEEPERS,
        N_("Hjemløsestrategien"),
        N_("People sleeping rough"),
        N_("None"),
        N_(
            "Clients with at least one outreach contact of the kind 'street' in the period, or "
            "a housing period whose kind of place is 'sleeping rough on the street' that "
            "overlaps the period."
        ),
    ),
    GoalDefinition(
        GoalKey.YOUNG_IN_SHELTER,
        N_("Hjemløsestrategien"),
        N_("Young people 18–24 in shelters"),
        N_("None"),
        N_(
            "Clients aged 18–24 on the first day of a shelter stay that overlaps the period, or "
            "on the period's first day if the stay began earlier. A shelter stay is a housing "
            "period with code 1 whose kind of place is a night shelter or a "
            "herberg/forsorgshjem (§ 110), or is not recorded."
        ),
    ),
    GoalDefinition(
        GoalKey.LONG_SHELTER_STAYS,
        N_("Hjemløsestrategien"),
        N_("Shelter stays longer than 120 days"),
        N_("None (at most 3–4 months)"),
        N_(
            "Clients with a shelter stay (code 1 in a night shelter, a herberg/forsorgshjem "
            "(§ 110) or a place not recorded) that overlaps the period and has lasted more "
            "than 120 days by its end or by the period's last day."
        ),
    ),
    GoalDefinition(
        GoalKey.RELEASE_WITHOUT_HOUSING,
        N_("Hjemløsestrategien"),
        N_("Releases from prison or discharges from hospital or treatment without housing"),
        N_("None"),
        N_(
            "Clients with a release from prison or a discharge from hospital or treatment "
            "dated in the period with no housing solution arranged on the day, or a housing "
            "period starting in the period whose kind of place is 'released or discharged "
            "without housing'."
        ),
    ),
)

GOALS_BY_KEY: dict[GoalKey, GoalDefinition] = {g.key: g for g in GOALS}


@dataclass(frozen=True)
class GoalFigure:
    """One goal's figure in a period, split by gender. ``None`` where there is nothing to
    take a median of."""

    key: GoalKey
    woman: float | None
    man: float | None
    other: float | None
    not_stated: float | None
    total: float | None
    # How many people each column's figure is about (for the small-cell rule of exports).
    people: Mapping[str, int] | None = None

    def by_column(self) -> dict[str, float | None]:
        return {
            "woman": self.woman,
            "man": self.man,
            "other": self.other,
            "not_stated": self.not_stated,
            "total": self.total,
        }

    def shown_by_column(self) -> dict[str, float | str | None]:
        """The figures as they leave the program (exports, the PDF for the steering group): a
        count of 1 to 4 people reads "<5", a median about fewer than five is not shown."""
        people = self.people or {}
        shown: dict[str, float | str | None] = {}
        for column, value in self.by_column().items():
            if value is None:
                shown[column] = None
            elif GOALS_BY_KEY[self.key].median_days:
                shown[column] = shown_mean(value, people.get(column, 0))
            else:
                shown[column] = shown_count(int(value))
        return shown
