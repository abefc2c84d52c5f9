"""The assessment history table model."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from hemlos_desktop import i18n
from hemlos_desktop.models.instrument import SODERMALM_ID, shipped_instrument
from hemlos_desktop.ui.itemmodels.assessment_history_model import AssessmentHistoryModel, HistoryRow

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


def _row(ident: int, day: dt.date, *levels: int | None, corrects: int | None = None) -> HistoryRow:
    return HistoryRow(
        ident, day, dict(zip(KEYS, levels, strict=True)), True, "Anna", corrects_id=corrects
    )


def test_history_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentHistoryModel(instrument=shipped_instrument(SODERMALM_ID))
    qtmodeltester.check(model)
    model.set_rows(
        [
            _row(1, dt.date(2026, 1, 5), 1, 1, 2, 1, 1),
            _row(2, dt.date(2026, 6, 5), 3, 2, 2, None, 2),
            _row(3, dt.date(2026, 6, 5), 3, 2, 2, 2, 2, corrects=2),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 9
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Housing"
    assert model.headerData(8, Qt.Orientation.Horizontal) == "Qualification"
    assert model.index(0, 0).data() == "5 Jun 2026 (correction)"
    assert model.index(0, 0).data(AssessmentHistoryModel.ASSESSMENT_ID_ROLE) == 3
    assert model.index(1, 4).data() == "–"
    assert model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole) == "Daily living: not assessed"
    assert model.index(2, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "Housing: 1 – Homeless, a roof over the head"
    )
    assert model.index(2, 8).data() == "Qualifies: every area is 2 or lower"
    assert model.index(0, 6).data() == "Yes" and model.index(0, 7).data() == "Anna"
    i18n.set_language("sv")
    model.retranslate_ui()
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Boende"
    assert model.index(0, 8).data() == "Kvalificerar inte: Boende är 3"
    assert model.row_at(2).assessment_id == 1


def test_history_says_progress_against_the_previous_rating() -> None:
    model = AssessmentHistoryModel(instrument=shipped_instrument(SODERMALM_ID))
    first = dict(zip(KEYS, (2, 2, 1, 2, 1), strict=True))
    model.set_rows(
        [
            HistoryRow(1, dt.date(2026, 1, 5), first, True, "Anna"),
            HistoryRow(
                2,
                dt.date(2026, 6, 5),
                dict(zip(KEYS, (4, 2, 1, 2, 1), strict=True)),
                True,
                "Anna",
                previous_levels=first,
            ),
        ]
    )
    assert (
        model.index(0, 8)
        .data()
        .startswith("Progress since the previous rating: Housing from 2 to 4.")
    )
    assert model.index(1, 8).data() == "Qualifies: every area is 2 or lower"
