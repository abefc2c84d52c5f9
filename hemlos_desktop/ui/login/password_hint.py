"""The password rules, shown beside a new-password field while the user types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit

from hemlos_desktop.models.password_rules import password_problem


def show_password_rules(
    edit: QLineEdit, label: QLabel, username: Callable[[], str] = lambda: ""
) -> None:
    """Show in ``label`` the first rule the text in ``edit`` breaks (nothing when it is fine
    or empty), updated at every keystroke, in the language the program speaks."""

    def update(text: str) -> None:
        label.setText(password_problem(text, username()) if text else "")

    edit.textChanged.connect(update)
