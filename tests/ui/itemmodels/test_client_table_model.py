"""The client table model: paged loading, bounded cache, SQL sorting, refresh, reveal."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hemlos_desktop.demo.data import DEMO_TODAY, fill_demo
from hemlos_desktop.models.client import ClientStatus, Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import ClientQuery, SortKey
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.ui.itemmodels.client_table_model import ClientColumn, ClientTableModel


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-client demo database made once per module; each test works on a copy."""
    location = DataLocation(tmp_path_factory.mktemp("demo2000") / "data")
    template = open_workspace(location)
    fill_demo(template, random.Random(7), 2000)
    template.dispose()
    return location.folder


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    database = open_workspace(DataLocation(folder))
    yield database
    database.dispose()


@pytest.fixture
def demo_actor(db: Database) -> Actor:
    return actor_by_username(db, "admin")


def make_model(db: Database, actor: Actor, **kwargs: int) -> ClientTableModel:
    model = ClientTableModel(db=db, actor=actor, today=DEMO_TODAY, **kwargs)
    model.search(ClientQuery())
    return model


def texts(model: ClientTableModel, column: ClientColumn) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_passes_the_model_tester(qtmodeltester, db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor, page_size=50, max_pages=4)
    model.search(ClientQuery(text="so"))  # a few hundred rows keep the tester quick
    assert 0 < model.rowCount() < 2000
    qtmodeltester.check(model)


def test_scrolling_loads_pages_and_the_cache_stays_bounded(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor, page_size=200, max_pages=3)
    assert model.rowCount() == client_service.count_visible(db, demo_actor)
    assert model.pages_loaded == 0  # the search alone loads no rows
    for row in range(model.rowCount()):
        assert model.index(row, ClientColumn.NAME).data()
        assert model.cached_pages <= 3
    assert model.pages_loaded == -(-model.rowCount() // 200)
    # Going back to a page still in the cache costs no query.
    before = model.pages_loaded
    model.index(model.rowCount() - 1, ClientColumn.STATUS).data()
    assert model.pages_loaded == before


def test_flags_never_query(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    for row in range(0, model.rowCount(), 97):
        assert model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.pages_loaded == 0


@pytest.mark.parametrize("column", list(ClientColumn))
def test_sorting_by_each_column_runs_the_search_in_sql(
    db: Database, demo_actor: Actor, column: ClientColumn
) -> None:
    model = make_model(db, demo_actor)
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        check_sorted(db, demo_actor, model, column, order)


def check_sorted(
    db: Database, actor: Actor, model: ClientTableModel, column: ClientColumn, order: Qt.SortOrder
) -> None:
    demo_actor = actor
    model.sort(column, order)
    descending = order == Qt.SortOrder.DescendingOrder
    key = {
        ClientColumn.NAME: SortKey.NAME,
        ClientColumn.ID_NUMBER: SortKey.ID_NUMBER,
        ClientColumn.AGE: SortKey.BIRTH_DATE,
        ClientColumn.GENDER: SortKey.GENDER,
        ClientColumn.HOUSING: SortKey.HOUSING,
        ClientColumn.RESPONSIBLE: SortKey.RESPONSIBLE,
        ClientColumn.TEAM: SortKey.TEAM,
        ClientColumn.STATUS: SortKey.STATUS,
    }[column]
    if column is ClientColumn.AGE:
        descending = not descending  # the oldest have the earliest birth dates
    expected = client_service.search_ids(
        db, demo_actor, ClientQuery(sort=key, descending=descending)
    )
    assert list(model.ids) == expected
    assert model.query.sort is key


def test_sorted_values_are_in_order(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    model.sort(ClientColumn.AGE, Qt.SortOrder.AscendingOrder)
    ages = [int(a) for a in texts(model, ClientColumn.AGE) if a]
    assert ages == sorted(ages)
    model.sort(ClientColumn.HOUSING, Qt.SortOrder.DescendingOrder)
    codes = [int(h.split()[0]) for h in texts(model, ClientColumn.HOUSING) if h]
    assert codes == sorted(codes, reverse=True)
    model.sort(ClientColumn.TEAM, Qt.SortOrder.AscendingOrder)
    teams = [t.lower() for t in texts(model, ClientColumn.TEAM) if t]
    assert teams == sorted(teams)


def test_sorting_keeps_the_current_client_selected(db: Database, demo_actor: Actor) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = make_model(db, demo_actor)
    kept = QPersistentModelIndex(model.index(5, ClientColumn.NAME))
    client_id = model.client_id(5)
    model.sort(ClientColumn.STATUS, Qt.SortOrder.DescendingOrder)
    assert kept.isValid()
    assert model.client_id(kept.row()) == client_id


def test_refresh_reloads_changed_rows_without_reset(qtbot, db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    row = 3
    client_id = model.client_id(row)
    assert client_id is not None
    model.index(row, 0).data()
    detail = client_service.get_client(db, demo_actor, client_id)
    from dataclasses import replace

    client_service.update_client(
        db, demo_actor, client_id, replace(detail.data, first_name="Zacharias")
    )
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh_clients([client_id])
    assert blocker.args[0].row() == row
    assert not resets
    assert "Zacharias" in model.index(row, ClientColumn.NAME).data()


def test_a_new_client_appears_after_refresh(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    count = model.rowCount()
    new_id = client_service.register_client(
        db,
        demo_actor,
        ClientInput(id_kind=IdKind.NONE, alias="Nattugglan", gender=Gender.OTHER),
        today=DEMO_TODAY,
    ).value
    model.refresh_clients([new_id])
    assert model.rowCount() == count + 1
    assert model.row_of(new_id) is not None


def test_numbers_are_masked_until_revealed(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    model.search(ClientQuery(text="19", status=ClientStatus.ACTIVE))
    index = model.index(0, ClientColumn.ID_NUMBER)
    masked = index.data()
    assert masked.endswith("-****")
    model.reveal_number(0)
    full = model.index(0, ClientColumn.ID_NUMBER).data()
    assert "*" not in full and full[:9] == masked[:9]
    assert not model.is_revealed(1)
    model.hide_number(0)
    assert model.index(0, ClientColumn.ID_NUMBER).data() == masked


def test_roles(db: Database, demo_actor: Actor) -> None:
    model = make_model(db, demo_actor)
    index = model.index(0, ClientColumn.GENDER)
    assert model.data(index, Qt.ItemDataRole.UserRole) == model.client_id(0)
    assert model.data(index, Qt.ItemDataRole.AccessibleTextRole).startswith("Gender: ")
    assert model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Vertical) is None


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_scrolling_a_real_view_pages_rows_in(qtbot, db: Database, demo_actor: Actor) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    model = make_model(db, demo_actor, page_size=200, max_pages=3)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    bar = view.verticalScrollBar()
    seen: set[int] = set()
    while True:
        view.viewport().repaint()
        QApplication.processEvents()
        seen.add(view.rowAt(0) // 200)
        assert model.cached_pages <= 3
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep() * 8)
    assert len(seen) == -(-model.rowCount() // 200)
    assert model.pages_loaded >= len(seen)
    last = model.index(model.rowCount() - 1, ClientColumn.NAME)
    assert view.visualRect(last).isValid()
    assert last.data()


@pytest.mark.parametrize("username", ["admin", "lead", "worker"])
def test_the_hinted_search_matches_the_plain_statement(
    db: Database, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """search_ids runs the statement as one table scan; the result must not change."""
    from sqlalchemy.orm import Session

    actor = actor_by_username(db, username)
    queries = [
        ClientQuery(),
        ClientQuery(text="so 19"),
        ClientQuery(text="o'b%_"),
        ClientQuery(text="1985", status=ClientStatus.ACTIVE, sort=SortKey.TEAM, descending=True),
        ClientQuery(text="an", sort=SortKey.RESPONSIBLE, housing_code=2),
    ]
    expected = []
    for query in queries:
        with db.read() as session:
            expected.append(list(session.scalars(client_service.build_search(actor, query))))

    def no_fallback(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the search fell back to the unhinted statement")

    monkeypatch.setattr(Session, "scalars", no_fallback)
    assert [client_service.search_ids(db, actor, q) for q in queries] == expected
