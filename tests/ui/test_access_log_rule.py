"""The access-log rule, through the real window on an encrypted database signed into through
the real dialog: opening a case file is one "viewed" entry, refreshes write nothing, a plan PDF
is one export entry written after the file exists, and a failed write logs nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import clients, plans
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.pdf_export import PdfWriteError
from hemlos_desktop.services.session import SignedIn
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.plans import page as plans_page_module
from hemlos_desktop.ui.plans.page import PlansPage

pytestmark = pytest.mark.usefixtures("fast_kdf")

TODAY = dt.date.today()


class Logged(NamedTuple):
    at: dt.datetime  # UTC
    detail: str


def _client(signed_in: SignedIn) -> int:
    data = ClientInput(id_kind=IdKind.NONE, id_text="", first_name="Kim", last_name="Berg")
    return clients.register_client(signed_in.db, signed_in.actor, data).value


def _entries(signed_in: SignedIn, client_id: int, action: AuditAction) -> list[Logged]:
    with signed_in.db.read() as session:
        return [
            Logged(at, detail)
            for at, detail in session.execute(
                select(AuditEntry.at, AuditEntry.detail)
                .where(AuditEntry.client_id == client_id, AuditEntry.action == action.value)
                .order_by(AuditEntry.id)
            )
        ]


def _count_all(signed_in: SignedIn) -> int:
    with signed_in.db.read() as session:
        return len(list(session.scalars(select(AuditEntry.id))))


def test_opening_a_case_file_is_one_view_and_refreshes_write_nothing(
    qtbot: QtBot, window: MainWindow, signed_in: SignedIn
) -> None:
    cid = _client(signed_in)
    page = window.pages["clients"]
    page.open_client(cid)  # type: ignore[attr-defined]
    overview = page.tabs.currentWidget()  # type: ignore[attr-defined]
    assert isinstance(overview, CaseOverviewWidget) and overview.client_id == cid
    # The header, the rating panel and the plan panel have all loaded.
    assert overview.header() is not None
    assert len(_entries(signed_in, cid, AuditAction.VIEW)) == 1
    before = _count_all(signed_in)

    overview.refresh()
    window.context.notifier.publish(ChangeSet.of(ChangeKind, cid))  # every kind, this client
    page.open_client(cid)  # type: ignore[attr-defined]  # already open: only focused
    qtbot.wait(10)
    assert _count_all(signed_in) == before
    assert len(_entries(signed_in, cid, AuditAction.VIEW)) == 1


def _plan(signed_in: SignedIn, cid: int) -> None:
    # A draft prints too (marked as a draft).
    plans.create_draft(
        signed_in.db, signed_in.actor, cid, start=TODAY, template_id="housing_first", language="sv"
    )


def _plans_page(window: MainWindow, cid: int) -> PlansPage:
    window.show_area("plans")
    page = window.pages["plans"]
    assert isinstance(page, PlansPage)
    page.open_client(cid)
    return page


def test_plan_pdf_is_one_export_entry_written_after_the_file(
    window: MainWindow, signed_in: SignedIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[HemlosError] = []
    monkeypatch.setattr(plans_page_module, "show_error", lambda _p, error: shown.append(error))
    monkeypatch.setattr(operations, "show_error", lambda _p, error: shown.append(error))
    cid = _client(signed_in)
    _plan(signed_in, cid)
    page = _plans_page(window, cid)
    views = _entries(signed_in, cid, AuditAction.VIEW)
    assert [v.detail for v in views] == ["plan"]  # opening the client's plans: one entry
    out = tmp_path / "plan.pdf"
    page.ask_pdf_path = lambda: out  # type: ignore[method-assign]
    page.pdf_button.click()
    assert shown == []
    assert PdfReader(str(out)).pages
    [entry] = _entries(signed_in, cid, AuditAction.EXPORT)
    assert entry.detail.startswith("pdf plan ")
    written = dt.datetime.fromtimestamp(out.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    assert entry.at >= written
    assert not _entries(signed_in, cid, AuditAction.PRINT)
    assert len(_entries(signed_in, cid, AuditAction.VIEW)) == 1


def test_failing_plan_pdf_write_is_a_known_error_and_logs_nothing(
    window: MainWindow, signed_in: SignedIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[HemlosError] = []
    monkeypatch.setattr(plans_page_module, "show_error", lambda _p, error: shown.append(error))
    monkeypatch.setattr(operations, "show_error", lambda _p, error: shown.append(error))
    cid = _client(signed_in)
    _plan(signed_in, cid)
    page = _plans_page(window, cid)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    before = _count_all(signed_in)
    page.ask_pdf_path = lambda: blocker / "plan.pdf"  # type: ignore[method-assign]
    page.pdf_button.click()
    [error] = shown
    assert isinstance(error, PdfWriteError)
    assert error.title() and error.message() and error.advice()
    assert _count_all(signed_in) == before
    assert not (blocker / "plan.pdf").exists()
