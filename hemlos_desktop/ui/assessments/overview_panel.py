"""The case overview's assessment panel: latest rating, its date, qualification and a radar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment_rules import explain_qualification
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.ui.assessments.charts import RadarChart, comparison_series

History = Sequence[tuple[dt.date, Mapping[str, int | None]]]


class AssessmentOverviewPanel(QWidget):
    """Shows the newest rating of a client in words and as a radar (first vs latest)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._instrument: Instrument | None = None
        self._history: list[tuple[dt.date, Mapping[str, int | None]]] = []
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.latest = QLabel(self)
        self.latest.setWordWrap(True)
        self.qualification = QLabel(self)
        self.qualification.setWordWrap(True)
        self.radar = RadarChart(parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.latest)
        layout.addWidget(self.qualification)
        layout.addWidget(self.radar, 1)
        self.retranslate_ui()

    def set_data(self, instrument: Instrument, history: History) -> None:
        """``history``: every rating of the client (any order)."""
        self._instrument = instrument
        self._history = sorted(history, key=lambda item: item[0])
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Independence rating"))
        inst = self._instrument
        if inst is None or not self._history:
            self.latest.setText(_("No rating yet."))
            self.qualification.setText("")
            self.radar.setVisible(False)
            return
        day, levels = self._history[-1]
        self.latest.setText(
            _("Latest rating: {date}").format(date=i18n.active().format_date(day, "long"))
        )
        previous = self._history[-2][1] if len(self._history) > 1 else None
        self.qualification.setText(explain_qualification(inst, levels, previous=previous).text)
        picks = comparison_series(self._history)
        if len(picks) == 3:
            picks = [picks[0], picks[2]]  # first and latest keep the small chart readable
        self.radar.set_data(inst, picks)
        self.radar.setVisible(True)
