"""The layers of the package, enforced on its import graph (every import, lazy and type-only
ones included; see tests/import_graph.py for the rules), and at run time: the domain layers
must not pull in Qt widgets (they run in CLI tools and worker processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import import_graph
import pytest
from import_graph import Edge, all_problems, layer_cycles, package_edges

import hemlos_desktop

PACKAGE = Path(hemlos_desktop.__file__).parent


def test_the_package_keeps_its_layers() -> None:
    edges = package_edges(PACKAGE)
    assert len({e.source for e in edges}) > 100  # the whole package was read
    assert all_problems(edges) == []


def test_every_top_level_name_has_a_layer() -> None:
    names = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()
    }
    names.discard("__init__")
    assert names <= set(import_graph.ALLOWED) | import_graph.FOUNDATION


def _e(source: str, target: str, name: str = "") -> Edge:
    return Edge(f"hemlos_desktop.{source}", target, name)


# The edges the architecture forbids, each as the checker would see it.
FORBIDDEN = {
    "reports imports services (lazily)": _e(
        "reports.plan_pdf", "hemlos_desktop.services.plans", "current_plan"
    ),
    "reports imports storage": _e("reports.plan_pdf", "hemlos_desktop.storage", "Database"),
    "reports writes files through storage": _e(
        "reports.document", "hemlos_desktop.storage.files", "atomic_binary"
    ),
    "the UI calls a renderer": _e(
        "ui.plans.page", "hemlos_desktop.reports.plan_pdf", "render_plan_pdf"
    ),
    "the UI drives the key store": _e(
        "ui.login.login_dialog", "hemlos_desktop.storage.crypto", "KeyStore"
    ),
    "the UI writes files itself": _e(
        "ui.login.setup_dialog", "hemlos_desktop.storage.files", "write_text_atomic"
    ),
    "a service imports the UI": _e("services.plans", "hemlos_desktop.ui.plans.page", "PlansPage"),
    "models import a service": _e("models.plan", "hemlos_desktop.services.actor", "Actor"),
    "storage imports a service": _e("storage.backup", "hemlos_desktop.services", "audit"),
    "a service imports Qt widgets": _e("services.backups", "PySide6.QtWidgets", "QWidget"),
    "a renderer imports Qt GUI": _e("reports.charts", "PySide6", "QtGui"),
    "the command line imports the UI": _e("cli.admin", "hemlos_desktop.ui.errors", "show_error"),
}


@pytest.mark.parametrize("edge", FORBIDDEN.values(), ids=list(FORBIDDEN))
def test_the_checker_catches_a_forbidden_edge(edge: Edge) -> None:
    clean = [
        _e("ui.plans.page", "hemlos_desktop.services.pdf_export", "export_pdf"),
        _e("services.pdf_export", "hemlos_desktop.reports.plan_pdf", "plan_pdf_bytes"),
        _e("reports.plan_pdf", "hemlos_desktop.models.plan_info", "PlanVersionInfo"),
        _e("ui.context", "hemlos_desktop.storage", "Database"),
        _e("ui.plans.page", "PySide6.QtWidgets", "QWidget"),
        _e("services.jobs", "PySide6.QtCore", "QObject"),
    ]
    assert all_problems(clean) == []
    assert all_problems([*clean, edge]) != []


def test_the_checker_catches_a_cycle_between_layers() -> None:
    edges = [
        _e("cli", "hemlos_desktop.app", "run_gui"),
        _e("app", "hemlos_desktop.cli.common", "ENV_USER"),
    ]
    assert layer_cycles(edges) == [["app", "cli", "app"]]
    assert any("cycle" in p for p in all_problems(edges))
    # Three layers round: services -> reports -> models -> services.
    edges = [
        _e("services.a", "hemlos_desktop.reports.b"),
        _e("reports.b", "hemlos_desktop.models.c"),
        _e("models.c", "hemlos_desktop.services.a"),
    ]
    assert layer_cycles(edges) == [["models", "services", "reports", "models"]]


def test_lazy_and_type_only_imports_are_read() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from hemlos_desktop.services.plans import PlanVersionInfo\n"
        "def render():\n"
        "    from ..storage import files\n"
        "    import hemlos_desktop.services.audit\n"
    )
    edges = list(
        import_graph.imports_of(source, "hemlos_desktop.reports.plan_pdf", is_package=False)
    )
    targets = {(e.target, e.name) for e in edges}
    assert ("hemlos_desktop.services.plans", "PlanVersionInfo") in targets
    assert ("hemlos_desktop.storage", "files") in targets
    assert ("hemlos_desktop.services.audit", "") in targets
    assert len(import_graph.layer_violations(edges)) == 3


@pytest.mark.parametrize(
    "module",
    [
        "hemlos_desktop.services",
        "hemlos_desktop.models",
        "hemlos_desktop.storage",
        "hemlos_desktop.cli",
        "hemlos_desktop.demo",
    ],
)
def test_domain_imports_no_qt_gui(module: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({module!r})\n"
        "for info in pkgutil.walk_packages(getattr(pkg, '__path__', []), pkg.__name__ + '.'):\n"
        "    if '.migrations' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        "bad = [m for m in ('PySide6.QtWidgets', 'PySide6.QtGui') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


MAX_LINES = 600


def test_no_module_is_longer_than_600_lines() -> None:
    """Long modules, widgets included, are split along their seams (a panel, a dialog, a
    helper class in its own module)."""
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
