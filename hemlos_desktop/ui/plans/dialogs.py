"""Dialogs of the Plans area: new plan, agree, follow up, compare versions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.plan_diff import DiffRow, changed_rows, only_changes_by_default
from hemlos_desktop.models.plan_rules import (
    REACHED_MAX,
    REACHED_MIN,
    ActionResult,
    ActionStatus,
    AgreementRecord,
    FollowUpRecord,
    GoalResult,
    PlanSnapshot,
    action_status_label,
    reached_label,
)
from hemlos_desktop.models.plan_template import shipped_templates
from hemlos_desktop.ui.itemmodels.plan_models import CompareModel
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _date_edit(value: dt.date, name: str) -> QDateEdit:
    edit = make_date_edit(value)
    edit.setAccessibleName(name)
    return edit


class NewPlanDialog(QDialog):
    """Choose a method template (or none) and the start date."""

    def __init__(self, *, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template_combo = QComboBox()
        self.start_edit = _date_edit(today, "start")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow(QLabel(), self.template_combo)
        self.form.addRow(self.description)
        self.form.addRow(QLabel(), self.start_edit)
        self.form.addRow(_buttons(self))
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.template_combo.currentIndexChanged.connect(self._on_template_changed)

    def retranslate_ui(self) -> None:
        language = i18n.current_language()
        self.setWindowTitle(_("New plan"))
        self.template_combo.clear()
        self.template_combo.addItem(_("Empty plan (no method template)"), None)
        for template in shipped_templates():
            self.template_combo.addItem(template.name.get(language), template.id)
        self.template_combo.setAccessibleName(_("Method"))
        self.start_edit.setAccessibleName(_("Start date"))
        label = self.form.labelForField(self.template_combo)
        if isinstance(label, QLabel):
            label.setText(_("Method"))
        label = self.form.labelForField(self.start_edit)
        if isinstance(label, QLabel):
            label.setText(_("Start date"))
        self._on_template_changed()

    def _on_template_changed(self, *_args: object) -> None:
        template_id = self.template_combo.currentData()
        text = ""
        for template in shipped_templates():
            if template.id == template_id:
                text = template.description.get(i18n.current_language())
        self.description.setText(text)

    def template_id(self) -> str | None:
        value = self.template_combo.currentData()
        return str(value) if value is not None else None

    def start(self) -> dt.date:
        return from_qdate(self.start_edit.date())


class AgreeDialog(QDialog):
    """The agreement: date, who was present, the client agreed and whether they signed."""

    def __init__(
        self, *, today: dt.date, present: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.date_edit = _date_edit(today, "agreed on")
        self.present_edit = QLineEdit(", ".join(present))
        self.agreed_check = QCheckBox()
        self.signed_check = QCheckBox()
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow(QLabel(), self.date_edit)
        self.form.addRow(QLabel(), self.present_edit)
        self.form.addRow(self.agreed_check)
        self.form.addRow(self.signed_check)
        self.form.addRow(self.problem_label)
        self.form.addRow(_buttons(self))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Agree the plan"))
        for field, text in (
            (self.date_edit, _("Agreed on")),
            (self.present_edit, _("Present")),
        ):
            label = self.form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)
            field.setAccessibleName(text)
        self.present_edit.setPlaceholderText(_("Names, separated by commas"))
        self.agreed_check.setText(_("The client agrees to the plan"))
        self.signed_check.setText(_("The client signed the printed copy"))

    def record(self) -> AgreementRecord:
        on = from_qdate(self.date_edit.date())
        present = tuple(p.strip() for p in self.present_edit.text().split(",") if p.strip())
        return AgreementRecord(
            on, present, self.agreed_check.isChecked(), self.signed_check.isChecked()
        )


class FollowUpDialog(QDialog):
    """Per action what happened (status and outcome), per goal how far it is reached."""

    def __init__(self, *, plan: PlanSnapshot, today: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self._plan = plan
        self.date_edit = _date_edit(today, "held on")
        self.goal_table = QTableWidget(len(plan.goals), 3)
        self.action_table = QTableWidget(sum(len(g.actions) for g in plan.goals), 3)
        self.note_edit = QLineEdit()
        self._goal_uids = [g.uid for g in plan.goals]
        self._action_uids = [a.uid for g in plan.goals for a in g.actions]
        for row, goal in enumerate(plan.goals):
            self.goal_table.setItem(row, 0, QTableWidgetItem(goal.text))
            combo = QComboBox()
            for value in range(REACHED_MIN, REACHED_MAX + 1):
                combo.addItem(reached_label(value), value)
            self.goal_table.setCellWidget(row, 1, combo)
            self.goal_table.setItem(row, 2, QTableWidgetItem(""))
        row = 0
        for goal in plan.goals:
            for action in goal.actions:
                self.action_table.setItem(row, 0, QTableWidgetItem(action.text))
                status = QComboBox()
                for option in ActionStatus:
                    status.addItem(action_status_label(option), option.value)
                status.setCurrentIndex(max(status.findData(action.status.value), 0))
                self.action_table.setCellWidget(row, 1, status)
                self.action_table.setItem(row, 2, QTableWidgetItem(""))
                row += 1
        for table in (self.goal_table, self.action_table):
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.form = QFormLayout(self)
        self.form.addRow(QLabel(), self.date_edit)
        self.form.addRow(QLabel(), self.goal_table)
        self.form.addRow(QLabel(), self.action_table)
        self.form.addRow(QLabel(), self.note_edit)
        self.form.addRow(_buttons(self))
        self.resize(900, 560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Follow up the plan"))
        for field, text in (
            (self.date_edit, _("Held on")),
            (self.goal_table, _("Goals: how far reached")),
            (self.action_table, _("Actions: what happened")),
            (self.note_edit, _("Note")),
        ):
            label = self.form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)
            field.setAccessibleName(text)
        self.goal_table.setHorizontalHeaderLabels([_("Goal"), _("How far reached"), _("Comment")])
        self.action_table.setHorizontalHeaderLabels([_("Action"), _("Status"), _("What happened")])
        # A screen reader names each drop-down by its goal or action, not only "combo box".
        goals = [g.text for g in self._plan.goals]
        actions = [a.text for g in self._plan.goals for a in g.actions]
        for table, texts, name in (
            (self.goal_table, goals, _("How far reached: {text}")),
            (self.action_table, actions, _("Status: {text}")),
        ):
            for row, text in enumerate(texts):
                combo = table.cellWidget(row, 1)
                if isinstance(combo, QComboBox):
                    combo.setAccessibleName(name.format(text=text))

    def set_goal(self, row: int, reached: int, comment: str = "") -> None:
        combo = self.goal_table.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(reached))
        self.goal_table.setItem(row, 2, QTableWidgetItem(comment))

    def set_action(self, row: int, status: ActionStatus, outcome: str = "") -> None:
        combo = self.action_table.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(status.value))
        self.action_table.setItem(row, 2, QTableWidgetItem(outcome))

    def record(self) -> FollowUpRecord:
        held = from_qdate(self.date_edit.date())

        def text(table: QTableWidget, row: int) -> str:
            item = table.item(row, 2)
            return item.text() if item is not None else ""

        goal_results = []
        for row, uid in enumerate(self._goal_uids):
            combo = self.goal_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            goal_results.append(
                GoalResult(uid, int(combo.currentData()), text(self.goal_table, row))
            )
        action_results = []
        for row, uid in enumerate(self._action_uids):
            combo = self.action_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            action_results.append(
                ActionResult(uid, ActionStatus(combo.currentData()), text(self.action_table, row))
            )
        return FollowUpRecord(
            held, tuple(goal_results), tuple(action_results), self.note_edit.text()
        )


class CompareDialog(QDialog):
    """Two versions side by side: what was added, removed and changed."""

    def __init__(
        self, *, rows: tuple[DiffRow, ...], old: int, new: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._old, self._new = old, new
        self._rows = rows
        self.model = CompareModel(self)
        self.only_changes_check = QCheckBox()
        self.only_changes_check.setChecked(only_changes_by_default(rows))
        self.nothing_changed_label = QLabel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.caption = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.only_changes_check)
        layout.addWidget(self.nothing_changed_label)
        layout.addWidget(self.view)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(1000, 600)
        self.only_changes_check.toggled.connect(self._on_only_changes_toggled)
        self._show_rows()
        self.retranslate_ui()

    def _show_rows(self) -> None:
        only = self.only_changes_check.isChecked()
        self.model.set_rows(changed_rows(self._rows) if only else self._rows)
        self.nothing_changed_label.setVisible(only and self.model.rowCount() == 0)
        self.view.resizeRowsToContents()

    def _on_only_changes_toggled(self, _checked: bool) -> None:
        self._show_rows()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Compare versions"))
        self.only_changes_check.setText(_("Show &only changes"))
        self.only_changes_check.setAccessibleName(_("Show only changes"))
        self.nothing_changed_label.setText(_("Nothing changed between these versions."))
        self.caption.setText(
            _("Version {old} (left) and version {new} (right)").format(old=self._old, new=self._new)
        )
        self.view.setAccessibleName(_("Compare versions"))
