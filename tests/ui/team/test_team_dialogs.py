"""The organisation dialog and the case-file panel with its eviction form, through real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.team import EvictionOutcome
from hemlos_desktop.services import evictions, team_org
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.team.case_panel import TeamCasePanel
from hemlos_desktop.ui.team.setup_dialog import OrganisationDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def ctx(world: World, who: str) -> UiContext:
    return UiContext(
        db=world.db, actor=world.actors[who], notifier=ChangeNotifier(), settings=Settings()
    )


def test_administrator_sets_up_a_team(
    qtbot: QtBot, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = OrganisationDialog(context=ctx(world, "admin"), team_id=world.team_a)
    qtbot.addWidget(dialog)
    dialog.team_name.setText("Södermalm")
    dialog.team_municipality.setText("Stockholm")
    dialog.add_team_button.click()
    names = [dialog.team_list.item(i).text() for i in range(dialog.team_list.count())]
    assert "Södermalm (Stockholm)" in names
    dialog.team_name.setText("södermalm")
    dialog.add_team_button.click()
    assert dialog.error_label.error() == "A team with this name exists already."
    # Team A: a unit, Anna as boendelots in it with MI, a landlord.
    dialog.team_list.setCurrentRow(names.index("Team A"))
    dialog.unit_name.setText("Boendestöd")
    dialog.add_unit_button.click()
    dialog.member_user.setCurrentIndex(dialog.member_user.findText("Anna Worker"))
    dialog.member_role.setCurrentIndex(dialog.member_role.findData("coordinator"))
    dialog.member_unit.setCurrentIndex(dialog.member_unit.findText("Boendestöd"))
    dialog.set_member_button.click()
    members = team_org.list_members(world.db, world.team_a)
    anna = next(m for m in members if m.username == "anna")
    assert (anna.team_role.value, anna.unit_name) == ("coordinator", "Boendestöd")
    row = next(
        i for i in range(dialog.member_list.count())
        if dialog.member_list.item(i).text().startswith("Anna Worker")
    )  # fmt: skip
    dialog.member_list.setCurrentRow(row)
    dialog.competence.setCurrentIndex(dialog.competence.findData("mi"))
    dialog.set_competence_button.click()
    anna = next(m for m in team_org.list_members(world.db, world.team_a) if m.username == "anna")
    assert [c.value for c in anna.competences] == ["mi"]
    dialog.partner_name.setText("Stockholmshem")
    dialog.add_partner_button.click()
    assert [p.name for p in team_org.list_partners(world.db, world.team_a)] == ["Stockholmshem"]
    # Removing Team A, which has a client, asks which team takes it over.
    client = world.add("Eva", "Ek", number=pnr(dt.date(1980, 1, 2)))
    asked: list[str] = []

    def choose(_parent: object, _title: str, label: str, items: list[str], *_a: object) -> tuple:
        asked.append(label)
        return "Team B", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    names = [dialog.team_list.item(i).text() for i in range(dialog.team_list.count())]
    dialog.team_list.setCurrentRow(names.index("Team A"))
    dialog.remove_team_button.click()
    assert asked and "1 client" in asked[0]
    with world.db.read() as s:
        assert s.get(Client, client).team_id == world.team_b  # type: ignore[union-attr]


def test_lead_registers_an_eviction_case_in_the_case_file(qtbot: QtBot, world: World) -> None:
    client = world.add("Eva", "Ek", number=pnr(dt.date(1980, 1, 2)))
    context = ctx(world, "lead")
    panel = TeamCasePanel(context=context, client_id=client)
    qtbot.addWidget(panel)
    assert panel.cases_label.text() == "No eviction case."
    dialog = panel.open_case_dialog(None)
    dialog.landlord.setText("Stockholmshem")
    dialog.arrears.setText("12 500,50")
    dialog.dates["notice_date"].set_date_value(dt.date(2026, 5, 1))
    dialog.dates["eviction_date"].set_date_value(dt.date(2026, 4, 1))
    assert dialog.save() is False
    assert dialog.errors["eviction_date"].error() == (
        "The eviction date cannot be before the notice date."
    )
    assert dialog.landlord.text() == "Stockholmshem"  # nothing typed is lost
    dialog.dates["eviction_date"].set_date_value(dt.date(2026, 6, 1))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("lease_kept"))
    dialog.dates["outcome_date"].set_date_value(dt.date(2026, 5, 20))
    assert dialog.save() is True
    rows = evictions.client_eviction_cases(world.db, world.actors["lead"], client)
    assert [(r.landlord, r.arrears_cents, r.outcome) for r in rows] == [
        ("Stockholmshem", 1250050, EvictionOutcome.LEASE_KEPT)
    ]
    assert panel.case_combo.count() == 1 and "Stockholmshem" in panel.case_combo.itemText(0)
    edit = panel.open_case_dialog(0)
    assert edit.landlord.text() == "Stockholmshem" and edit.arrears.text() == "12,500.50"
    edit.close()
