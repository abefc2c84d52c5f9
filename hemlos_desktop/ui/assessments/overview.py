"""The assessment panel in a client's case overview (latest rating, date, qualification, radar)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import assessments
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.ui.assessments.overview_panel import AssessmentOverviewPanel
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.context import UiContext


class OverviewRatingPanel(QWidget):
    """Loads a client's signed ratings into :class:`AssessmentOverviewPanel` and keeps it fresh."""

    def __init__(
        self, *, context: UiContext, client_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self.box: QGroupBox | None = None
        self.panel = AssessmentOverviewPanel(parent=self)
        self.panel.heading.setVisible(False)  # the group box already says it
        self.panel.radar.setMinimumHeight(self.fontMetrics().height() * 14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self._context.notifier.subscribe(self, ChangeKind.RATING, self._on_changed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        if self.box is not None:
            self.box.setTitle(_("Independence rating"))
            self.box.setAccessibleName(_("Independence rating"))
        self.panel.retranslate_ui()

    def refresh(self) -> None:
        ctx = self._context
        try:
            history = assessments.history(ctx.db, ctx.actor, self._client_id)
            inst = assessments.rating_context(ctx.db, ctx.actor, self._client_id).instrument
        except HemlosError:  # a quiet refresh of a case-file panel: it hides, no message box
            self.panel.setVisible(False)
            return
        signed = assessments.signed_history(history)
        self.panel.set_data(inst, [(a.rated_on, a.levels()) for a in signed])
        self.panel.setVisible(True)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.RATING, self._client_id):
            self.refresh()


def install_overview_panel(overview: CaseOverviewWidget, context: UiContext) -> QWidget:
    """Add the assessment panel to ``overview`` (call once after building it); returns it."""
    panel = OverviewRatingPanel(context=context, client_id=overview.client_id)
    panel.box = overview.add_panel(_("Independence rating"), panel)
    panel.retranslate_ui()
    return panel
