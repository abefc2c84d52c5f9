"""The About dialog: the version, the data folder and the licences of the bundled components
(from ``hemlos_desktop.licences``: written at build time, or read from the installed packages
when running from source)."""

from __future__ import annotations

import html
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME, __version__
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.licences import Component, bundled_components


def licences_html(components: list[Component]) -> str:
    rows = []
    for item in components:
        name = html.escape(f"{item.name} {item.version}")
        licence = html.escape(item.licence or _("see the component's own files"))
        parts = [f"<b>{name}</b>: {licence}"]
        if item.url:
            url = html.escape(item.url)
            parts.append(f'<a href="{url}">{url}</a>')
        if item.note:
            parts.append(html.escape(item.note))
        rows.append("<p>" + "<br>".join(parts) + "</p>")
    return "".join(rows)


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
            + "</p><p>"
            + _("Licence: EUPL-1.2. The program includes these components:")
            + "</p>"
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licences = QTextBrowser()
        self.licences.setObjectName("aboutLicences")
        self.licences.setOpenExternalLinks(True)
        self.licences.setAccessibleName(_("Licences of the included components"))
        self.licences.setHtml(licences_html(bundled_components()))
        self.licences.setMinimumHeight(220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(self.licences)
        layout.addWidget(buttons)
        # Word-wrapped text: let the layout size the dialog for the text's height at this width.
        text.setMinimumWidth(440)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
