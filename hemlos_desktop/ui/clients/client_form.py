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
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client_rules import ClientInput, validate_client
from hemlos_desktop.models.identity import IdentityError, IdKind, default_kind, parse_identity
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import client_assignment
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services import users as user_service
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.clients import DuplicateClientError, DuplicateReport
from hemlos_desktop.ui.clients.client_fields import ID_KINDS, ClientFields, select_data
from hemlos_desktop.ui.clients.duplicates_panel import DuplicatesPanel
from hemlos_desktop.ui.clients.form_questions import ask_save_out_of_sight
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query

log = logging.getLogger(__name__)


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
        else:
            self.kind_combo.setCurrentIndex(ID_KINDS.index(default_kind(current_language())))
            defaults = client_assignment.author_defaults(self._context.actor)
            select_data(self.responsible_combo, defaults.responsible_user_id)
            select_data(self.team_combo, defaults.team_id)
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

    def _build_widgets(self) -> None:
        self.form_fields = ClientFields(
            users=user_service.list_users(self._context.db),
            teams=user_service.list_teams(self._context.db),
        )
        f = self.form_fields  # its parts are named here too (the dialog's code and tests)
        self.kind_combo, self.number_edit = f.kind_combo, f.number_edit
        self.first_name_edit, self.last_name_edit = f.first_name_edit, f.last_name_edit
        self.alias_edit, self.description_edit = f.alias_edit, f.description_edit
        self.gender_combo, self.birth_edit = f.gender_combo, f.birth_edit
        self.language_combo, self.phone_edit = f.language_combo, f.phone_edit
        self.email_edit, self.address_edit = f.email_edit, f.address_edit
        self.responsible_combo, self.team_combo = f.responsible_combo, f.team_combo
        self.protected_check, self.target_checks = f.protected_check, f.target_checks
        self.fields, self.errors, self.labels = f.fields, f.errors, f.labels

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
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_fields)
        layout.addWidget(self.duplicate_frame)
        layout.addWidget(self.buttons)
        self.ok_button.setAutoDefault(True)
        self.ok_button.setDefault(True)  # Enter saves (set once the button is in the dialog)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 72)

        order: list[QWidget] = [
            *self.form_fields.tab_order(),
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
        self.form_fields.retranslate_ui()
        self.duplicate_frame.retranslate_ui()
        self.ok_button.setText(_("Save changes") if editing else _("Register"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    # -- reading and writing the fields -------------------------------------------------------

    def current_kind(self) -> IdKind:
        return self.form_fields.current_kind()

    def current_input(self) -> ClientInput:
        return self.form_fields.current_input()

    def _load(self, client_id: int) -> None:
        self.form_fields.fill(
            client_service.get_client(self._context.db, self._context.actor, client_id)
        )

    def is_dirty(self) -> bool:
        return self.current_input() != self._initial

    # -- errors -------------------------------------------------------------------------------

    def show_field_errors(self, errors: list[FieldError]) -> None:
        """Each message next to its field (the first such field gets the focus)."""
        self.form_fields.show_field_errors(errors)

    def field_error(self, name: str) -> str:
        return self.errors[name].error()

    # -- behaviour ----------------------------------------------------------------------------

    def _on_kind_changed(self, *_args: object) -> None:
        self.form_fields.update_for_kind()
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
        except HemlosError:  # a quiet early check on leaving the field; OK checks again
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
        ctx, existing = self._context, self._client_id
        found = run_query(
            self,
            lambda: client_service.find_duplicates(ctx.db, ctx.actor, data, exclude_id=existing),
        )
        if found is None:
            return
        report = found.value
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
        new = self._client_id is None
        if client_assignment.hides_from_author(self._context.actor, data, new=new):
            if not self.confirm_hide():
                self.responsible_combo.setFocus(Qt.FocusReason.OtherFocusReason)
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

    def confirm_hide(self) -> bool:
        """Ask before a save after which the user no longer sees the client (tests replace this)."""
        return ask_save_out_of_sight(self)

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
