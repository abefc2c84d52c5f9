"""The draft editor: goals and actions as a tree, a form for the chosen item, follow-up dates,
participants and SIP parties. Every change is one undoable step on a QUndoStack that holds
whole snapshots (plans are small), so undo/redo can never leave a half-changed plan."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import pgettext
from hemlos_desktop.models.cti import CtiPhaseKey, phase_label
from hemlos_desktop.models.plan import SipInfo
from hemlos_desktop.models.plan_problems import item_uid
from hemlos_desktop.models.plan_rules import (
    OUTSIDE_PARTIES,
    RATING_AREAS,
    ActionSnapshot,
    ActionStatus,
    GoalSnapshot,
    PlanSnapshot,
    Responsible,
    ResponsibleKind,
    action_status_label,
    outside_party_label,
    rating_area_label,
    responsible_kind_label,
)
from hemlos_desktop.services.plans import new_item_uid
from hemlos_desktop.ui.itemmodels.plan_models import PlanTreeModel
from hemlos_desktop.ui.plans.plan_fields import PlanFieldsBox, optional_date_edit


class _SnapshotCommand(QUndoCommand):
    def __init__(
        self,
        editor: PlanEditor,
        before: tuple[PlanSnapshot, SipInfo],
        after: tuple[PlanSnapshot, SipInfo],
        text: str,
    ) -> None:
        super().__init__(text)
        self._editor = editor
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._editor._show_state(*self._after)  # noqa: SLF001

    def undo(self) -> None:
        self._editor._show_state(*self._before)  # noqa: SLF001


class PlanEditor(QWidget):
    """Edits one plan snapshot (a draft) in memory; the page saves it through the service."""

    sig_changed = Signal()
    """The plan in the editor changed (an edit, undo or redo)."""

    def __init__(
        self, *, users: list[tuple[int, str]] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._plan = PlanSnapshot(plan_uid="")
        self._sip = SipInfo()
        self._users = users or []
        self._read_only = False
        self.undo_stack = QUndoStack(self)

        self.model = PlanTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        # The goal/action text keeps a readable width even with long translated captions;
        # the other columns take what they need and the tree scrolls sideways.
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, self.fontMetrics().averageCharWidth() * 40)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setMinimumSectionSize(60)
        for column in range(1, PlanTreeModel.COLUMNS):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setWordWrap(True)

        self.add_goal_button = QPushButton()
        self.add_action_button = QPushButton()
        self.remove_button = QPushButton()
        self.undo_button = QPushButton()
        self.redo_button = QPushButton()
        self.undo_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.add_goal_button,
                self.add_action_button,
                self.remove_button,
                self.undo_button,
                self.redo_button,
            )
        ):
            buttons.addWidget(button, index // 3, index % 3)
        buttons.setColumnStretch(3, 1)

        # Item form (goal or action).
        self.item_box = QGroupBox()
        self.own_words_label = QLabel()
        self.own_words_label.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(self.fontMetrics().height() * 5)
        self.rating_area_combo = QComboBox()
        self.responsible_kind_combo = QComboBox()
        self.responsible_user_combo = QComboBox()
        self.responsible_name_edit = QLineEdit()
        self.party_combo = QComboBox()
        self.start_edit = optional_date_edit("start")
        self.due_edit = optional_date_edit("due")
        self.status_combo = QComboBox()
        self.phase_combo = QComboBox()
        self.note_edit = QLineEdit()
        self.apply_button = QPushButton()
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #a00000;")
        self._row_labels: dict[QWidget, QLabel] = {}
        self.item_form = QFormLayout(self.item_box)
        self.item_form.addRow(self.own_words_label)
        self._add_row(self.item_form, self.text_edit)
        self._add_row(self.item_form, self.rating_area_combo)
        self._add_row(self.item_form, self.responsible_kind_combo)
        self._add_row(self.item_form, self.responsible_user_combo)
        self._add_row(self.item_form, self.responsible_name_edit)
        self._add_row(self.item_form, self.party_combo)
        self._add_row(self.item_form, self.start_edit)
        self._add_row(self.item_form, self.due_edit)
        self._add_row(self.item_form, self.status_combo)
        self._add_row(self.item_form, self.phase_combo)
        self._add_row(self.item_form, self.note_edit)
        self.item_form.addRow(self.problem_label)
        self.item_form.addRow(self.apply_button)

        # Plan-wide: start date, follow-up dates, participants, SIP (parts named here too).
        self.plan_box = PlanFieldsBox()
        self.plan_start_edit = self.plan_box.plan_start_edit
        self.participants_edit = self.plan_box.participants_edit
        self.sip_check = self.plan_box.sip_check
        self.apply_plan_button = self.plan_box.apply_plan_button

        left_widget = QWidget()
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(buttons)
        left.addWidget(self.tree, 1)
        right_widget = QWidget()
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.item_box)
        right.addWidget(self.plan_box)
        right.addStretch(1)
        # The forms scroll on a narrow window (small screens, 150 % scaling, long words).
        self.right_scroll = right_scroll = QScrollArea()
        right_scroll.setWidget(right_widget)
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left_widget)
        splitter.addWidget(right_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._connect_signals()
        self.retranslate_ui()
        self._update_form()

    def _add_row(self, form: QFormLayout, field: QWidget) -> None:
        label = QLabel()
        label.setBuddy(field)
        self._row_labels[field] = label
        form.addRow(label, field)

    def _connect_signals(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.add_goal_button.clicked.connect(self._on_add_goal)
        self.add_action_button.clicked.connect(self._on_add_action)
        self.remove_button.clicked.connect(self._on_remove)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self._update_buttons)
        self.undo_stack.canRedoChanged.connect(self._update_buttons)
        self.apply_button.clicked.connect(self._on_apply_item)
        self.apply_plan_button.clicked.connect(self._on_apply_plan)
        self.responsible_kind_combo.currentIndexChanged.connect(self._on_kind_changed)

    def retranslate_ui(self) -> None:
        self.add_goal_button.setText(_("Add goal"))
        self.add_action_button.setText(_("Add action"))
        self.remove_button.setText(_("Remove"))
        self.undo_button.setText(_("Undo"))
        self.redo_button.setText(_("Redo"))
        self.item_box.setTitle(_("Goal or action"))
        self.apply_button.setText(_("Apply to the plan"))
        self.plan_box.retranslate_ui()
        labels: dict[QWidget, str] = {
            self.text_edit: pgettext("plan field", "Text"),
            self.rating_area_combo: pgettext("plan field", "Rating area"),
            self.responsible_kind_combo: pgettext("plan field", "Responsible"),
            self.responsible_user_combo: _("Team member"),
            self.responsible_name_edit: _("Responsible person or contact"),
            self.party_combo: _("Outside party"),
            self.start_edit: pgettext("plan field", "Start date"),
            self.due_edit: pgettext("plan field", "Due date"),
            self.status_combo: pgettext("plan field", "Status"),
            self.phase_combo: pgettext("plan field", "Phase"),
            self.note_edit: pgettext("plan field", "Note"),
        }
        for field, label in self._row_labels.items():
            label.setText(labels[field])
            field.setAccessibleName(labels[field])
        self._fill_combos()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, PlanTreeModel.COLUMNS - 1)
        self._update_buttons()

    def _fill_combos(self) -> None:
        def refill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

        refill(
            self.rating_area_combo,
            [(_("(none)"), None)] + [(rating_area_label(a), a) for a in RATING_AREAS],
        )
        refill(
            self.responsible_kind_combo,
            [(_("(not chosen)"), None)]
            + [(responsible_kind_label(k), k.value) for k in ResponsibleKind],
        )
        refill(
            self.responsible_user_combo,
            [(_("(not chosen)"), None)] + [(name, uid) for uid, name in self._users],
        )
        refill(
            self.party_combo,
            [(_("(none)"), None)] + [(outside_party_label(p), p) for p in OUTSIDE_PARTIES],
        )
        refill(self.status_combo, [(action_status_label(s), s.value) for s in ActionStatus])
        refill(
            self.phase_combo,
            [(_("(none)"), None)] + [(phase_label(k), k.value) for k in CtiPhaseKey],
        )
        self.own_words_label.setText(
            _("Write the goal in the client's own words, as the client says it.")
        )

    # -- state -----------------------------------------------------------------------------

    def set_plan(self, plan: PlanSnapshot, sip: SipInfo, *, read_only: bool) -> None:
        """Show a plan; clears undo history."""
        self._read_only = read_only
        self.undo_stack.clear()
        self._show_state(plan, sip)

    def plan(self) -> PlanSnapshot:
        return self._plan

    def sip(self) -> SipInfo:
        return self._sip

    def _show_state(self, plan: PlanSnapshot, sip: SipInfo) -> None:
        selected = self.current_uid()
        self._plan, self._sip = plan, sip
        self.model.set_plan(plan)
        self.tree.expandAll()
        if selected:
            self.select_uid(selected)
        self._show_plan_fields()
        self._update_form()
        self.sig_changed.emit()

    def _push(self, plan: PlanSnapshot, sip: SipInfo, text: str) -> None:
        if (plan, sip) == (self._plan, self._sip):
            return
        self.undo_stack.push(_SnapshotCommand(self, (self._plan, self._sip), (plan, sip), text))

    def current_uid(self) -> str | None:
        item = self.model.item(self.tree.currentIndex())
        return item.uid if item is not None else None

    def select_uid(self, uid: str) -> None:
        for row in range(self.model.rowCount()):
            goal_index = self.model.index(row, 0)
            if self.model.data(goal_index, Qt.ItemDataRole.UserRole) == uid:
                self.tree.setCurrentIndex(goal_index)
                return
            for child in range(self.model.rowCount(goal_index)):
                index = self.model.index(child, 0, goal_index)
                if self.model.data(index, Qt.ItemDataRole.UserRole) == uid:
                    self.tree.setCurrentIndex(index)
                    return

    def show_problems(self, messages: list[str]) -> None:
        self.problem_label.setText("\n".join(messages))

    def go_to_problem(self, field: str, messages: list[str]) -> None:
        """Select the goal or action a problem's field names (``actions.<uid>.due``), show
        the problems beside its form and put the cursor in the field that lacks something."""
        uid = item_uid(field)
        if uid is not None:
            self.select_uid(uid)
            self.tree.scrollTo(self.tree.currentIndex())
        self.show_problems(messages)
        target = self._field_widget(field.rsplit(".", 1)[-1] if uid is not None else field)
        self.right_scroll.ensureWidgetVisible(target if target.isVisible() else self.item_box)
        self.right_scroll.horizontalScrollBar().setValue(0)  # the labels stay in view
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _field_widget(self, name: str) -> QWidget:
        widgets: dict[str, QWidget] = {
            "text": self.text_edit,
            "rating_area": self.rating_area_combo,
            "responsible": self.responsible_kind_combo,
            "start": self.start_edit,
            "due": self.due_edit,
            "note": self.note_edit,
            "follow_up_points": self.plan_box.follow_ups,
            "participants": self.participants_edit,
            "start_date": self.plan_start_edit,
        }
        if name == "responsible" and self.responsible_kind_combo.currentData() is not None:
            kind = self.responsible_kind_combo.currentData()
            if kind == ResponsibleKind.TEAM_MEMBER.value:
                return self.responsible_user_combo
            return self.responsible_name_edit
        return widgets.get(name, self.tree)

    # -- form ------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        editable = not self._read_only
        item = self.model.item(self.tree.currentIndex())
        self.add_goal_button.setEnabled(editable)
        self.add_action_button.setEnabled(editable and item is not None)
        self.remove_button.setEnabled(editable and item is not None)
        self.undo_button.setEnabled(editable and self.undo_stack.canUndo())
        self.redo_button.setEnabled(editable and self.undo_stack.canRedo())
        self.apply_button.setEnabled(editable)
        self.plan_box.set_editable(editable)

    def _on_current_changed(self, *_args: object) -> None:
        self.problem_label.setText("")
        self._update_form()

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self.item_form.setRowVisible(widget, visible)

    def _update_form(self) -> None:
        item = self.model.item(self.tree.currentIndex())
        is_action = isinstance(item, ActionSnapshot)
        self.item_box.setEnabled(item is not None)
        self._set_row_visible(self.own_words_label, isinstance(item, GoalSnapshot))
        self._set_row_visible(self.rating_area_combo, not is_action)
        for widget in (
            self.responsible_kind_combo,
            self.responsible_user_combo,
            self.responsible_name_edit,
            self.party_combo,
            self.start_edit,
            self.due_edit,
            self.status_combo,
            self.phase_combo,
            self.note_edit,
        ):
            self._set_row_visible(widget, is_action)
        self._set_row_visible(self.phase_combo, is_action and self._plan.template_id == "cti")
        self.text_edit.setReadOnly(self._read_only)
        self.note_edit.setReadOnly(self._read_only)
        self.responsible_name_edit.setReadOnly(self._read_only)
        if item is None:
            self.text_edit.setPlainText("")
            self._update_buttons()
            return
        self.text_edit.setPlainText(item.text)
        # A template's goal is only a suggestion, shown greyed until the client's words are in.
        self.text_edit.setPlaceholderText(item.suggestion if isinstance(item, GoalSnapshot) else "")
        if isinstance(item, GoalSnapshot):
            self.rating_area_combo.setCurrentIndex(
                max(self.rating_area_combo.findData(item.rating_area), 0)
            )
        else:
            r = item.responsible
            self.responsible_kind_combo.setCurrentIndex(
                max(self.responsible_kind_combo.findData(r.kind.value if r else None), 0)
            )
            self.responsible_user_combo.setCurrentIndex(
                max(self.responsible_user_combo.findData(r.user_id if r else None), 0)
            )
            self.responsible_name_edit.setText(r.name if r else "")
            self.party_combo.setCurrentIndex(
                max(self.party_combo.findData(r.party if r else None), 0)
            )
            self.start_edit.set_date_value(item.start)
            self.due_edit.set_date_value(item.due)
            self.status_combo.setCurrentIndex(max(self.status_combo.findData(item.status.value), 0))
            self.phase_combo.setCurrentIndex(max(self.phase_combo.findData(item.phase), 0))
            self.note_edit.setText(item.note)
            self._on_kind_changed()
        self._update_buttons()

    def _on_kind_changed(self, *_args: object) -> None:
        kind = self.responsible_kind_combo.currentData()
        is_action = isinstance(self.model.item(self.tree.currentIndex()), ActionSnapshot)
        self._set_row_visible(self.responsible_user_combo, is_action and kind == "team_member")
        self._set_row_visible(self.party_combo, is_action and kind == "outside")

    def _form_item(self) -> GoalSnapshot | ActionSnapshot | None:
        item = self.model.item(self.tree.currentIndex())
        if isinstance(item, GoalSnapshot):
            return replace(
                item,
                text=self.text_edit.toPlainText(),
                rating_area=self.rating_area_combo.currentData(),
            )
        if isinstance(item, ActionSnapshot):
            kind = self.responsible_kind_combo.currentData()
            responsible = None
            if kind is not None:
                user_id = None
                name = self.responsible_name_edit.text()
                if kind == ResponsibleKind.TEAM_MEMBER.value:
                    user_id = self.responsible_user_combo.currentData()
                    if user_id is not None and not name.strip():
                        name = self.responsible_user_combo.currentText()
                party = self.party_combo.currentData() if kind == "outside" else None
                responsible = Responsible(ResponsibleKind(kind), name, party, user_id)
            return replace(
                item,
                text=self.text_edit.toPlainText(),
                responsible=responsible,
                start=self.start_edit.date_value(),
                due=self.due_edit.date_value(),
                status=ActionStatus(self.status_combo.currentData()),
                phase=self.phase_combo.currentData(),
                note=self.note_edit.text(),
            )
        return None

    def _replace_item(self, new: GoalSnapshot | ActionSnapshot) -> PlanSnapshot:
        goals = []
        for goal in self._plan.goals:
            if isinstance(new, GoalSnapshot) and goal.uid == new.uid:
                goals.append(replace(new, actions=goal.actions))
                continue
            goals.append(
                replace(
                    goal,
                    actions=tuple(
                        new if isinstance(new, ActionSnapshot) and a.uid == new.uid else a
                        for a in goal.actions
                    ),
                )
            )
        return replace(self._plan, goals=tuple(goals))

    # -- slots -----------------------------------------------------------------------------

    def _on_apply_item(self) -> None:
        self.apply_pending()

    def _on_add_goal(self) -> None:
        goal = GoalSnapshot(uid=new_item_uid(), text=_("New goal"))
        self._push(replace(self._plan, goals=(*self._plan.goals, goal)), self._sip, _("Add goal"))
        self.select_uid(goal.uid)

    def _on_add_action(self) -> None:
        item = self.model.item(self.tree.currentIndex())
        goal_uid = item.uid if isinstance(item, GoalSnapshot) else None
        if isinstance(item, ActionSnapshot):
            goal_uid = next(
                g.uid for g in self._plan.goals if any(a.uid == item.uid for a in g.actions)
            )
        if goal_uid is None:
            return
        action = ActionSnapshot(uid=new_item_uid(), text=_("New action"), start=self._plan.start)
        goals = tuple(
            replace(g, actions=(*g.actions, action)) if g.uid == goal_uid else g
            for g in self._plan.goals
        )
        self._push(replace(self._plan, goals=goals), self._sip, _("Add action"))
        self.select_uid(action.uid)

    def _on_remove(self) -> None:
        uid = self.current_uid()
        if uid is None:
            return
        goals = tuple(
            replace(g, actions=tuple(a for a in g.actions if a.uid != uid))
            for g in self._plan.goals
            if g.uid != uid
        )
        self._push(replace(self._plan, goals=goals), self._sip, _("Remove"))

    def _show_plan_fields(self) -> None:
        self.plan_box.show_fields(self._plan, self._sip)

    def plan_from_fields(self) -> tuple[PlanSnapshot, SipInfo]:
        """The plan with the plan-wide fields as typed (not yet applied)."""
        return self.plan_box.plan_from_fields(self._plan)

    def _on_apply_plan(self) -> None:
        self.apply_pending()

    def is_dirty(self) -> bool:
        """Edits not yet saved: undoable steps since loading, or typing not yet applied."""
        if self._read_only:
            return False
        if not self.undo_stack.isClean():
            return True
        plan, sip = self.plan_from_fields()
        item = self._form_item()
        current = self.model.item(self.tree.currentIndex())
        if item is not None and current is not None:
            if isinstance(item, GoalSnapshot) and isinstance(current, GoalSnapshot):
                item = replace(item, actions=current.actions)
            if item != current:
                return True
        return (plan, sip) != (self._plan, self._sip)

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def apply_pending(self) -> None:
        """Take what is typed in both forms into the plan as one undoable step."""
        if self._read_only:
            return
        plan, sip = self.plan_from_fields()
        item = self._form_item()
        if item is not None:
            plan = replace(
                self._replace_item(item),
                start=plan.start,
                follow_up_points=plan.follow_up_points,
                participants=plan.participants,
            )
        self._push(plan, sip, _("Change the plan"))
