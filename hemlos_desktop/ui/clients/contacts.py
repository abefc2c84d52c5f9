"""The outreach contacts log of one client: the list, adding a contact, and linking a person who
was met before they were identified to a registered client (their history moves over)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import (
    CONTACT_KIND_LABELS,
    CONTACT_OUTCOME_LABELS,
    ContactKind,
    ContactOutcome,
)
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import contacts as contacts_service
from hemlos_desktop.services.clients import ClientRow
from hemlos_desktop.services.contacts import ContactInfo, ContactInput
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.widgets.client_picker import ClientPicker
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel, place_below, show_field_errors


def kind_label(kind: ContactKind) -> str:
    return _(CONTACT_KIND_LABELS[kind])


def outcome_label(outcome: ContactOutcome) -> str:
    return _(CONTACT_OUTCOME_LABELS[outcome])


class ContactDialog(QDialog):
    """Record one outreach contact with the client."""

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
        self._today = today or dt.date.today()
        self.contact_id: int | None = None
        self.date_edit = make_date_edit(self._today)
        self.place_edit = QLineEdit()
        self.kind_combo = QComboBox()
        for kind in ContactKind:
            self.kind_combo.addItem("", kind.value)
        self.outcome_combo = QComboBox()
        for outcome in ContactOutcome:
            self.outcome_combo.addItem("", outcome.value)
        self.outcome_combo.setCurrentIndex(
            self.outcome_combo.findData(ContactOutcome.CONVERSATION.value)
        )
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.errors = {
            name: FieldErrorLabel() for name in ("contact_date", "place", "kind", "outcome", "note")
        }
        self.general_error = FieldErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = {name: QLabel() for name in ("date", "place", "kind", "outcome", "note")}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = (
            ("date", self.date_edit, "contact_date"),
            ("place", self.place_edit, "place"),
            ("kind", self.kind_combo, "kind"),
            ("outcome", self.outcome_combo, "outcome"),
            ("note", self.note_edit, "note"),
        )
        for key, field, error in rows:
            self._labels[key].setBuddy(field)
            form.addRow(self._labels[key], place_below(field, self.errors[error]))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.retranslate_ui()
        unit = self.fontMetrics().height()
        self.resize(unit * 30, unit * 20)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Add contact"))
        self._labels["date"].setText(_("&Date:"))
        self._labels["place"].setText(_("&Place:"))
        self._labels["kind"].setText(_("&Kind of contact:"))
        self._labels["outcome"].setText(_("&Outcome:"))
        self._labels["note"].setText(_("&Note:"))
        self.date_edit.setAccessibleName(_("Date of the contact"))
        self.place_edit.setAccessibleName(_("Place"))
        self.kind_combo.setAccessibleName(_("Kind of contact"))
        self.outcome_combo.setAccessibleName(_("Outcome"))
        self.note_edit.setAccessibleName(_("Note"))
        for index in range(self.kind_combo.count()):
            self.kind_combo.setItemText(
                index, kind_label(ContactKind(self.kind_combo.itemData(index)))
            )
        for index in range(self.outcome_combo.count()):
            self.outcome_combo.setItemText(
                index, outcome_label(ContactOutcome(self.outcome_combo.itemData(index)))
            )

    def contact_input(self) -> ContactInput:
        return ContactInput(
            contact_date=from_qdate(self.date_edit.date()),
            kind=ContactKind(self.kind_combo.currentData()),
            outcome=ContactOutcome(self.outcome_combo.currentData()),
            place=self.place_edit.text(),
            note=self.note_edit.toPlainText(),
        )

    def save(self) -> bool:
        show_field_errors(self.errors, [])
        self.general_error.set_error("")
        ctx, data = self._context, self.contact_input()
        added = run_operation(
            self,
            ctx,
            lambda: contacts_service.add_contact(
                ctx.db, ctx.actor, self._client_id, data, today=self._today
            ),
            field_errors=self._show_field_errors,
        )
        if added is None:
            return False
        self.contact_id = added.value
        return True

    def _show_field_errors(self, errors: list[FieldError]) -> None:
        rest = show_field_errors(self.errors, errors)
        self.general_error.set_error("\n".join(rest))

    def _on_save_clicked(self) -> None:
        if self.save():
            self.accept()


def _link_row_text(row: ClientRow) -> str:
    text = f"{row.display_name} · {row.id_masked}"
    if row.birth_date is not None:
        text += " · " + format_date(row.birth_date, "medium", locale=i18n.active().babel_locale)
    return text


class LinkPersonDialog(QDialog):
    """Choose the registered client that a not-yet-identified person turned out to be."""

    def __init__(
        self,
        *,
        context: UiContext,
        person_id: int,
        person_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._person_id = person_id
        self._person_name = person_name
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        # The shared picker (searches off the GUI thread): registered clients other than the
        # person; its parts keep their names here.
        self.picker = ClientPicker(
            context=context,
            accept=lambda row: row.id != person_id and row.id_kind is not IdKind.NONE,
            describe=_link_row_text,
            list_all_when_empty=False,
            select_first=True,
        )
        self.search_edit = self.picker.search
        self.results = self.picker.results
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.link_button = QPushButton()
        self.buttons.addButton(self.link_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._search_label = self.picker.search_label
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.retranslate_ui()
        self._update_buttons()
        unit = self.fontMetrics().height()
        self.resize(unit * 30, unit * 22)

    def _connect_signals(self) -> None:
        self.picker.sig_results_shown.connect(self._on_results_shown)
        self.results.currentItemChanged.connect(self._on_selection_changed)
        self.results.itemActivated.connect(self._on_link_clicked)
        self.link_button.clicked.connect(self._on_link_clicked)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Link to registered client"))
        self.intro_label.setText(
            _(
                "Find the registered client that {name} turned out to be. Their contacts, "
                "journal and housing periods move over to that client."
            ).format(name=self._person_name)
        )
        self._search_label.setText(_("&Search by number or name:"))
        self.search_edit.setAccessibleName(_("Search by number or name"))
        self.search_edit.setPlaceholderText(_("e.g. 19850312-1234 or Andersson"))
        self.results.setAccessibleName(_("Matching clients"))
        self.link_button.setText(_("&Link…"))
        self.link_button.setAccessibleName(_("Link to the chosen client"))

    def search(self, text: str) -> None:
        """Look for ``text`` (the answer comes from a worker thread; see ``is_searching``)."""
        self.search_edit.setText(text)
        self.picker.refresh()

    def is_searching(self) -> bool:
        return self.picker.is_searching()

    def found_ids(self) -> list[int]:
        return [
            int(self.results.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.results.count())
        ]

    def _on_results_shown(self, count: int) -> None:
        typed = bool(self.search_edit.text().strip())
        self.hint_label.setText("" if count or not typed else _("No registered client matches."))
        self._update_buttons()

    def chosen_client_id(self) -> int | None:
        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_buttons(self) -> None:
        self.link_button.setEnabled(self.chosen_client_id() is not None)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def link(self, *, confirm: bool = True) -> bool:
        client_id = self.chosen_client_id()
        item = self.results.currentItem()
        if client_id is None or item is None:
            return False
        if confirm and not self._confirm(
            _("Link to registered client"),
            _(
                "Move all contacts, journal entries and housing periods of {person} to "
                "{client}? This cannot be undone here."
            ).format(person=self._person_name, client=item.text()),
        ):
            return False
        ctx = self._context
        linked = run_operation(
            self,
            ctx,
            lambda: contacts_service.link_person(ctx.db, ctx.actor, self._person_id, client_id),
        )
        if linked is None:
            return False
        self.linked_client_id = client_id
        return True

    def _on_link_clicked(self, *_args: object) -> None:
        if self.link():
            self.accept()


class ContactsLogWidget(QWidget):
    """The latest outreach contacts with buttons to add one and to link the person."""

    sig_linked = Signal(int)
    """The (not yet identified) person was linked to the registered client with this id."""

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
        self._person_name = ""
        self._contacts: list[ContactInfo] = []
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.add_button = QPushButton()
        self.link_button = QPushButton()
        self.link_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        unit = self.fontMetrics().height()
        self.tree.setMinimumHeight(unit * 6)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_clicked)
        self.link_button.clicked.connect(self._on_link_clicked)

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([_("Date"), _("Kind"), _("Outcome"), _("Place"), _("Note")])
        self.tree.setAccessibleName(_("Contacts log"))
        self.add_button.setText(_("&Add contact…"))
        self.add_button.setAccessibleName(_("Add contact"))
        self.link_button.setText(_("&Link to registered client…"))
        self.link_button.setAccessibleName(_("Link to registered client"))
        self._fill()

    def set_person(self, *, unidentified: bool, name: str) -> None:
        """Offer linking only for a person who is not yet identified."""
        self._person_name = name
        self.link_button.setVisible(unidentified and self._context.actor.can_write)

    def set_contacts(self, contacts: list[ContactInfo]) -> None:
        self._contacts = list(contacts)
        self._fill()

    def load(self, *, limit: int | None = None) -> None:
        try:
            contacts = contacts_service.list_contacts(
                self._context.db, self._context.actor, self._client_id, limit=limit
            )
        except HemlosError:  # a quiet reload after a change: the list keeps what it showed
            return
        self.set_contacts(contacts)

    def contacts(self) -> list[ContactInfo]:
        return list(self._contacts)

    def _fill(self) -> None:
        locale = i18n.active().babel_locale
        self.tree.clear()
        for contact in self._contacts:
            note = contact.note.splitlines()[0] if contact.note else ""
            item = QTreeWidgetItem(
                [
                    format_date(contact.contact_date, "medium", locale=locale),
                    kind_label(contact.kind),
                    outcome_label(contact.outcome),
                    contact.place,
                    note,
                ]
            )
            item.setToolTip(4, contact.note)
            self.tree.addTopLevelItem(item)
        self.add_button.setEnabled(self._context.actor.can_write)

    def _on_add_clicked(self) -> None:
        dialog = ContactDialog(
            context=self._context, client_id=self._client_id, today=self._today, parent=self
        )
        dialog.exec()

    def _on_link_clicked(self) -> None:
        dialog = LinkPersonDialog(
            context=self._context,
            person_id=self._client_id,
            person_name=self._person_name,
            parent=self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.sig_linked.emit(dialog.linked_client_id)
