"""The command line configures logging on the root logger; undo that after each test."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_hemlos", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _demo_credentials(monkeypatch: pytest.MonkeyPatch, fast_kdf: None) -> None:
    """Commands sign in as the demo administrator unless a test says otherwise."""
    monkeypatch.setenv("HEMLOS_USER", "admin")
    monkeypatch.setenv("HEMLOS_PASSWORD", "demo")
