"""Shared fixtures: every test gets its own data, config and log folders and its own database."""

from __future__ import annotations

import os

# Set before Qt is imported anywhere: tests never open real windows.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# ReportLab's attribute check on chart shapes, which the program turns off for speed, stays on
# in the tests: a wrong attribute fails here.
os.environ["RL_shapeChecking"] = "1"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from hemlos_desktop import i18n  # noqa: E402
from hemlos_desktop.storage import Database, DataLocation  # noqa: E402

if TYPE_CHECKING:
    from clientworld import World


@pytest.fixture(scope="session", autouse=True)
def schema_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """New, empty plain databases get the newest schema as a copy of one the real migrations
    made once in this run (see ``schema_template.py``)."""
    import schema_template as template

    with template.installed(tmp_path_factory.mktemp("schema")) as installed:
        yield installed


@pytest.fixture(autouse=True)
def real_migrations(request: pytest.FixtureRequest, schema_template: object) -> Iterator[None]:
    """Tests marked ``real_migrations`` run every migration, also for new databases."""
    marked = request.node.get_closest_marker("real_migrations") is not None
    schema_template.enabled = not marked  # type: ignore[attr-defined]
    yield
    schema_template.enabled = True  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every platform folder (data, config, logs) into the test's own tmp folder."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        folder = home / sub
        folder.mkdir(parents=True)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "site-config"))
    monkeypatch.delenv("HEMLOS_DATA_DIR", raising=False)
    i18n.set_language("en")
    return home


@pytest.fixture
def location(tmp_path: Path) -> DataLocation:
    return DataLocation(tmp_path / "data")


@pytest.fixture
def db(location: DataLocation) -> Iterator[Database]:
    from hemlos_desktop.services.workspace import open_workspace

    database = open_workspace(location)
    yield database
    database.dispose()


@pytest.fixture
def world(db: Database) -> World:
    """Two teams, users of every role, and ``world.add(...)`` to register clients."""
    from clientworld import World

    return World(db)


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every key store in this test use the cheap test argon2 costs (test fixtures only;
    the program has no setting for this)."""
    from hemlos_desktop.storage.crypto import TEST_PARAMS, keystore

    store_class = keystore.KeyStore
    original_init = store_class.__init__
    original_create = store_class.__dict__["create"].__func__

    def init(self: keystore.KeyStore, location: DataLocation, **kwargs: object) -> None:
        kwargs["params"] = TEST_PARAMS
        original_init(self, location, **kwargs)  # type: ignore[arg-type]

    def create(cls: type, location: DataLocation, **kwargs: object) -> object:
        kwargs["params"] = TEST_PARAMS
        return original_create(cls, location, **kwargs)

    monkeypatch.setattr(store_class, "__init__", init)
    monkeypatch.setattr(store_class, "create", classmethod(create))


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> object:
    """After pytest-qt has closed a test's widgets, let Qt delete them (``deleteLater`` needs an
    event loop that ``processEvents`` does not give), so that no window, its timers and its
    database outlive the test. Deleting does not close: no close event, no question asked."""
    result = yield
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent
        from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

        app = QApplication.instance()
        if isinstance(app, QApplication):
            # Windows a test made without handing them to qtbot go too: a main window left
            # behind would lock (idle timer) or sync over the next tests' windows.
            for widget in app.topLevelWidgets():
                if isinstance(widget, QMainWindow | QDialog) or type(widget).__module__.startswith(
                    "hemlos_desktop."
                ):
                    widget.deleteLater()
        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result
