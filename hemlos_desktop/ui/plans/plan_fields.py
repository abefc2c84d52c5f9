"""The plan-wide fields of the draft editor: start date, follow-up dates, who took part and
the SIP parties (a coordinated plan with other organisations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import pgettext
from hemlos_desktop.models.plan import SipInfo, SipParty
from hemlos_desktop.models.plan_rules import FollowUpPoint, PlanSnapshot
from hemlos_desktop.ui.widgets.optional_date_edit import OptionalDateEdit


def optional_date_edit(name: str) -> OptionalDateEdit:
    edit = OptionalDateEdit()
    edit.setAccessibleName(name)
    return edit


def _show_rows(table: QTableWidget, *, rows: int, most: int) -> None:
    """Keep room for ``rows`` whole rows, each as tall as a date field (the follow-up dates
    are date fields in cells), and let the table grow to ``most`` pixels; the second row
    was cut when the form was squeezed. Texts stay on one line, elided, in their rows."""
    row_height = max(OptionalDateEdit().sizeHint().height(), table.fontMetrics().height() + 8)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setWordWrap(False)
    frame = table.frameWidth() * 2
    least = table.horizontalHeader().sizeHint().height() + rows * row_height + frame
    table.setMinimumHeight(least)
    table.setMaximumHeight(max(most, least + row_height))


class PlanFieldsBox(QGroupBox):
    """The plan-wide fields; the editor shows a plan in them and reads the plan back."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row_labels: dict[QWidget, QLabel] = {}
        self.plan_start_edit = optional_date_edit("plan start")
        # Sizes in lines and characters, so that they grow with the font (150 % scaling).
        unit = self.fontMetrics().height()
        self.follow_ups = QTableWidget(0, 2)
        _show_rows(self.follow_ups, rows=2, most=unit * 8)
        self.follow_ups.horizontalHeader().setStretchLastSection(True)
        self.follow_ups.setColumnWidth(0, self.fontMetrics().averageCharWidth() * 16)
        self.follow_ups.verticalHeader().setVisible(False)
        self.add_follow_up_button = QPushButton()
        self.remove_follow_up_button = QPushButton()
        self.participants_edit = QLineEdit()
        self.sip_check = QCheckBox()
        self.sip_table = QTableWidget(0, 3)
        _show_rows(self.sip_table, rows=2, most=unit * 8)
        self.sip_table.horizontalHeader().setStretchLastSection(True)
        self.add_party_button = QPushButton()
        self.remove_party_button = QPushButton()
        self.lead_edit = QComboBox()
        self.lead_edit.setEditable(True)
        self.apply_plan_button = QPushButton()
        self.plan_form = QFormLayout(self)
        self._add_row(self.plan_form, self.plan_start_edit)
        self._add_row(self.plan_form, self.follow_ups)
        fu_buttons = QHBoxLayout()
        fu_buttons.addWidget(self.add_follow_up_button)
        fu_buttons.addWidget(self.remove_follow_up_button)
        fu_buttons.addStretch(1)
        self.plan_form.addRow(fu_buttons)
        self._add_row(self.plan_form, self.participants_edit)
        self.plan_form.addRow(self.sip_check)
        self._add_row(self.plan_form, self.sip_table)
        sip_buttons = QHBoxLayout()
        sip_buttons.addWidget(self.add_party_button)
        sip_buttons.addWidget(self.remove_party_button)
        sip_buttons.addStretch(1)
        self.plan_form.addRow(sip_buttons)
        self._add_row(self.plan_form, self.lead_edit)
        self.plan_form.addRow(self.apply_plan_button)
        self._connect_signals()
        self.retranslate_ui()

    def _add_row(self, form: QFormLayout, field: QWidget) -> None:
        label = QLabel()
        label.setBuddy(field)
        self._row_labels[field] = label
        form.addRow(label, field)

    def _connect_signals(self) -> None:
        self.add_follow_up_button.clicked.connect(self._on_add_follow_up)
        self.remove_follow_up_button.clicked.connect(self._on_remove_follow_up)
        self.add_party_button.clicked.connect(self._on_add_party)
        self.remove_party_button.clicked.connect(self._on_remove_party)
        self.sip_check.toggled.connect(self._on_sip_toggled)

    def retranslate_ui(self) -> None:
        self.setTitle(_("The whole plan"))
        self.apply_plan_button.setText(_("Apply to the plan"))
        self.add_follow_up_button.setText(_("Add follow-up date"))
        self.remove_follow_up_button.setText(_("Remove follow-up date"))
        self.add_party_button.setText(_("Add organisation"))
        self.remove_party_button.setText(_("Remove organisation"))
        self.sip_check.setText(_("Coordinated plan (SIP) with other organisations"))
        self.follow_ups.setHorizontalHeaderLabels(
            [_("Date"), _("What to look at")]  # the row's label names the dates already
        )
        self.sip_table.setHorizontalHeaderLabels(
            [_("Organisation"), _("Contact person"), _("Commitments")]
        )
        labels: dict[QWidget, str] = {
            self.plan_start_edit: pgettext("plan field", "Start date"),
            self.follow_ups: pgettext("plan field", "Follow-up dates"),
            self.participants_edit: pgettext("plan field", "Took part"),
            self.sip_table: _("Organisations"),
            self.lead_edit: _("Leads the coordination"),
        }
        for field, label in self._row_labels.items():
            label.setText(labels[field])
            field.setAccessibleName(labels[field])
        self.participants_edit.setPlaceholderText(_("Names, separated by commas"))

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.apply_plan_button,
            self.add_follow_up_button,
            self.remove_follow_up_button,
            self.add_party_button,
            self.remove_party_button,
            self.sip_check,
        ):
            widget.setEnabled(editable)

    def show_fields(self, plan: PlanSnapshot, sip: SipInfo) -> None:
        """Show the plan-wide fields of ``plan`` and ``sip``."""
        self.plan_start_edit.set_date_value(plan.start)
        self.follow_ups.setRowCount(0)
        for point in plan.follow_up_points:
            self._append_follow_up(point.on, point.text)
        self.participants_edit.setText(", ".join(plan.participants))
        self.sip_check.blockSignals(True)
        self.sip_check.setChecked(sip.is_sip)
        self.sip_check.blockSignals(False)
        self.sip_table.setRowCount(0)
        for party in sip.parties:
            self._append_party(party)
        self.lead_edit.clear()
        self.lead_edit.addItems([p.organisation for p in sip.parties])
        self.lead_edit.setCurrentText(sip.lead)
        self._on_sip_toggled(sip.is_sip)

    def _append_follow_up(self, on: dt.date | None, text: str) -> None:
        row = self.follow_ups.rowCount()
        self.follow_ups.insertRow(row)
        edit = optional_date_edit(pgettext("plan field", "Follow-up dates"))
        edit.set_date_value(on)
        self.follow_ups.setCellWidget(row, 0, edit)
        self.follow_ups.setItem(row, 1, QTableWidgetItem(text))

    def _append_party(self, party: SipParty) -> None:
        row = self.sip_table.rowCount()
        self.sip_table.insertRow(row)
        for column, value in enumerate((party.organisation, party.contact, party.commitments)):
            self.sip_table.setItem(row, column, QTableWidgetItem(value))

    def _on_add_follow_up(self) -> None:
        self._append_follow_up(dt.date.today(), "")

    def _on_remove_follow_up(self) -> None:
        row = self.follow_ups.currentRow()
        if row >= 0:
            self.follow_ups.removeRow(row)

    def _on_add_party(self) -> None:
        self._append_party(SipParty(""))

    def _on_remove_party(self) -> None:
        row = self.sip_table.currentRow()
        if row >= 0:
            self.sip_table.removeRow(row)

    def _on_sip_toggled(self, checked: bool) -> None:
        for widget in (self.sip_table, self.lead_edit):
            self.plan_form.setRowVisible(widget, checked)
        self.add_party_button.setVisible(checked)
        self.remove_party_button.setVisible(checked)

    def plan_from_fields(self, plan: PlanSnapshot) -> tuple[PlanSnapshot, SipInfo]:
        """``plan`` with the plan-wide fields as typed (not yet applied)."""
        points = []
        for row in range(self.follow_ups.rowCount()):
            edit = self.follow_ups.cellWidget(row, 0)
            assert isinstance(edit, OptionalDateEdit)
            on = edit.date_value()
            item = self.follow_ups.item(row, 1)
            if on is not None:
                points.append(FollowUpPoint(on, item.text() if item else ""))
        participants = tuple(
            p.strip() for p in self.participants_edit.text().split(",") if p.strip()
        )
        parties: list[SipParty] = []
        if self.sip_check.isChecked():
            for row in range(self.sip_table.rowCount()):
                cells = [self.sip_table.item(row, c) for c in range(3)]
                values = [cell.text() if cell else "" for cell in cells]
                if any(v.strip() for v in values):
                    parties.append(SipParty(*values))
        lead = self.lead_edit.currentText().strip() if parties else ""
        plan = replace(
            plan,
            start=self.plan_start_edit.date_value(),
            follow_up_points=tuple(sorted(points, key=lambda p: p.on)),
            participants=participants,
        )
        return plan, SipInfo(tuple(parties), lead)
