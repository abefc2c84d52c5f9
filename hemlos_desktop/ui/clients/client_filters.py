"""The items of the client list's filter boxes: their data, and their texts in the language."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import (
    GENDER_LABELS,
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
    ClientStatus,
    Gender,
    HousingCode,
    TargetGroup,
)
from hemlos_desktop.services import users as user_service
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.itemmodels.client_table_model import housing_text


def fill_filter_items(db: Database, combos: tuple[QComboBox, ...]) -> None:
    """Items with their data ("all" first) for the boxes of team, responsible, status, target
    group, gender and housing; texts are set by :func:`translate_filter_items`."""
    team, responsible, status, target, gender, housing = combos
    team.addItem("", None)
    for row in user_service.list_teams(db):
        team.addItem(row.name, row.id)
    responsible.addItem("", None)
    for user in user_service.list_users(db):
        if user.active:
            responsible.addItem(user.display_name, user.id)
    status.addItem("", None)
    for value in ClientStatus:
        status.addItem("", value.value)
    target.addItem("", None)
    for group in TargetGroup:
        target.addItem("", group.value)
    gender.addItem("", None)
    for kind in Gender:
        gender.addItem("", kind.value)
    housing.addItem("", None)
    for code in HousingCode:
        housing.addItem("", int(code))


def translate_filter_items(
    status: QComboBox, target: QComboBox, gender: QComboBox, housing: QComboBox
) -> None:
    for index in range(1, status.count()):
        status.setItemText(index, _(STATUS_LABELS[ClientStatus(status.itemData(index))]))
    for index in range(1, target.count()):
        target.setItemText(index, _(TARGET_GROUP_LABELS[TargetGroup(target.itemData(index))]))
    for index in range(1, gender.count()):
        gender.setItemText(index, _(GENDER_LABELS[Gender(gender.itemData(index))]))
    for index in range(1, housing.count()):
        housing.setItemText(index, housing_text(housing.itemData(index)))
