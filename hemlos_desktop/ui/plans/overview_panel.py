"""The plan panel of the case overview: active plan, status, next follow-up, CTI phase."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.models.cti import phase_label
from hemlos_desktop.models.plan_rules import state_label
from hemlos_desktop.models.plan_template import shipped_templates
from hemlos_desktop.services import plans
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.ui.context import UiContext


class PlanOverviewPanel(QWidget):
    """Shows the plan facts of one client; ``refresh()`` reloads them."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self._today = today
        self._overview: plans.PlanOverview | None = None
        self.box: QGroupBox | None = None  # the case overview's group box around the panel
        self.plan_value = QLabel()
        self.status_value = QLabel()
        self.follow_up_value = QLabel()
        self.phase_value = QLabel()
        for label in (self.plan_value, self.status_value, self.follow_up_value, self.phase_value):
            label.setWordWrap(True)
        self.form = QFormLayout(self)
        for value in (self.plan_value, self.status_value, self.follow_up_value, self.phase_value):
            self.form.addRow(QLabel(), value)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self._context.notifier.subscribe(self, ChangeKind.PLAN, self._on_changed)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.PLAN, self._client_id):
            self.refresh()

    def refresh(self) -> None:
        try:
            self._overview = plans.overview(
                self._context.db, self._context.actor, self._client_id, today=self._today
            )
        except HemlosError:  # a quiet refresh of a panel: no message box over the case file
            self._overview = None
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        if self.box is not None:
            self.box.setTitle(_("Individual plan"))
        captions = (_("Plan"), _("Status"), _("Next follow-up"), _("CTI phase"))
        values = (self.plan_value, self.status_value, self.follow_up_value, self.phase_value)
        for caption, value in zip(captions, values, strict=True):
            label = self.form.labelForField(value)
            if isinstance(label, QLabel):
                label.setText(caption)
            value.setAccessibleName(caption)
        overview = self._overview
        info = overview.version if overview else None
        if overview is None or info is None:
            self.plan_value.setText(_("No plan yet"))
            for value in values[1:]:
                value.setText("")
            self.form.setRowVisible(self.phase_value, False)
            return
        names = {t.id: t.name.get(i18n.current_language()) for t in shipped_templates()}
        method = names.get(info.snapshot.template_id or "", "")
        text = _("Version {number}").format(number=info.version)
        self.plan_value.setText(f"{text} · {method}" if method else text)
        status = state_label(info.state)
        if overview.overdue:
            status += " · " + ngettext(
                "{n} action overdue", "{n} actions overdue", overview.overdue
            ).format(n=overview.overdue)
        self.status_value.setText(status)
        self.follow_up_value.setText(
            i18n.active().format_date(overview.next_follow_up, "short")
            if overview.next_follow_up
            else _("None planned")
        )
        cti = overview.cti
        self.form.setRowVisible(self.phase_value, cti is not None)
        if cti is not None:
            self.phase_value.setText(
                phase_label(cti.phase.key) if cti.phase else _("Outside the CTI period")
            )


def install_overview_panel(overview: QWidget, context: UiContext) -> QWidget:
    """Add the plan panel to a CaseOverviewWidget (``overview.add_panel``); returns the panel."""
    panel = PlanOverviewPanel(context=context, client_id=int(overview.client_id))  # type: ignore[attr-defined]
    box = overview.add_panel(_("Individual plan"), panel)  # type: ignore[attr-defined]
    panel.setProperty("plan_box", box)
    panel.box = box
    return panel
