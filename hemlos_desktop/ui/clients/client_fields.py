"""The fields of the client form: identity, contact and responsibility, target groups.

Each field has its label and its error label right below it. This panel reads and fills the
fields and shows rule messages next to them; what a save does, the duplicate check and the
questions before closing are in :class:`hemlos_desktop.ui.clients.client_form.ClientFormDialog`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import GENDER_LABELS, TARGET_GROUP_LABELS, Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services.clients import ClientDetail
from hemlos_desktop.services.users import TeamInfo, UserInfo
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel, with_error
from hemlos_desktop.ui.widgets.optional_date_edit import OptionalDateEdit

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
IDENTITY_FIELDS = (
    "id_kind",
    "id_number",
    "first_name",
    "last_name",
    "alias",
    "description",
    "gender",
    "birth_date",
    "language",
)
CONTACT_FIELDS = ("phone", "email", "address", "responsible_user_id", "team_id")


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


def select_data(combo: QComboBox, value: int | None) -> None:
    """Choose the entry holding ``value`` (added when missing: an inactive user, a removed team)."""
    index = combo.findData(value)
    if index < 0 and value is not None:
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


class ClientFields(QWidget):
    """The form's fields in two columns, each with its label and error label."""

    def __init__(
        self,
        *,
        users: list[UserInfo],
        teams: list[TeamInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._build_widgets(users, teams)
        self._build_layout()

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(TEXT_INPUT_LIMIT)
        return edit

    def _build_widgets(self, users: list[UserInfo], teams: list[TeamInfo]) -> None:
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
        for user in users:
            if user.active:
                self.responsible_combo.addItem(user.display_name, user.id)
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        self.protected_check = QCheckBox()
        self.protected_check.setObjectName("protectedIdentity")
        self.target_checks: dict[TargetGroup, QCheckBox] = {}
        for group in TargetGroup:
            check = QCheckBox()
            check.setObjectName(f"target_{group.value}")
            self.target_checks[group] = check

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
        self.boxes: dict[str, QWidget] = {}
        self.errors: dict[str, FieldErrorLabel] = {}
        self.labels: dict[str, QLabel] = {}
        for name, widget in self.fields.items():
            box, label = with_error(widget)
            self.boxes[name] = box
            self.errors[name] = label
            buddy = QLabel()
            buddy.setBuddy(widget)
            self.labels[name] = buddy

    def _build_layout(self) -> None:
        self.identity_group = QGroupBox()
        identity = QFormLayout(self.identity_group)
        for name in IDENTITY_FIELDS:
            identity.addRow(self.labels[name], self.boxes[name])
        self.contact_group = QGroupBox()
        contact = QFormLayout(self.contact_group)
        for name in CONTACT_FIELDS:
            contact.addRow(self.labels[name], self.boxes[name])
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
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(self.identity_group, 3)
        columns.addLayout(right, 2)
        self.number_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("19850312-00000"))

    def tab_order(self) -> list[QWidget]:
        """The fields in the order Tab visits them."""
        return [
            *(self.fields[name] for name in IDENTITY_FIELDS),
            *(self.fields[name] for name in CONTACT_FIELDS),
            self.protected_check,
            *self.target_checks.values(),
        ]

    def retranslate_ui(self) -> None:
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
        self.update_for_kind()

    def update_for_kind(self) -> None:
        """Show the number or the alias and description, with the number's expected form."""
        kind = self.current_kind()
        unidentified = kind is IdKind.NONE
        self.boxes["id_number"].setVisible(not unidentified)
        self.labels["id_number"].setVisible(not unidentified)
        for name in ("alias", "description"):
            self.boxes[name].setVisible(unidentified)
            self.labels[name].setVisible(unidentified)
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

    def fill(self, detail: ClientDetail) -> None:
        """Show a registered client's details."""
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
        select_data(self.responsible_combo, data.responsible_user_id)
        select_data(self.team_combo, data.team_id)
        self.protected_check.setChecked(data.protected_identity)

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
