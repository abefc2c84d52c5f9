"""A red, translated message shown right below the form field it belongs to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.validation import FieldError

ERROR_COLOUR = "#b00020"


class FieldErrorLabel(QLabel):
    """Hidden while there is no error; tells assistive technology about the field's problem."""

    def __init__(self, *, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
        self.setPalette(palette)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.hide()

    def set_error(self, message: str | None) -> None:
        message = message or ""
        self.setText(message)
        self.setVisible(bool(message))
        self.setAccessibleName(_("Error: {message}").format(message=message) if message else "")
        if self._field is not None:
            self._field.setAccessibleDescription(message)

    def describe(self, field: QWidget) -> None:
        """The field whose accessible description carries the message."""
        self._field = field

    def error(self) -> str:
        return self.text()


def with_error(field: QWidget, *, parent: QWidget | None = None) -> tuple[QWidget, FieldErrorLabel]:
    """A container holding ``field`` with a new error label below it."""
    label = FieldErrorLabel()
    return place_below(field, label, parent=parent), label


def place_below(
    field: QWidget, label: FieldErrorLabel, *, parent: QWidget | None = None
) -> QWidget:
    """A container holding ``field`` with ``label`` below it; the label describes the field."""
    label.describe(field)
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(label)
    return box


def show_field_errors(labels: dict[str, FieldErrorLabel], errors: list[FieldError]) -> list[str]:
    """Put each message under its field (clearing the others); returns the messages whose field
    has no label, for a general message."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error.message)
    for name, label in labels.items():
        label.set_error("\n".join(by_field.pop(name, [])))
    return [message for messages in by_field.values() for message in messages]
