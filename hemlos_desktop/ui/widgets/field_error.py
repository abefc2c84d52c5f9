"""A red, translated message shown right below the form field it belongs to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hemlos_desktop.i18n import gettext as _

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

    def error(self) -> str:
        return self.text()


def with_error(field: QWidget, *, parent: QWidget | None = None) -> tuple[QWidget, FieldErrorLabel]:
    """A container holding ``field`` with its error label below it."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    label = FieldErrorLabel(field=field)
    layout.addWidget(label)
    return box, label
