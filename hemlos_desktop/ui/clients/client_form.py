"""Register a client or edit their details.

Rules live in :mod:`hemlos_desktop.models.client_rules`; this form only shows their messages
next to each field and never clears what the user typed. Possible duplicates are shown before
saving: the same identity number blocks (with a button to open that client), the same name and
birth date is a warning the user can accept.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import GENDER_LABELS, TARGET_GROUP_LABELS, Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput, validate_client
from hemlos_desktop.models.identity import IdentityError, IdKind, parse_identity
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services import users as user_service
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.clients import DuplicateClientError, DuplicateReport
from hemlos_desktop.ui.clients.duplicates_panel import DuplicatesPanel
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel, with_error
from hemlos_desktop.ui.widgets.optional_date_edit import OptionalDateEdit

log = logging.getLogger(__name__)

# Long enough that a huge paste is kept (and refused with a message), never cut silently.
TEXT_INPUT_LIMIT = 2**31 - 1

ID_KINDS: tuple[IdKind, ...] = (
    IdKind.PERSONNUMMER,
    IdKind.SAMORDNINGSNUMMER,
    IdKind.CPR,
    IdKind.RESERVE,
    IdKind.NONE,
)
LANGUAGE_CODES: tuple[str, ...] = ("", "sv", "da", "en", "other")


def id_kind_label(kind: IdKind) -> str:
    return {
        IdKind.PERSONNUMMER: _("Swedish personnummer"),
        IdKind.SAMORDNINGSNUMMER: _("Swedish samordningsnummer"),
        IdKind.CPR: _("Danish CPR number"),
        IdKind.RESERVE: _("Municipal reserve number"),
        IdKind.NONE: _("Not yet identified"),
    }[kind]


def language_label(code: str) -> str:
    return {
        "": _("Not stated"),
        "sv": _("Swedish"),
        "da": _("Danish"),
        "en": _("English"),
        "other": _("Other language"),
    }[code]


class ClientFormDialog(QDialog):
    """The registration form (``client_id=None``) or the edit form of one client."""

    sig_open_existing = Signal(int)
    """The user chose to open the client already registered with the same number."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clientForm")
        self._context = context
        self._client_id = client_id
        self._today = today
        self._derived_birth: dt.date | None = None
        self._accepted_similar: tuple[str, str, dt.date | None] | None = None
        self._existing_id: int | None = None
        self.saved_client_id: int | None = None
        self.setModal(True)
        self._build_widgets()
        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()
        if client_id is not None:
            self._load(client_id)
        self._apply_role()
        self._on_kind_changed()
        self._initial = self.current_input()

    def _apply_role(self) -> None:
        """Who sees a client (protected identity, team, responsible person) is changed by team
        leads and administrators only; the service refuses it for others as well."""
        lead = self._context.actor.role in (Role.ADMIN, Role.TEAM_LEAD)
        self.protected_check.setEnabled(lead)
        if self._client_id is not None:
            self.team_combo.setEnabled(lead)
            self.responsible_combo.setEnabled(lead)

    # -- construction -------------------------------------------------------------------------

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(TEXT_INPUT_LIMIT)
        return edit

    def _build_widgets(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("idKind")
        for kind in ID_KINDS:
            self.kind_combo.addItem("", kind.value)
        self.number_edit = self._line("idNumber")
        self.first_name_edit = self._line("firstName")
        self.last_name_edit = self._line("lastName")
        self.alias_edit = self._line("alias")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.gender_combo = QComboBox()
        self.gender_combo.setObjectName("gender")
        for gender in Gender:
            self.gender_combo.addItem("", gender.value)
        self.gender_combo.setCurrentIndex(list(Gender).index(Gender.NOT_STATED))
        self.birth_edit = OptionalDateEdit()
        self.birth_edit.setObjectName("birthDate")
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        for code in LANGUAGE_CODES:
            self.language_combo.addItem("", code)
        self.phone_edit = self._line("phone")
        self.email_edit = self._line("email")
        self.address_edit = self._line("address")
        self.responsible_combo = QComboBox()
        self.responsible_combo.setObjectName("responsible")
        self.responsible_combo.addItem("", None)
        self.team_combo = QComboBox()
        self.team_combo.setObjectName("team")
        self.team_combo.addItem("", None)
        for user in user_service.list_users(self._context.db):
            if user.active:
                self.responsible_combo.addItem(user.display_name, user.id)
        for team in user_service.list_teams(self._context.db):
            self.team_combo.addItem(team.name, team.id)
        self.protected_check = QCheckBox()
        self.protected_check.setObjectName("protectedIdentity")
        self.target_checks: dict[TargetGroup, QCheckBox] = {}
        for group in TargetGroup:
            check = QCheckBox()
            check.setObjectName(f"target_{group.value}")
            self.target_checks[group] = check

        # Each field with its error label right below it.
        self.fields: dict[str, QWidget] = {
            "id_kind": self.kind_combo,
            "id_number": self.number_edit,
            "first_name": self.first_name_edit,
            "last_name": self.last_name_edit,
            "alias": self.alias_edit,
            "description": self.description_edit,
            "gender": self.gender_combo,
            "birth_date": self.birth_edit,
            "language": self.language_combo,
            "phone": self.phone_edit,
            "email": self.email_edit,
            "address": self.address_edit,
            "responsible_user_id": self.responsible_combo,
            "team_id": self.team_combo,
        }
        self._boxes: dict[str, QWidget] = {}
        self.errors: dict[str, FieldErrorLabel] = {}
        for name, widget in self.fields.items():
            box, label = with_error(widget)
            self._boxes[name] = box
            self.errors[name] = label
        self.labels: dict[str, QLabel] = {}
        for name, widget in self.fields.items():
            buddy = QLabel()
            buddy.setBuddy(widget)
            self.labels[name] = buddy

        self.duplicate_frame = DuplicatesPanel()
        self.duplicate_label = self.duplicate_frame.label
        self.open_existing_button = self.duplicate_frame.open_existing_button
        self.accept_similar_check = self.duplicate_frame.accept_similar_check

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(self._context.actor.can_write)

    def _build_layout(self) -> None:
        self.identity_group = QGroupBox()
        identity = QFormLayout(self.identity_group)
        for name in (
            "id_kind",
            "id_number",
            "first_name",
            "last_name",
            "alias",
            "description",
            "gender",
            "birth_date",
            "language",
        ):
            identity.addRow(self.labels[name], self._boxes[name])
        self.contact_group = QGroupBox()
        contact = QFormLayout(self.contact_group)
        for name in ("phone", "email", "address", "responsible_user_id", "team_id"):
            contact.addRow(self.labels[name], self._boxes[name])
        contact.addRow(self.protected_check)
        self.target_group_box = QGroupBox()
        targets = QVBoxLayout(self.target_group_box)
        for check in self.target_checks.values():
            targets.addWidget(check)
        for form in (identity, contact):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        right = QVBoxLayout()
        right.addWidget(self.contact_group)
        right.addWidget(self.target_group_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.identity_group, 3)
        columns.addLayout(right, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.duplicate_frame)
        layout.addWidget(self.buttons)
        self.ok_button.setAutoDefault(True)
        self.ok_button.setDefault(True)  # Enter saves (set once the button is in the dialog)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 72)
        self.number_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("19850312-00000"))

        order: list[QWidget] = [
            self.kind_combo,
            self.number_edit,
            self.first_name_edit,
            self.last_name_edit,
            self.alias_edit,
            self.description_edit,
            self.gender_combo,
            self.birth_edit,
            self.language_combo,
            self.phone_edit,
            self.email_edit,
            self.address_edit,
            self.responsible_combo,
            self.team_combo,
            self.protected_check,
            *self.target_checks.values(),
            self.accept_similar_check,
            self.open_existing_button,
            self.buttons,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.number_edit.textChanged.connect(self._on_number_changed)
        self.number_edit.editingFinished.connect(self._on_number_finished)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.open_existing_button.clicked.connect(self._on_open_existing_clicked)

    def retranslate_ui(self) -> None:
        editing = self._client_id is not None
        self.setWindowTitle(_("Edit client details") if editing else _("Register a client"))
        texts = {
            "id_kind": _("&Identity:"),
            "id_number": _("N&umber:"),
            "first_name": _("&First name:"),
            "last_name": _("&Last name:"),
            "alias": _("&Alias:"),
            "description": _("&Description:"),
            "gender": _("&Gender:"),
            "birth_date": _("Date of &birth:"),
            "language": _("La&nguage:"),
            "phone": _("&Phone:"),
            "email": _("&E-mail:"),
            "address": _("Add&ress:"),
            "responsible_user_id": _("Re&sponsible:"),
            "team_id": _("&Team:"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
            self.fields[name].setAccessibleName(text.replace("&", "").rstrip(":"))
        self.identity_group.setTitle(_("Person"))
        self.contact_group.setTitle(_("Contact and responsibility"))
        self.target_group_box.setTitle(_("Target groups"))
        for index, kind in enumerate(ID_KINDS):
            self.kind_combo.setItemText(index, id_kind_label(kind))
        for index, gender in enumerate(Gender):
            self.gender_combo.setItemText(index, _(GENDER_LABELS[gender]))
        for index, code in enumerate(LANGUAGE_CODES):
            self.language_combo.setItemText(index, language_label(code))
        self.responsible_combo.setItemText(0, _("Nobody yet"))
        self.team_combo.setItemText(0, _("No team"))
        for group, check in self.target_checks.items():
            check.setText(_(TARGET_GROUP_LABELS[group]))
        self.protected_check.setText(_("Protected identit&y"))
        self.protected_check.setToolTip(
            _("Only the responsible caseworker sees a client with a protected identity.")
        )
        self.alias_edit.setPlaceholderText(_("What the person is called in outreach work"))
        self.description_edit.setPlaceholderText(_("Appearance, where met, anything that helps"))
        self.description_edit.setAccessibleDescription(
            _("Describe the person so colleagues recognise them")
        )
        self.birth_edit.retranslate_ui()
        self._update_number_hint()
        self.duplicate_frame.retranslate_ui()
        self.ok_button.setText(_("Save changes") if editing else _("Register"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _update_number_hint(self) -> None:
        kind = self.current_kind()
        hints = {
            IdKind.PERSONNUMMER: _("YYYYMMDD-NNNN or YYMMDD-NNNN"),
            IdKind.SAMORDNINGSNUMMER: _("YYYYMMDD-NNNN, day plus 60"),
            IdKind.CPR: _("DDMMYY-NNNN"),
            IdKind.RESERVE: _("Letters, digits and hyphens"),
            IdKind.NONE: "",
        }
        self.number_edit.setPlaceholderText(hints[kind])

    # -- reading and writing the fields -------------------------------------------------------

    def current_kind(self) -> IdKind:
        # Qt hands string enums back as plain strings.
        return IdKind(self.kind_combo.currentData() or IdKind.PERSONNUMMER.value)

    def current_input(self) -> ClientInput:
        kind = self.current_kind()
        unidentified = kind is IdKind.NONE
        return ClientInput(
            id_kind=kind,
            id_text="" if unidentified else self.number_edit.text(),
            first_name=self.first_name_edit.text(),
            last_name=self.last_name_edit.text(),
            alias=self.alias_edit.text() if unidentified else "",
            description=self.description_edit.toPlainText() if unidentified else "",
            gender=Gender(self.gender_combo.currentData() or Gender.NOT_STATED.value),
            birth_date=self.birth_edit.date_value(),
            language=self.language_combo.currentData(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.text(),
            target_groups=frozenset(g for g, c in self.target_checks.items() if c.isChecked()),
            responsible_user_id=self.responsible_combo.currentData(),
            team_id=self.team_combo.currentData(),
            protected_identity=self.protected_check.isChecked(),
        )

    def _load(self, client_id: int) -> None:
        detail = client_service.get_client(self._context.db, self._context.actor, client_id)
        data = detail.data
        self.kind_combo.setCurrentIndex(ID_KINDS.index(data.id_kind))
        self.number_edit.setText(detail.id_number)
        self.first_name_edit.setText(data.first_name)
        self.last_name_edit.setText(data.last_name)
        self.alias_edit.setText(data.alias)
        self.description_edit.setPlainText(data.description)
        self.gender_combo.setCurrentIndex(list(Gender).index(data.gender))
        self.birth_edit.set_date_value(data.birth_date)
        if data.language in LANGUAGE_CODES:
            self.language_combo.setCurrentIndex(LANGUAGE_CODES.index(data.language))
        self.phone_edit.setText(data.phone)
        self.email_edit.setText(data.email)
        self.address_edit.setText(data.address)
        for group, check in self.target_checks.items():
            check.setChecked(group in data.target_groups)
        self._select_data(self.responsible_combo, data.responsible_user_id)
        self._select_data(self.team_combo, data.team_id)
        self.protected_check.setChecked(data.protected_identity)

    @staticmethod
    def _select_data(combo: QComboBox, value: int | None) -> None:
        index = combo.findData(value)
        if index < 0 and value is not None:
            combo.addItem(str(value), value)  # an inactive user or a removed team
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def is_dirty(self) -> bool:
        return self.current_input() != self._initial

    # -- errors -------------------------------------------------------------------------------

    def show_field_errors(self, errors: list[FieldError]) -> None:
        """Each message next to its field (the first such field gets the focus)."""
        by_field: dict[str, list[str]] = {}
        for error in errors:
            name = error.field if error.field in self.errors else "first_name"
            by_field.setdefault(name, []).append(error.message)
        for name, label in self.errors.items():
            label.set_error("\n".join(by_field.get(name, [])))
        for name in self.fields:
            if name in by_field:
                self.fields[name].setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def field_error(self, name: str) -> str:
        return self.errors[name].error()

    # -- behaviour ----------------------------------------------------------------------------

    def _on_kind_changed(self, *_args: object) -> None:
        unidentified = self.current_kind() is IdKind.NONE
        for name in ("id_number",):
            self._boxes[name].setVisible(not unidentified)
            self.labels[name].setVisible(not unidentified)
        for name in ("alias", "description"):
            self._boxes[name].setVisible(unidentified)
            self.labels[name].setVisible(unidentified)
        self._update_number_hint()
        self._on_number_changed(self.number_edit.text())

    def _on_number_changed(self, text: str) -> None:
        """Fill in and lock the date of birth while the number gives it."""
        self._existing_id = None
        self.duplicate_frame.hide()  # what it said was about the number as it was
        born: dt.date | None = None
        kind = self.current_kind()
        if kind not in (IdKind.NONE, IdKind.RESERVE) and len(text) <= 64 and text.strip():
            try:
                born = parse_identity(text, kind, today=self._today_or_now()).birth_date
            except IdentityError:
                born = None
        if born is not None:
            self._derived_birth = born
            self.birth_edit.set_date_value(born)
            self.birth_edit.setReadOnly(True)
            self.birth_edit.setToolTip(_("Taken from the identity number"))
        elif self._derived_birth is not None:
            # The number no longer gives the date: leave what was shown, but let it be edited.
            self._derived_birth = None
            self.birth_edit.setReadOnly(False)
            self.birth_edit.retranslate_ui()
        if self.errors["id_number"].error() and born is not None:
            self.errors["id_number"].set_error(None)

    def _on_number_finished(self) -> None:
        """Check the number as soon as the user leaves it: its error and the same number."""
        kind = self.current_kind()
        text = self.number_edit.text()
        if kind is IdKind.NONE or not text.strip():
            return
        try:
            parse_identity(text, kind, today=self._today_or_now())
        except IdentityError as error:
            self.errors["id_number"].set_error(error.text)
            return
        self.errors["id_number"].set_error(None)
        try:
            report = client_service.find_duplicates(
                self._context.db,
                self._context.actor,
                self.current_input(),
                exclude_id=self._client_id,
            )
        except HemlosError:
            return
        if report.blocking:
            self._show_duplicates(report)

    def _today_or_now(self) -> dt.date:
        return self._today or dt.date.today()

    def _on_ok_clicked(self) -> None:
        data = self.current_input()
        clean, errors = validate_client(data, today=self._today_or_now())
        self.show_field_errors(errors)
        if clean is None:
            return
        try:
            report = client_service.find_duplicates(
                self._context.db, self._context.actor, data, exclude_id=self._client_id
            )
        except HemlosError as error:
            show_error(self, error)
            return
        if report.blocking:
            self._show_duplicates(report)
            return
        key = (data.first_name.casefold(), data.last_name.casefold(), clean.birth_date)
        if report.similar and not (
            self.accept_similar_check.isChecked() and self._accepted_similar == key
        ):
            self._accepted_similar = key
            self.accept_similar_check.setChecked(False)
            self._show_duplicates(report)
            return
        self._save(data)

    def _save(self, data: ClientInput) -> None:
        db, actor, existing = self._context.db, self._context.actor, self._client_id

        def save() -> Outcome[int]:
            if existing is None:
                return client_service.register_client(db, actor, data, today=self._today)
            updated = client_service.update_client(db, actor, existing, data, today=self._today)
            return Outcome(existing, updated.changes)

        saved = run_operation(
            self,
            self._context,
            save,
            field_errors=self.show_field_errors,
            on_error=self._on_save_refused,
        )
        if saved is None:
            return
        client_id = saved.value
        self.saved_client_id = client_id
        self._initial = data
        super().accept()

    def _on_save_refused(self, error: HemlosError) -> None:
        if isinstance(error, DuplicateClientError):
            self._show_duplicates(error.report)
        show_error(self, error)

    def _show_duplicates(self, report: DuplicateReport) -> None:
        if report.same_number:
            self.errors["id_number"].set_error(_("This identity number is already registered."))
            visible = [m.client_id for m in report.same_number if m.client_id is not None]
            self._existing_id = visible[0] if visible else None
        self.duplicate_frame.show_report(report, existing_id=self._existing_id)

    def duplicate_text(self) -> str:
        return self.duplicate_frame.text()

    def _on_open_existing_clicked(self) -> None:
        if self._existing_id is None:
            return
        existing = self._existing_id
        self._initial = self.current_input()  # the user chose to leave this form
        super().reject()
        self.sig_open_existing.emit(existing)

    # -- cancelling ---------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """Ask before throwing typed data away (tests replace this)."""
        answer = QMessageBox.question(
            self,
            _("Discard changes?"),
            _("You have typed details that are not saved. Close the form and discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.is_dirty() and not self.confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.result() == QDialog.DialogCode.Accepted or not self.is_dirty():
            super().closeEvent(event)
            return
        if self.confirm_discard():
            self._initial = self.current_input()
            super().closeEvent(event)
        else:
            event.ignore()
