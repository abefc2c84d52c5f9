"""The About dialog."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME, __version__
from hemlos_desktop.i18n import gettext as _


class AboutDialog(QDialog):
    def __init__(self, *, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About {app}").format(app=APP_NAME))
        title = QLabel(f"<h2>{APP_NAME}</h2>")
        text = QLabel(
            "<p>"
            + _("Version {version}").format(version=__version__)
            + "</p><p>"
            + _(
                "Case work for social services that help people who are homeless or about to "
                "be evicted into lasting housing. Works without a network; your records stay "
                "on this computer."
            )
            + "</p><p>"
            + _("Data folder: {folder}").format(folder=data_folder)
            + "</p><p>"
            + _("Python {python}, Qt for Python {qt}").format(
                python=platform.python_version(), qt=pyside_version
            )
            + "</p>"
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(buttons)
        # Word-wrapped text: let the layout size the dialog for the text's height at this width.
        text.setMinimumWidth(440)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
