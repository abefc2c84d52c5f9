"""The case overview's assessment panel."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.instrument import SODERMALM_ID, shipped_instrument
from hemlos_desktop.ui.assessments.overview_panel import AssessmentOverviewPanel

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


def test_overview_panel(qtbot: QtBot) -> None:
    panel = AssessmentOverviewPanel()
    qtbot.addWidget(panel)
    assert panel.latest.text() == "No rating yet."
    assert panel.radar.isHidden()
    history = [
        (dt.date(2026, 9, 1), dict(zip(KEYS, (2, 2, 3, 2, 2), strict=True))),
        (dt.date(2026, 1, 1), dict(zip(KEYS, (1, 1, 1, 1, 1), strict=True))),
        (dt.date(2026, 5, 1), dict(zip(KEYS, (1, 2, 2, 2, 2), strict=True))),
    ]
    panel.set_data(shipped_instrument(SODERMALM_ID), history)
    assert panel.latest.text() == "Latest rating: 1 September 2026"
    assert panel.qualification.text().startswith(
        "Progress since the previous rating: Substance use from 2 to 3."
    )
    assert [s.name for s in panel.radar.series] == ["First", "Latest"]
    i18n.set_language("da")
    panel.retranslate_ui()
    assert panel.qualification.text().startswith(
        "Fremskridt siden sidste vurdering: Misbrug fra 2 til 3."
    )
    assert "september" in panel.latest.text()
    panel.resize(300, 400)
    assert not panel.grab().isNull()
