"""The import graph of ``hemlos_desktop`` and the rules of its layers (used by test_layering).

Every import counts: at module level, inside functions (lazy imports hide a dependency but do
not remove it) and inside ``if TYPE_CHECKING:`` blocks (a type-only import still ties the
importer to the other layer's definitions; the data a layer passes on belongs to a layer both
sides may import, such as ``models/``).

The layers, by their top-level name under ``hemlos_desktop``::

    ui, app        the GUI and its start-up (app.py builds the window: it counts as UI)
     -> services   use cases and queries
         -> reports        renderers: plain data in, bytes out
         -> storage        database, files, encryption
             -> models     mapped classes, plain data, rules
    cli            the command line: services (and storage to locate the data folder)
    foundation     errors, i18n, resources and the root package: importable from anywhere

The UI reaches storage only for the handles it is given and passes on (``Database``,
``DataLocation``), the error types it shows and the single-instance lock; anything else in
storage (the key store, files, backups) is reached through a service.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = "hemlos_desktop"
FOUNDATION = frozenset({ROOT, "errors", "i18n", "resources"})

# What each layer may import besides itself and the foundation.
ALLOWED: Mapping[str, frozenset[str]] = {
    "models": frozenset(),
    "storage": frozenset({"models"}),
    "reports": frozenset({"models"}),
    "settings": frozenset({"storage"}),
    "logging_setup": frozenset({"storage"}),
    "services": frozenset({"models", "storage", "reports", "settings"}),
    "demo": frozenset({"models", "storage", "services"}),
    "ui": frozenset({"services", "models", "storage", "settings"}),
    "app": frozenset({"ui", "services", "models", "storage", "settings", "logging_setup", "demo"}),
    "cli": frozenset({"app", "services", "models", "storage", "settings", "logging_setup", "demo"}),
    "__main__": frozenset({"cli"}),
}

# The parts of storage the UI may import (module, or module:name for a package's export).
UI_STORAGE_ALLOWED = frozenset(
    {
        "hemlos_desktop.storage:Database",
        "hemlos_desktop.storage:DataLocation",
        "hemlos_desktop.storage.paths",
        "hemlos_desktop.storage.errors",
        "hemlos_desktop.storage.instance",
        "hemlos_desktop.storage.crypto.errors",
        "hemlos_desktop.storage.crypto.kdf",
    }
)

# Only these layers may import Qt's GUI modules (QtCore is allowed everywhere it is needed).
QT_GUI_LAYERS = frozenset({"ui", "app"})
QT_GUI_MODULES = ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtPrintSupport")


@dataclass(frozen=True)
class Edge:
    """``source`` (a module) imports ``target`` (a module), optionally the name ``name``."""

    source: str
    target: str
    name: str = ""


def layer_of(module: str) -> str:
    """``hemlos_desktop.services.plans`` -> ``services``; the root package -> its own name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def module_name(path: Path, package_root: Path) -> str:
    parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool) -> Iterator[Edge]:
    """Every import in ``source`` (anywhere in the file), relative ones resolved."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Edge(module, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                target = ".".join(base[:keep] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                yield Edge(module, target, alias.name)


def package_edges(package_root: Path) -> list[Edge]:
    """The edges of every module of the package under ``package_root`` (migrations included)."""
    edges: list[Edge] = []
    for path in sorted(package_root.rglob("*.py")):
        module = module_name(path, package_root)
        text = path.read_text(encoding="utf-8")
        edges.extend(imports_of(text, module, is_package=path.name == "__init__.py"))
    return edges


def _is_ours(target: str) -> bool:
    return target == ROOT or target.startswith(ROOT + ".")


def _resolved_target(edge: Edge) -> str:
    """``from hemlos_desktop import services`` names a module; the target is then the module."""
    if edge.target == ROOT and edge.name and edge.name[0].islower():
        return f"{ROOT}.{edge.name}"
    return edge.target


def layer_violations(edges: Iterable[Edge]) -> list[str]:
    problems: list[str] = []
    for edge in edges:
        target = _resolved_target(edge)
        if not _is_ours(target):
            continue
        source_layer, target_layer = layer_of(edge.source), layer_of(target)
        if source_layer == target_layer or target_layer in FOUNDATION:
            continue
        if source_layer in FOUNDATION:
            problems.append(f"{edge.source} -> {target} (the foundation imports nothing above)")
            continue
        allowed = ALLOWED.get(source_layer)
        if allowed is None:
            problems.append(f"{edge.source}: layer {source_layer!r} has no rule")
            continue
        if target_layer not in allowed:
            problems.append(
                f"{edge.source} -> {target} ({source_layer} may not use {target_layer})"
            )
            continue
        if source_layer == "ui" and target_layer == "storage":
            named = f"{target}:{edge.name}" if target == f"{ROOT}.storage" else target
            if named not in UI_STORAGE_ALLOWED:
                problems.append(f"{edge.source} -> {named} (the UI goes through a service)")
    return problems


def qt_violations(edges: Iterable[Edge]) -> list[str]:
    problems = []
    for edge in edges:
        qt_gui = edge.target.startswith(QT_GUI_MODULES) or (
            edge.target == "PySide6" and edge.name in {m.split(".")[1] for m in QT_GUI_MODULES}
        )
        if qt_gui and layer_of(edge.source) not in QT_GUI_LAYERS:
            problems.append(f"{edge.source} -> {edge.target} (Qt GUI outside the UI)")
    return problems


def layer_graph(edges: Iterable[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        target = _resolved_target(edge)
        if not _is_ours(target):
            continue
        a, b = layer_of(edge.source), layer_of(target)
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    return graph


def layer_cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """The cycles between layers (each as a path that returns to its start), if any."""
    graph = layer_graph(edges)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def all_problems(edges: list[Edge]) -> list[str]:
    cycles = [" -> ".join(c) + " (cycle)" for c in layer_cycles(edges)]
    return layer_violations(edges) + qt_violations(edges) + cycles
