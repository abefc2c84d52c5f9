"""The case review meeting: choose or create a meeting, reorder and edit the proposed agenda,
write the decision of each item and the actions it creates, print agenda or minutes (sv/da)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.i18n import N_, pgettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.team import AGENDA_REASON_LABELS
from hemlos_desktop.services import team_meetings, team_org
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.team_meetings import ActionDraft, ActionRow, AgendaRow
from hemlos_desktop.services.team_reports import export_meeting_pdf
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.team.models import Column, RowsModel, format_date
from hemlos_desktop.ui.team.views import fit_columns, make_table
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel


class NewMeetingDialog(QDialog):
    """Date, title and participants (the team's members, all ticked at first)."""

    def __init__(
        self, *, members: list[team_org.MemberInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.date_edit = make_date_edit(dt.date.today())
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.participants = QListWidget()
        for member in members:
            item = QListWidgetItem(member.display_name)
            item.setData(Qt.ItemDataRole.UserRole, member.user_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.participants.addItem(item)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.form.addRow(QLabel(), self.date_edit)
        self.form.addRow(QLabel(), self.title_edit)
        self.form.addRow(QLabel(), self.participants)
        self.form.addRow(self.buttons)
        self.retranslate_ui()

    def participant_ids(self) -> list[int]:
        return [
            int(self.participants.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.participants.count())
            if self.participants.item(i).checkState() == Qt.CheckState.Checked
        ]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New case review"))
        for field, text in (
            (self.date_edit, _("&Date")),
            (self.title_edit, _("&Title")),
            (self.participants, _("&Participants")),
        ):
            label = self.form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)
                label.setBuddy(field)


def _meeting_label(meeting: team_meetings.MeetingSummary) -> str:
    """A meeting as the meeting list names it ("26.10.2026 · Case review · minutes finished")."""
    text = format_date(meeting.meeting_date)
    if meeting.title:
        text += f" · {meeting.title}"
    if meeting.minutes_done:
        text += " · " + _("minutes finished")
    return text


class MeetingView(QWidget):
    sig_changed = Signal()
    """Minutes or actions were saved (the board and the due counter may change)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._team_id: int | None = None
        self._meetings: tuple[team_meetings.MeetingSummary, ...] = ()
        self.detail: team_meetings.MeetingDetail | None = None
        self.meeting_combo = QComboBox()
        self.new_button = QPushButton()
        self.print_agenda_button = QPushButton()
        self.print_minutes_button = QPushButton()
        self.finish_button = QPushButton()
        self.participants_label = QLabel()
        self.participants_label.setWordWrap(True)
        self.agenda: RowsModel[AgendaRow] = RowsModel(
            [
                Column(N_("No."), lambda r: str(r.position)),
                Column(N_("Client or topic"), lambda r: r.client_name or r.topic),
                Column(N_("Why"), lambda r: _(AGENDA_REASON_LABELS[r.reason])),
                Column(N_("Decision"), lambda r: r.decision.split("\n", 1)[0][:80]),
                Column(N_("Actions"), lambda r: str(len(r.actions))),
            ]
        )
        self.agenda_table = make_table(self.agenda, name="agenda_table")
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.remove_button, self.add_topic_button = QPushButton(), QPushButton()
        self.decision_edit = QPlainTextEdit()
        self.decision_label = QLabel()
        self.decision_label.setBuddy(self.decision_edit)
        self.save_button = QPushButton()
        self.action_model: RowsModel[ActionRow] = RowsModel(
            [
                # A meeting's action is a task ("handling", "åtgärd"), not a plan's "insats".
                Column(lambda: pgettext("meeting", "Action"), lambda a: a.text),
                Column(N_("Who"), lambda a: a.assigned_name),
                Column(N_("Due"), lambda a: format_date(a.due)),
                Column(N_("Done"), lambda a: _("Yes") if a.done else _("No")),
            ]
        )
        self.actions_table = make_table(self.action_model, name="meeting_actions_table")
        self.action_text = QLineEdit()
        self.action_text.setMaxLength(200)
        self.action_who = QComboBox()
        self.action_due = make_date_edit(dt.date.today() + dt.timedelta(days=7))
        self.add_action_button = QPushButton()
        self.error_label = FieldErrorLabel()
        self._build_layout()
        self._connect_signals()
        context.notifier.subscribe(self, {ChangeKind.TEAM, ChangeKind.DUE}, self._on_changed)
        self.retranslate_ui()

    def _on_changed(self, changes: ChangeSet) -> None:
        """Another view changed meetings or actions (one marked done, for example)."""
        del changes
        if self.isVisible():
            self._show_meeting()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.meeting_combo, 1)
        for button in (
            self.new_button,
            self.finish_button,
            self.print_agenda_button,
            self.print_minutes_button,
        ):
            top.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.participants_label)
        left_layout.addWidget(self.agenda_table, 1)
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button, self.add_topic_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.decision_label)
        right_layout.addWidget(self.decision_edit, 1)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        right_layout.addWidget(self.actions_table, 1)
        # The new action's text on a line of its own, who and when below: at 150 % one line
        # left the names in the drop-down cut off.
        right_layout.addWidget(self.action_text)
        new_action = QHBoxLayout()
        new_action.addWidget(self.action_who, 1)
        new_action.addWidget(self.action_due)
        new_action.addWidget(self.add_action_button)
        right_layout.addLayout(new_action)
        right_layout.addWidget(self.error_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def _connect_signals(self) -> None:
        self.meeting_combo.currentIndexChanged.connect(lambda _i: self._show_meeting())
        self.new_button.clicked.connect(self._on_new_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.add_topic_button.clicked.connect(self._on_add_topic_clicked)
        self.save_button.clicked.connect(lambda: self.save_minutes(None))
        self.add_action_button.clicked.connect(self._on_add_action_clicked)
        self.finish_button.clicked.connect(self._on_finish_clicked)
        self.print_agenda_button.clicked.connect(lambda: self._on_print_clicked(minutes=False))
        self.print_minutes_button.clicked.connect(lambda: self._on_print_clicked(minutes=True))
        self.agenda_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_item()
        )

    # -- loading ------------------------------------------------------------------------------

    def load(self, team_id: int | None, *, select_id: int | None = None) -> None:
        self._team_id = team_id
        current = select_id or self.meeting_id()
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        self._meetings = ()
        self.action_who.clear()
        if team_id is not None:
            self._meetings = tuple(
                team_meetings.list_meetings(self._context.db, self._context.actor, team_id)
            )
            for meeting in self._meetings:
                self.meeting_combo.addItem(_meeting_label(meeting), meeting.id)
            for member in team_org.list_members(self._context.db, team_id):
                self.action_who.addItem(member.display_name, member.user_id)
        lead = team_id is not None and team_meetings.can_lead_meetings(
            self._context.db, self._context.actor, team_id
        )
        for widget in (
            self.new_button,
            self.finish_button,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.add_topic_button,
            self.save_button,
            self.add_action_button,
        ):
            widget.setVisible(lead)
        self.decision_edit.setReadOnly(not lead)
        found = self.meeting_combo.findData(current) if current else -1
        self.meeting_combo.setCurrentIndex(max(0, found) if self.meeting_combo.count() else -1)
        self.meeting_combo.blockSignals(False)
        self._show_meeting()

    def meeting_id(self) -> int | None:
        value = self.meeting_combo.currentData()
        return int(value) if value is not None else None

    def _show_meeting(self) -> None:
        meeting_id = self.meeting_id()
        row = max(0, self.agenda_table.currentIndex().row())
        self.detail = None
        if meeting_id is not None:
            ctx = self._context
            found = run_query(
                self, lambda: team_meetings.meeting_detail(ctx.db, ctx.actor, meeting_id)
            )
            self.detail = None if found is None else found.value
        self.agenda.set_rows(self.detail.items if self.detail else ())
        fit_columns(self.agenda_table)
        if self.agenda.rowCount():
            self.agenda_table.selectRow(min(row, self.agenda.rowCount() - 1))
        self._show_item()
        self.retranslate_ui()

    def current_item(self) -> AgendaRow | None:
        return self.agenda.row_at(self.agenda_table.currentIndex().row())

    def _show_item(self) -> None:
        item = self.current_item()
        self.decision_edit.setPlainText(item.decision if item else "")
        self.action_model.set_rows(item.actions if item else ())
        fit_columns(self.actions_table)
        self.error_label.set_error(None)
        enabled = item is not None
        for widget in (self.decision_edit, self.save_button, self.add_action_button):
            widget.setEnabled(enabled)

    # -- actions ------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Outcome[Any]]) -> Outcome[Any] | None:
        """Run one use case through the operation runner; refusals show under the form."""

        def on_error(error: HemlosError) -> None:
            if isinstance(error, InvalidInputError):
                self.error_label.set_error(error.message())
            else:
                show_error(self, error)

        outcome = run_operation(self, self._context, work, on_error=on_error)
        if outcome is not None:
            self.error_label.set_error(None)
        return outcome

    def create_meeting(self, day: dt.date, participant_ids: list[int], title: str = "") -> None:
        team_id = self._team_id
        if team_id is None:
            return
        created = self._run(
            lambda: team_meetings.create_meeting(
                self._context.db,
                self._context.actor,
                team_id,
                meeting_date=day,
                participant_ids=participant_ids,
                title=title,
            )
        )
        if created is not None:
            self.load(team_id, select_id=int(created.value))

    def _on_new_clicked(self) -> None:
        if self._team_id is None:
            return
        dialog = NewMeetingDialog(
            members=team_org.list_members(self._context.db, self._team_id), parent=self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_meeting(
                from_qdate(dialog.date_edit.date()),
                dialog.participant_ids(),
                dialog.title_edit.text(),
            )

    def _move(self, offset: int) -> None:
        item = self.current_item()
        if item is None:
            return
        row = self.agenda_table.currentIndex().row()
        if self._run(
            lambda: team_meetings.move_item(self._context.db, self._context.actor, item.id, offset)
        ):
            self._show_meeting()
            target = max(0, min(self.agenda.rowCount() - 1, row + offset))
            self.agenda_table.selectRow(target)

    def _on_remove_clicked(self) -> None:
        item = self.current_item()
        if item is not None and self._run(
            lambda: team_meetings.remove_item(self._context.db, self._context.actor, item.id)
        ):
            self._show_meeting()

    def add_topic(self, topic: str) -> None:
        meeting_id = self.meeting_id()
        if meeting_id is not None and self._run(
            lambda: team_meetings.add_item(
                self._context.db, self._context.actor, meeting_id, client_id=None, topic=topic
            )
        ):
            self._show_meeting()
            self.agenda_table.selectRow(self.agenda.rowCount() - 1)

    def _on_add_topic_clicked(self) -> None:
        text, ok = QInputDialog.getText(self, _("Add a topic"), _("Topic:"))
        if ok:
            self.add_topic(text)

    def save_minutes(self, draft: ActionDraft | None) -> bool:
        item = self.current_item()
        if item is None:
            return False
        ok = self._run(
            lambda: team_meetings.record_minutes(
                self._context.db,
                self._context.actor,
                item.id,
                decision=self.decision_edit.toPlainText(),
                new_actions=[draft] if draft else [],
            )
        )
        if ok is not None:
            self._show_meeting()
            self.sig_changed.emit()
        return ok is not None

    def _on_add_action_clicked(self) -> None:
        who = self.action_who.currentData()
        draft = ActionDraft(
            self.action_text.text(),
            int(who) if who is not None else None,
            from_qdate(self.action_due.date()),
        )
        if self.save_minutes(draft):
            self.action_text.clear()

    def _on_finish_clicked(self) -> None:
        meeting_id = self.meeting_id()
        if meeting_id is not None and self._run(
            lambda: team_meetings.finish_minutes(self._context.db, self._context.actor, meeting_id)
        ):
            self.load(self._team_id, select_id=meeting_id)

    def print_to(self, path: Path, *, minutes: bool, language: str) -> bool:
        meeting_id = self.meeting_id()
        if meeting_id is None:
            return False
        written = self._run(
            lambda: Outcome(
                export_meeting_pdf(
                    self._context.db,
                    self._context.actor,
                    meeting_id,
                    path,
                    minutes=minutes,
                    language=language,
                    municipality=self._context.settings.municipality_name,
                )
            )
        )
        return written is not None

    def _on_print_clicked(self, *, minutes: bool) -> None:
        names = [_("Swedish"), _("Danish")]
        default = 1 if i18n.current_language() == "da" else 0
        choice, ok = QInputDialog.getItem(
            self, _("Language of the document"), _("Language:"), names, default, False
        )
        if not ok:
            return
        language = "da" if choice == names[1] else "sv"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save PDF"), "", _("PDF (*.pdf)"))
        if path:
            self.print_to(Path(path), minutes=minutes, language=language)

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("&New meeting…"))
        self.finish_button.setText(_("Minutes &finished"))
        self.print_agenda_button.setText(_("Print &agenda…"))
        self.print_minutes_button.setText(_("Print &minutes…"))
        self.up_button.setText(_("Move &up"))
        self.down_button.setText(_("Move do&wn"))
        self.remove_button.setText(_("&Remove item"))
        self.add_topic_button.setText(_("Add &topic…"))
        self.decision_label.setText(_("&Decision"))
        self.save_button.setText(_("&Save decision"))
        self.add_action_button.setText(_("Add a&ction"))
        self.action_text.setPlaceholderText(pgettext("meeting", "New action"))
        self.action_text.setAccessibleName(pgettext("meeting", "New action"))
        self.action_who.setAccessibleName(_("Who"))
        self.action_due.setAccessibleName(_("Due"))
        self.meeting_combo.setAccessibleName(_("Meeting"))
        for row, meeting in enumerate(self._meetings):
            self.meeting_combo.setItemText(row, _meeting_label(meeting))
        self.agenda_table.setAccessibleName(_("Agenda"))
        self.actions_table.setAccessibleName(_("Actions"))
        detail = self.detail
        self.participants_label.setText(
            _("Participants: {names}").format(names=", ".join(detail.participants))
            if detail
            else _("No meeting yet. Create one with New meeting.")
        )
        self.agenda.retranslate()
        self.action_model.retranslate()
