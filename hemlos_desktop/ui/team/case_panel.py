"""Case-file panels: who does what for the client (with history) and the client's eviction
cases, with a form to register or change a case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.eviction_rules import EvictionInput, parse_amount
from hemlos_desktop.models.team import (
    EVICTION_OUTCOME_LABELS,
    EVICTION_REASON_LABELS,
    RESPONSIBILITY_LABELS,
    EvictionOutcome,
    EvictionReason,
)
from hemlos_desktop.services import evictions, team_cases
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.evictions import EvictionInputError, EvictionRow
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.team.models import format_date
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel
from hemlos_desktop.ui.widgets.optional_date_edit import OptionalDateEdit

DATE_FIELDS = (
    "notice_date",
    "social_services_date",
    "kronofogden_date",
    "hearing_date",
    "eviction_date",
    "outcome_date",
)


class EvictionDialog(QDialog):
    """Register or change one eviction case; each broken rule is shown next to its field."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        case: EvictionRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self._case = case
        self.landlord = QLineEdit()
        self.landlord.setMaxLength(200)
        self.reason = QComboBox()
        for reason in EvictionReason:
            self.reason.addItem(_(EVICTION_REASON_LABELS[reason]), reason.value)
        self.arrears = QLineEdit()
        self.dates = {name: OptionalDateEdit() for name in DATE_FIELDS}
        self.measures = QPlainTextEdit()
        self.outcome = QComboBox()
        self.outcome.addItem(_("Open"), None)
        for outcome in EvictionOutcome:
            self.outcome.addItem(_(EVICTION_OUTCOME_LABELS[outcome]), outcome.value)
        self.errors: dict[str, FieldErrorLabel] = {}
        self.form = QFormLayout()
        self._captions: dict[QWidget, str] = {}
        for key, widget in (
            ("landlord", self.landlord),
            ("reason", self.reason),
            ("arrears", self.arrears),
            *((name, self.dates[name]) for name in DATE_FIELDS[:5]),
            ("measures", self.measures),
            ("outcome", self.outcome),
            ("outcome_date", self.dates["outcome_date"]),
        ):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            label = FieldErrorLabel(field=widget)
            box.addWidget(label)
            self.errors[key] = label
            caption = QLabel()
            caption.setBuddy(widget)
            self.form.addRow(caption, holder)
            self._captions[widget] = key
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        if case is not None:
            self._fill(case)
        self.retranslate_ui()

    def _fill(self, case: EvictionRow) -> None:
        self.landlord.setText(case.landlord)
        self.reason.setCurrentIndex(self.reason.findData(case.reason.value))
        if case.arrears_cents is not None:
            self.arrears.setText(i18n.active().format_decimal(case.arrears_cents / 100, 2))
        for name in DATE_FIELDS:
            self.dates[name].set_date_value(getattr(case, name))
        self.measures.setPlainText(case.measures)
        self.outcome.setCurrentIndex(
            self.outcome.findData(case.outcome.value) if case.outcome else 0
        )

    def data(self) -> EvictionInput | None:
        for label in self.errors.values():
            label.set_error(None)
        try:
            arrears = parse_amount(self.arrears.text())
        except ValueError:
            self.errors["arrears"].set_error(_("Write an amount, for example 12 500,00."))
            return None
        outcome = self.outcome.currentData()
        return EvictionInput(
            landlord=self.landlord.text(),
            reason=EvictionReason(self.reason.currentData()),
            arrears_cents=arrears,
            measures=self.measures.toPlainText(),
            outcome=EvictionOutcome(outcome) if outcome else None,
            **{name: self.dates[name].date_value() for name in DATE_FIELDS},
        )

    def save(self) -> bool:
        data = self.data()
        if data is None:
            return False
        case = self._case
        db, actor = self._context.db, self._context.actor

        def call() -> Outcome[Any]:
            if case is None:
                return evictions.add_eviction_case(db, actor, self._client_id, data)
            return evictions.update_eviction_case(db, actor, case.id, data)

        def on_error(error: HemlosError) -> None:
            if isinstance(error, EvictionInputError):
                for field, message in error.problems:
                    label = self.errors.get(field)
                    if label is not None and not label.error():
                        label.set_error(message)
            else:
                show_error(self, error)

        # The panel that opened the form is the initiator: it reloads itself below.
        initiator = self.parent()
        if run_operation(self, self._context, call, on_error=on_error, initiator=initiator) is None:
            return False
        if isinstance(initiator, TeamCasePanel):
            initiator.refresh()
        self.accept()
        return True

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Eviction case"))
        captions = {
            "landlord": _("&Landlord"),
            "reason": _("&Reason"),
            "arrears": _("Rent &arrears"),
            "notice_date": _("&Notice"),
            "social_services_date": _("Social services &told"),
            "kronofogden_date": _("Application to &Kronofogden / fogedret"),
            "hearing_date": _("&Hearing"),
            "eviction_date": _("&Eviction"),
            "measures": _("&Measures taken"),
            "outcome": _("&Outcome"),
            "outcome_date": _("Outcome &date"),
        }
        for widget, key in self._captions.items():
            holder = widget.parentWidget()
            label = self.form.labelForField(holder) if holder is not None else None
            if isinstance(label, QLabel):
                label.setText(captions[key])


class TeamCasePanel(QWidget):
    """Who does what now (and before), and the client's eviction cases."""

    def __init__(self, *, context: UiContext, client_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self.box: QGroupBox | None = None  # the case overview's group box around the panel
        self.cases: list[EvictionRow] = []
        self.who: team_cases.WhoDoesWhat | None = None
        self.who_label = QLabel()
        self.history_label = QLabel()
        self.cases_label = QLabel()
        for label in (self.who_label, self.history_label, self.cases_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.case_combo = QComboBox()
        self.new_case_button = QPushButton()
        self.edit_case_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.case_combo, 1)
        buttons.addWidget(self.edit_case_button)
        buttons.addWidget(self.new_case_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who_label)
        layout.addWidget(self.history_label)
        layout.addWidget(self.cases_label)
        layout.addLayout(buttons)
        self.new_case_button.clicked.connect(lambda: self.open_case_dialog(None))
        self.edit_case_button.clicked.connect(
            lambda: self.open_case_dialog(self.case_combo.currentIndex())
        )
        context.notifier.subscribe(self, {ChangeKind.TEAM, ChangeKind.HEADER}, self._on_changed)
        self.refresh()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches({ChangeKind.TEAM, ChangeKind.HEADER}, self._client_id):
            self.refresh()

    def open_case_dialog(self, index: int | None) -> EvictionDialog:
        case = self.cases[index] if index is not None and 0 <= index < len(self.cases) else None
        dialog = EvictionDialog(
            context=self._context, client_id=self._client_id, case=case, parent=self
        )
        dialog.open()
        return dialog

    def refresh(self) -> None:
        try:
            self.who = team_cases.who_does_what(
                self._context.db, self._context.actor, self._client_id
            )
            self.cases = evictions.client_eviction_cases(
                self._context.db, self._context.actor, self._client_id
            )
        except HemlosError:  # a quiet refresh of a case-file panel: it shows nothing
            self.who, self.cases = None, []
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        if self.box is not None:
            self.box.setTitle(_("Who does what and eviction cases"))
        self.new_case_button.setText(_("New eviction case…"))
        self.edit_case_button.setText(_("Change case…"))
        who = self.who
        lines = []
        if who is not None:
            for row in who.current:
                lines.append(
                    f"{_(RESPONSIBILITY_LABELS[row.role])}: {row.who} "
                    + _("since {date}").format(date=format_date(row.start_date))
                )
        self.who_label.setText("\n".join(lines) or _("Nobody is named yet."))
        history = []
        if who is not None:
            for row in who.history[:5]:
                history.append(
                    f"{_(RESPONSIBILITY_LABELS[row.role])}: {row.who} "
                    f"{format_date(row.start_date)}–{format_date(row.end_date)}"
                )
        self.history_label.setText(_("Earlier:") + "\n" + "\n".join(history) if history else "")
        self.history_label.setVisible(bool(history))
        self.case_combo.clear()
        for case in self.cases:
            state = _(EVICTION_OUTCOME_LABELS[case.outcome]) if case.outcome else _("Open")
            text = f"{format_date(case.notice_date)} · {case.landlord} · {state}"
            if case.next_date:
                text += " · " + _("{days} days left").format(days=case.days_left)
            self.case_combo.addItem(text)
        self.case_combo.setVisible(bool(self.cases))
        self.edit_case_button.setVisible(bool(self.cases))
        self.cases_label.setText(_("Eviction cases:") if self.cases else _("No eviction case."))
        self.case_combo.setAccessibleName(_("Eviction cases"))


def install_case_panel(overview: QWidget, context: UiContext) -> TeamCasePanel:
    """Add the panel to a CaseOverviewWidget (``overview.add_panel``); returns the panel."""
    panel = TeamCasePanel(context=context, client_id=int(overview.client_id))  # type: ignore[attr-defined]
    panel.box = overview.add_panel(_("Who does what and eviction cases"), panel)  # type: ignore[attr-defined]
    return panel
