"""Follow-up figures checked against a small data set computed by hand."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from hemlos_desktop.models.instrument import SODERMALM_ID, shipped_instrument
from hemlos_desktop.services.followup_stats import (
    ClientRecord,
    DatedAssessment,
    FollowupFigures,
    export_csv,
    export_xlsx,
    figures_table,
    followup_figures,
)

D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)


def _a(day: dt.date, *levels: int | None) -> DatedAssessment:
    """One rating: housing, income, substance use, daily living, occupation."""
    keys = ("housing", "income", "substance_use", "daily_living", "occupation")
    return DatedAssessment(day, dict(zip(keys, levels, strict=True)))


RECORDS = [
    # c1 woman: one rating before the period (ignored), then 1→3 in housing, 1→2 in occupation.
    ClientRecord(
        1,
        "woman",
        (
            _a(D(2025, 12, 1), 1, 1, 1, 1, 1),
            _a(D(2026, 2, 1), 1, 2, 2, 2, 1),
            _a(D(2026, 5, 1), 3, 2, 2, 2, 2),
        ),
    ),
    # c2 man: substance use 1→3; occupation not assessed the second time.
    ClientRecord(
        2,
        "man",
        (_a(D(2026, 6, 30), 2, 2, 3, 2, None), _a(D(2026, 1, 15), 2, 1, 1, 1, 1)),
    ),
    # c3 man: one rating only.
    ClientRecord(3, "man", (_a(D(2026, 3, 1), 4, 3, 2, 3, 2),)),
    # c4 woman: only after the period: not counted anywhere.
    ClientRecord(4, "woman", (_a(D(2026, 7, 1), 1, 1, 1, 1, 1),)),
    # c5 unknown gender -> not_stated: all 1, then the case is closed (6 is not a level).
    ClientRecord(5, "", (_a(D(2026, 1, 10), 1, 1, 1, 1, 1), _a(D(2026, 4, 10), 6, 6, 6, 6, 6))),
    # c6 other: housing 3→2, everything else 2.
    ClientRecord(6, "other", (_a(D(2026, 2, 1), 3, 2, 2, 2, 2), _a(D(2026, 3, 1), 2, 2, 2, 2, 2))),
]


@pytest.fixture(scope="module")
def figures() -> FollowupFigures:
    return followup_figures(shipped_instrument(SODERMALM_ID), RECORDS, START, END)


def test_housing_total(figures: FollowupFigures) -> None:
    housing = figures.areas[0]
    assert housing.area_key == "housing"
    total = housing.groups["total"]
    # first in period: c1=1, c2=2, c3=4, c5=1, c6=3 -> 11/5; latest: 3, 2, 4, 1, 2 -> 12/5
    assert total.assessed == 5
    assert total.first_mean == pytest.approx(2.2)
    assert total.latest_mean == pytest.approx(2.4)
    assert total.first_distribution == ((1, 2), (2, 1), (3, 1), (4, 1), (5, 0))
    assert total.latest_distribution == ((1, 1), (2, 2), (3, 1), (4, 1), (5, 0))
    # followed up (two ratings in the area): c1 +2, c2 0, c6 -1 -> 1/3
    assert total.followed_up == 3
    assert total.mean_change == pytest.approx(1 / 3)
    # c6 went 3→2 (into the qualifying range), c1 went 1→3 (out of it)
    assert (total.moved_into, total.moved_out) == (1, 1)


def test_housing_by_gender(figures: FollowupFigures) -> None:
    groups = figures.areas[0].groups
    woman, man, other, unknown = (groups[g] for g in ("woman", "man", "other", "not_stated"))
    # woman: c1 only, 1→3
    assert (woman.assessed, woman.first_mean, woman.latest_mean, woman.mean_change) == (
        1,
        1.0,
        3.0,
        2.0,
    )
    assert (woman.moved_into, woman.moved_out) == (0, 1)
    # man: c2 2→2 and c3 4 (single): first (2+4)/2 = 3, latest (2+4)/2 = 3, change 0/1
    assert (man.assessed, man.followed_up, man.first_mean, man.latest_mean) == (2, 1, 3.0, 3.0)
    assert man.mean_change == 0.0
    # other: c6 3→2
    assert (other.assessed, other.mean_change, other.moved_into) == (1, -1.0, 1)
    # not stated: c5, the closed 6 is not a level, so only one rating counts
    assert (unknown.assessed, unknown.followed_up, unknown.mean_change) == (1, 0, None)
    assert unknown.first_mean == unknown.latest_mean == 1.0


def test_substance_use_and_occupation(figures: FollowupFigures) -> None:
    by_key = {a.area_key: a.groups for a in figures.areas}
    sub = by_key["substance_use"]["total"]
    # first: 2, 1, 2, 1, 2 -> 8/5; latest: 2, 3, 2, 1, 2 -> 10/5; changes 0, +2, 0 -> 2/3
    assert (sub.assessed, sub.followed_up) == (5, 3)
    assert sub.first_mean == pytest.approx(1.6)
    assert sub.latest_mean == pytest.approx(2.0)
    assert sub.mean_change == pytest.approx(2 / 3)
    assert (sub.moved_into, sub.moved_out) == (0, 1)
    men = by_key["substance_use"]["man"]
    # c2 1→3, c3 2: first (1+2)/2, latest (3+2)/2, change +2
    assert (men.first_mean, men.latest_mean, men.mean_change, men.moved_out) == (1.5, 2.5, 2.0, 1)
    occ = by_key["occupation"]["total"]
    # c2's second rating lacks occupation, so c2 counts once: first 1,1,2,1,2 -> 7/5;
    # latest 2,1,2,1,2 -> 8/5; followed c1 (+1) and c6 (0) -> 0.5
    assert (occ.assessed, occ.followed_up) == (5, 2)
    assert occ.first_mean == pytest.approx(1.4)
    assert occ.latest_mean == pytest.approx(1.6)
    assert occ.mean_change == pytest.approx(0.5)


def test_qualification_figures(figures: FollowupFigures) -> None:
    q = figures.qualification
    # c1, c2, c5 qualified at first and not at latest (c2: substance 3, c5: closed);
    # c6 did not qualify (housing 3) and does at latest; c3 has one rating; c4 is outside.
    total = q["total"]
    assert (total.clients, total.followed_up) == (5, 4)
    assert (total.qualified_first, total.qualified_latest) == (3, 1)
    assert (total.moved_into, total.moved_out) == (1, 3)
    assert (q["woman"].clients, q["woman"].moved_out) == (1, 1)
    assert (q["man"].clients, q["man"].followed_up, q["man"].moved_out) == (2, 1, 1)
    assert (q["other"].moved_into, q["other"].moved_out) == (1, 0)
    assert (q["not_stated"].clients, q["not_stated"].moved_out) == (1, 1)


def test_empty_group_has_no_means(figures: FollowupFigures) -> None:
    other_income = figures.areas[1].groups["other"]
    assert other_income.assessed == 1
    records = [ClientRecord(9, "woman", (_a(D(2026, 1, 2), 1, 1, 1, 1, 1),))]
    fig = followup_figures(shipped_instrument(SODERMALM_ID), records, START, END)
    men = fig.areas[0].groups["man"]
    assert (men.assessed, men.first_mean, men.mean_change) == (0, None, None)


def test_period_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="period"):
        followup_figures(shipped_instrument(SODERMALM_ID), [], END, START)


def test_table_headers_in_language(figures: FollowupFigures) -> None:
    instrument = shipped_instrument(SODERMALM_ID)
    headers_sv, rows_sv = figures_table(instrument, figures, "sv")
    headers_da, _rows = figures_table(instrument, figures, "da")
    headers_en, rows_en = figures_table(instrument, figures, "en")
    assert headers_en[:3] == ["Area", "Group", "Assessed"]
    assert headers_sv[0] == "Område" and headers_da[0] == "Område"
    assert headers_sv[2] != "Assessed" and headers_da[2] != "Assessed"
    assert rows_sv[0][:3] == ["Boende", "Totalt", 5]
    # 5 areas x 5 groups + 5 qualification rows
    assert len(rows_en) == 30
    assert len(headers_en) == len(rows_en[0])


def test_export_csv_and_xlsx(figures: FollowupFigures, tmp_path: Path) -> None:
    instrument = shipped_instrument(SODERMALM_ID)
    path = tmp_path / "out" / "figures.csv"
    export_csv(path, instrument, figures, "sv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][0] == "Område"
    assert rows[1][:5] == ["Boende", "Totalt", "5", "<5", "2,20"]  # 3 followed up: hidden
    xlsx = tmp_path / "figures.xlsx"
    export_xlsx(xlsx, instrument, figures, "da")
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet.cell(row=3, column=1).value == "Område"
    assert sheet.cell(row=4, column=1).value == "Bolig"
    assert sheet.cell(row=4, column=5).value == pytest.approx(2.2)
    assert not list(tmp_path.glob("**/*.partial"))


def test_cells_about_fewer_than_five_people_are_hidden(figures: FollowupFigures) -> None:
    instrument = shipped_instrument(SODERMALM_ID)
    _headers, rows = figures_table(instrument, figures, "en")
    total = rows[0]
    fig = figures.areas[0].groups["total"]
    assert fig.assessed == 5 and fig.followed_up == 3  # the exact figures stay in the data
    assert total[2] == 5 and total[3] == "<5"
    assert total[4] == pytest.approx(2.2)  # a mean over five people is shown
    assert total[6] is None  # the mean change over three is not
    for row in rows:
        for cell in row[2:]:
            assert not (isinstance(cell, int) and 0 < cell < 5), row
