"""The Reports area: a case summary for one client, and batch export for a team or a list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.widgets.client_picker import ClientPicker


class ReportsPage(QWidget):
    """Choose a client for a case summary, or export summaries for a whole team."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.summary_box = QGroupBox()
        # The shared picker (searches off the GUI thread); its parts keep their names here.
        self.picker = ClientPicker(context=context)
        self.search_label = self.picker.search_label
        self.search_edit = self.picker.search
        self.matches = self.picker.results
        self.summary_button = QPushButton()
        self.summary_button.setEnabled(False)
        self.batch_box = QGroupBox()
        self.batch_text = QLabel()
        self.batch_text.setWordWrap(True)
        self.batch_button = QPushButton()
        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()

    def _build_layout(self) -> None:
        summary = QVBoxLayout(self.summary_box)
        summary.addWidget(self.picker, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.summary_button)
        summary.addLayout(buttons)
        batch = QVBoxLayout(self.batch_box)
        batch.addWidget(self.batch_text)
        batch_buttons = QHBoxLayout()
        batch_buttons.addStretch(1)
        batch_buttons.addWidget(self.batch_button)
        batch.addLayout(batch_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_box, 1)
        layout.addWidget(self.batch_box)

    def _connect_signals(self) -> None:
        self.matches.currentItemChanged.connect(self._on_current_changed)
        # Enter chooses the client; the button (or Enter again on it) opens the summary.
        self.picker.sig_client_activated.connect(lambda _id: self.summary_button.setFocus())
        self.summary_button.clicked.connect(self._on_summary_clicked)
        self.batch_button.clicked.connect(self._on_batch_clicked)

    def retranslate_ui(self) -> None:
        self.summary_box.setTitle(_("Case summary"))
        self.picker.retranslate_ui()
        self.summary_button.setText(_("&Export or print…"))
        self.batch_box.setTitle(_("Batch export"))
        self.batch_text.setText(
            _(
                "Case summaries for every client of a team, written as PDF files into a "
                "folder. The file names carry only internal numbers."
            )
        )
        self.batch_button.setText(_("&Batch export…"))
        self.setAccessibleName(_("Reports"))

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.summary_button.setEnabled(current is not None)

    def selected_client_id(self) -> int | None:
        item = self.matches.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _on_summary_clicked(self) -> None:
        from hemlos_desktop.ui.reports.export_dialog import open_pdf_dialog

        client_id = self.selected_client_id()
        if client_id is not None:
            open_pdf_dialog(self, self._context, client_id)

    def _on_batch_clicked(self) -> None:
        from hemlos_desktop.ui.reports.batch_dialog import open_batch_export

        open_batch_export(self, self._context, [])
