"""Setting up the organisation in the program: teams, units, members (role, unit, competences)
and partners. Removing something that still has clients asks who takes them over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.team import (
    COMPETENCE_LABELS,
    PARTNER_KIND_LABELS,
    TEAM_ROLE_LABELS,
    UNIT_KIND_LABELS,
    Competence,
    PartnerKind,
    TeamRole,
    UnitKind,
)
from hemlos_desktop.services import team_org
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.team_org import StillInUseError
from hemlos_desktop.services.users import list_users
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    return combo


class OrganisationDialog(QDialog):
    """Tabs: Teams (administrators), Units, Members and competences, Partners of one team."""

    def __init__(
        self, *, context: UiContext, team_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.team_id = team_id
        self._still_in_use: StillInUseError | None = None
        self.error_label = FieldErrorLabel()
        self.tabs = QTabWidget()
        # Teams
        self.team_list = QListWidget()
        self.team_name = QLineEdit()
        self.team_municipality = QLineEdit()
        self.add_team_button, self.remove_team_button = QPushButton(), QPushButton()
        # Units
        self.unit_list = QListWidget()
        self.unit_name = QLineEdit()
        self.unit_kind = _combo([(_(UNIT_KIND_LABELS[k]), k.value) for k in UnitKind])
        self.add_unit_button, self.remove_unit_button = QPushButton(), QPushButton()
        # Members
        self.member_list = QListWidget()
        self.member_user = QComboBox()
        self.member_role = _combo([(_(TEAM_ROLE_LABELS[r]), r.value) for r in TeamRole])
        self.member_unit = QComboBox()
        self.set_member_button, self.remove_member_button = QPushButton(), QPushButton()
        self.competence = _combo([(_(COMPETENCE_LABELS[c]), c.value) for c in Competence])
        self.trained_on = make_date_edit(dt.date.today())
        self.set_competence_button, self.remove_competence_button = QPushButton(), QPushButton()
        # Partners
        self.partner_list = QListWidget()
        self.partner_name = QLineEdit()
        self.partner_kind = _combo([(_(PARTNER_KIND_LABELS[k]), k.value) for k in PartnerKind])
        self.partner_contact = QLineEdit()
        self.add_partner_button, self.remove_partner_button = QPushButton(), QPushButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self._forms: list[QFormLayout] = []
        self._build()
        self._connect_signals()
        self.reload()
        self.retranslate_ui()
        self.resize(760, 520)

    def _page(
        self, lst: QListWidget, rows: list[tuple[str, QWidget]], buttons: list[QPushButton]
    ) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addWidget(lst, 1)
        right = QVBoxLayout()
        form = QFormLayout()
        for caption, widget in rows:
            label = QLabel(caption)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self._forms.append(form)
        right.addLayout(form)
        for button in buttons:
            right.addWidget(button)
        right.addStretch(1)
        layout.addLayout(right, 1)
        return page

    def _build(self) -> None:
        self.tabs.addTab(
            self._page(
                self.team_list,
                [("name", self.team_name), ("municipality", self.team_municipality)],
                [self.add_team_button, self.remove_team_button],
            ),
            "",
        )
        self.tabs.addTab(
            self._page(
                self.unit_list,
                [("name", self.unit_name), ("kind", self.unit_kind)],
                [self.add_unit_button, self.remove_unit_button],
            ),
            "",
        )
        self.tabs.addTab(
            self._page(
                self.member_list,
                [
                    ("user", self.member_user),
                    ("role", self.member_role),
                    ("unit", self.member_unit),
                    ("competence", self.competence),
                    ("trained", self.trained_on),
                ],
                [
                    self.set_member_button,
                    self.remove_member_button,
                    self.set_competence_button,
                    self.remove_competence_button,
                ],
            ),
            "",
        )
        self.tabs.addTab(
            self._page(
                self.partner_list,
                [
                    ("name", self.partner_name),
                    ("kind", self.partner_kind),
                    ("contact", self.partner_contact),
                ],
                [self.add_partner_button, self.remove_partner_button],
            ),
            "",
        )
        admin = self._context.actor.role is Role.ADMIN
        self.tabs.setTabEnabled(0, admin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        if not admin:
            self.tabs.setCurrentIndex(1)

    def _connect_signals(self) -> None:
        self.team_list.currentRowChanged.connect(self._on_team_chosen)
        self.add_team_button.clicked.connect(self._on_add_team)
        self.remove_team_button.clicked.connect(self._on_remove_team)
        self.add_unit_button.clicked.connect(self._on_add_unit)
        self.remove_unit_button.clicked.connect(self._on_remove_unit)
        self.set_member_button.clicked.connect(self._on_set_member)
        self.remove_member_button.clicked.connect(self._on_remove_member)
        self.set_competence_button.clicked.connect(lambda: self._on_competence(held=True))
        self.remove_competence_button.clicked.connect(lambda: self._on_competence(held=False))
        self.add_partner_button.clicked.connect(self._on_add_partner)
        self.remove_partner_button.clicked.connect(self._on_remove_partner)

    # -- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        db, actor = self._context.db, self._context.actor
        teams = team_org.list_team_summaries(db, actor)
        if self.team_id is None and teams:
            self.team_id = teams[0].id
        self.team_list.blockSignals(True)
        self.team_list.clear()
        for team in teams:
            item = QListWidgetItem(
                team.name + (f" ({team.municipality})" if team.municipality else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, team.id)
            self.team_list.addItem(item)
            if team.id == self.team_id:
                self.team_list.setCurrentItem(item)
        self.team_list.blockSignals(False)
        self.unit_list.clear()
        self.member_list.clear()
        self.partner_list.clear()
        self.member_unit.clear()
        self.member_unit.addItem(_("No unit"), None)
        self.member_user.clear()
        if self.team_id is None:
            return
        for unit in team_org.list_units(db, self.team_id):
            item = QListWidgetItem(f"{unit.name} · {_(UNIT_KIND_LABELS[unit.kind])}")
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            self.unit_list.addItem(item)
            self.member_unit.addItem(unit.name, unit.id)
        for member in team_org.list_members(db, self.team_id):
            skills = ", ".join(_(COMPETENCE_LABELS[c]) for c in member.competences)
            text = f"{member.display_name} · {_(TEAM_ROLE_LABELS[member.team_role])}"
            if member.unit_name:
                text += f" · {member.unit_name}"
            if skills:
                text += f" · {skills}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, member.user_id)
            self.member_list.addItem(item)
        for user in list_users(db):
            if user.active:
                self.member_user.addItem(user.display_name, user.id)
        for partner in team_org.list_partners(db, self.team_id):
            text = f"{partner.name} · {_(PARTNER_KIND_LABELS[partner.kind])}"
            item = QListWidgetItem(text + (f" · {partner.contact}" if partner.contact else ""))
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            self.partner_list.addItem(item)

    def _chosen(self, lst: QListWidget) -> int | None:
        item = lst.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _run(self, work: Callable[[], Outcome[Any]]) -> bool:
        """Run one use case through the operation runner; refusals show under the tabs."""
        self._still_in_use = None

        def on_error(error: HemlosError) -> None:
            if isinstance(error, StillInUseError):
                self._still_in_use = error
            elif isinstance(error, InvalidInputError):
                self.error_label.set_error(error.message())
            else:
                show_error(self, error)

        if run_operation(self, self._context, work, on_error=on_error) is None:
            return False
        self.error_label.set_error(None)
        self.reload()
        return True

    def _with_reassignment(
        self, remove: Callable[[int | None], Outcome[Any]], choices: list[tuple[str, int]]
    ) -> bool:
        """Try without reassignment; if clients would be left, ask who takes them over."""
        if self._run(lambda: remove(None)):
            return True
        error = self._still_in_use
        if error is not None:
            names = [name for name, _id in choices]
            if not names:
                self.error_label.set_error(error.message())
                return False
            name, ok = QInputDialog.getItem(self, error.title(), error.message(), names, 0, False)
            if not ok:
                return False
            target = dict(choices)[name]
            return self._run(lambda: remove(target))
        return False

    # -- slots --------------------------------------------------------------------------------

    def _on_team_chosen(self, _row: int) -> None:
        self.team_id = self._chosen(self.team_list)
        self.reload()

    def _on_add_team(self) -> None:
        self._run(
            lambda: team_org.add_team(
                self._context.db,
                self._context.actor,
                self.team_name.text(),
                municipality=self.team_municipality.text(),
            )
        )

    def _on_remove_team(self) -> None:
        team_id = self._chosen(self.team_list)
        if team_id is None:
            return
        others = [
            (t.name, t.id)
            for t in team_org.list_team_summaries(self._context.db)
            if t.id != team_id
        ]
        if self._with_reassignment(
            lambda to: team_org.remove_team(
                self._context.db, self._context.actor, team_id, reassign_to=to
            ),
            others,
        ):
            self.team_id = None
            self.reload()

    def _on_add_unit(self) -> None:
        if self.team_id is None:
            return
        team_id = self.team_id
        self._run(
            lambda: team_org.add_unit(
                self._context.db,
                self._context.actor,
                team_id,
                self.unit_name.text(),
                UnitKind(self.unit_kind.currentData()),
            )
        )

    def _on_remove_unit(self) -> None:
        unit_id = self._chosen(self.unit_list)
        if unit_id is None or self.team_id is None:
            return
        others = [
            (u.name, u.id) for u in team_org.list_units(self._context.db, self.team_id)
            if u.id != unit_id
        ]  # fmt: skip
        self._with_reassignment(
            lambda to: team_org.remove_unit(
                self._context.db, self._context.actor, unit_id, reassign_to=to
            ),
            others,
        )

    def _on_set_member(self) -> None:
        user = self.member_user.currentData()
        if self.team_id is None or user is None:
            return
        team_id = self.team_id
        unit = self.member_unit.currentData()
        self._run(
            lambda: team_org.set_member(
                self._context.db,
                self._context.actor,
                team_id,
                int(user),
                team_role=TeamRole(self.member_role.currentData()),
                unit_id=int(unit) if unit is not None else None,
            )
        )

    def _on_remove_member(self) -> None:
        user_id = self._chosen(self.member_list)
        if user_id is None or self.team_id is None:
            return
        team_id = self.team_id
        others = [
            (m.display_name, m.user_id)
            for m in team_org.list_members(self._context.db, team_id)
            if m.user_id != user_id
        ]
        self._with_reassignment(
            lambda to: team_org.remove_member(
                self._context.db, self._context.actor, team_id, user_id, reassign_to=to
            ),
            others,
        )

    def _on_competence(self, *, held: bool) -> None:
        user_id = self._chosen(self.member_list)
        if user_id is None:
            self.error_label.set_error(_("Choose a member in the list."))
            return
        self._run(
            lambda: team_org.set_competence(
                self._context.db,
                self._context.actor,
                user_id,
                Competence(self.competence.currentData()),
                from_qdate(self.trained_on.date()),
                held=held,
            )
        )

    def _on_add_partner(self) -> None:
        if self.team_id is None:
            return
        team_id = self.team_id
        self._run(
            lambda: team_org.add_partner(
                self._context.db,
                self._context.actor,
                team_id,
                self.partner_name.text(),
                kind=PartnerKind(self.partner_kind.currentData()),
                contact=self.partner_contact.text(),
            )
        )

    def _on_remove_partner(self) -> None:
        partner_id = self._chosen(self.partner_list)
        if partner_id is not None:
            self._run(
                lambda: team_org.remove_partner(self._context.db, self._context.actor, partner_id)
            )

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Organisation"))
        for index, title in enumerate((_("Teams"), _("Units"), _("Members"), _("Partners"))):
            self.tabs.setTabText(index, title)
        captions = {
            "name": _("&Name"),
            "municipality": _("&Municipality"),
            "kind": _("&Kind"),
            "user": _("&User"),
            "role": _("Team &role"),
            "unit": _("U&nit"),
            "competence": _("&Competence"),
            "trained": _("&Trained on"),
            "contact": _("&Contact"),
        }
        for form in self._forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if isinstance(label, QLabel):
                    key = label.property("caption_key") or label.text()
                    label.setProperty("caption_key", key)
                    label.setText(captions.get(str(key), str(key)))
        self.add_team_button.setText(_("Add team"))
        self.remove_team_button.setText(_("Remove team…"))
        self.add_unit_button.setText(_("Add unit"))
        self.remove_unit_button.setText(_("Remove unit…"))
        self.set_member_button.setText(_("Add or change member"))
        self.remove_member_button.setText(_("Remove member…"))
        self.set_competence_button.setText(_("Record competence"))
        self.remove_competence_button.setText(_("Remove competence"))
        self.add_partner_button.setText(_("Add partner"))
        self.remove_partner_button.setText(_("Remove partner"))
