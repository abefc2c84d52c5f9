"""An encrypted office database with a team lead and caseworkers who sign in through the real
sign-in dialog, as production does (used by the tests that walk each area as a user would).

``office`` (fixture in tests/ui/conftest.py) gives an ``Office``; ``office.sign_in("worker")``
types the user name and password into ``LoginDialog``, opens the database with the key the
dialog unlocked and returns the main window attached to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from clientworld import pnr
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import accounts
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.session import SignedIn, open_with_key
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.users import create_team
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.main_window import MainWindow

PASSWORD = "demo-password"
# (user name, name shown, role, member of the first team)
STAFF = (
    ("lead", "Lena Lindqvist", Role.TEAM_LEAD, True),
    ("worker", "Wilma Åkesson", Role.CASEWORKER, True),
    ("other", "Olle Berg", Role.CASEWORKER, False),
)
# (first, last, born, gender) of the first team's clients
CLIENTS = (
    ("Emma", "Söderström", dt.date(1985, 3, 12), Gender.WOMAN),
    ("Nils", "Öberg", dt.date(1979, 7, 4), Gender.MAN),
    ("Åsa", "Nilsson", dt.date(1990, 1, 20), Gender.WOMAN),
    ("Karl", "Åberg", dt.date(1962, 11, 2), Gender.MAN),
)


@dataclass
class Office:
    location: DataLocation
    settings_store: SettingsStore
    languages: LanguageManager
    qtbot: QtBot
    team_id: int
    other_team_id: int
    client_ids: dict[str, int]
    sessions: list[SignedIn] = field(default_factory=list)
    windows: list[MainWindow] = field(default_factory=list)

    def sign_in(self, username: str, *, language: str = "en") -> MainWindow:
        """Sign in through the real dialog and return the main window, attached and shown."""
        self.languages.apply(language)
        return self.open_window(self.unlock(username), language=language)

    def unlock(self, username: str) -> SignedIn:
        """Type the user name and password into the real sign-in dialog and open the database
        with the key it unlocked (closed again by ``close()``)."""
        dialog = LoginDialog(location=self.location, languages=self.languages, params=TEST_PARAMS)
        self.qtbot.addWidget(dialog)
        dialog.show()
        dialog.user_edit.setText(username)
        dialog.password_edit.setText(PASSWORD)
        with self.qtbot.waitSignal(dialog.sig_unlocked):
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.data_key is not None  # an encrypted database, unlocked by the password
        signed = open_with_key(self.location, dialog.username, dialog.data_key)
        self.sessions.append(signed)
        return signed

    def open_window(self, signed: SignedIn, *, language: str = "en") -> MainWindow:
        """The main window on a signed-in session, shown and active."""
        settings = self.settings_store.load()
        settings.language = language
        self.languages.apply(language)
        window = MainWindow(
            db=signed.db,
            actor=signed.actor,
            settings=settings,
            settings_store=self.settings_store,
            languages=self.languages,
        )
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        window.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    def close(self) -> None:
        for window in self.windows:
            window.close()
        for signed in self.sessions:
            signed.db.dispose()


def build_office(
    location: DataLocation,
    settings_store: SettingsStore,
    languages: LanguageManager,
    qtbot: QtBot,
) -> Office:
    setup = create_administrator(
        location, username="admin", display_name="Alva Admin", password=PASSWORD, params=TEST_PARAMS
    )
    signed = setup.signed_in
    try:
        db, admin = signed.db, signed.actor
        with db.begin() as session:
            team_id = create_team(session, "Boendeteamet").id
            other_team_id = create_team(session, "Uppsökarteamet").id
        for username, shown, role, first_team in STAFF:
            accounts.add_account(
                db,
                admin,
                signed.data_key,
                username=username,
                display_name=shown,
                role=role,
                team_ids=[team_id if first_team else other_team_id],
                password=PASSWORD,
            )
        client_ids: dict[str, int] = {}
        for first, last, born, gender in CLIENTS:
            data = ClientInput(
                IdKind.PERSONNUMMER, pnr(born), first, last, gender=gender, team_id=team_id
            )
            client_ids[last] = _id_of(register_client(db, admin, data))
    finally:
        signed.db.dispose()
    return Office(location, settings_store, languages, qtbot, team_id, other_team_id, client_ids)


def _id_of(result: object) -> int:
    """The client id from register_client (an int, or an outcome carrying it as ``value``)."""
    value: object = getattr(result, "value", result)
    assert isinstance(value, int)
    return value


OfficeFactory = Callable[[], Office]
