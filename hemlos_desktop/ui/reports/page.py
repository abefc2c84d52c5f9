"""The Reports area: a case summary for one client, and batch export for a team or a list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.clients import ClientQuery, fetch_rows, search_ids
from hemlos_desktop.ui.context import UiContext

MAX_MATCHES = 50
SEARCH_DELAY_MS = 200


class ReportsPage(QWidget):
    """Choose a client for a case summary, or export summaries for a whole team."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.summary_box = QGroupBox()
        self.search_label = QLabel()
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.matches = QListWidget()
        self.summary_button = QPushButton()
        self.summary_button.setEnabled(False)
        self.batch_box = QGroupBox()
        self.batch_text = QLabel()
        self.batch_text.setWordWrap(True)
        self.batch_button = QPushButton()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()

    def _build_layout(self) -> None:
        summary = QVBoxLayout(self.summary_box)
        row = QHBoxLayout()
        row.addWidget(self.search_label)
        row.addWidget(self.search_edit, 1)
        summary.addLayout(row)
        summary.addWidget(self.matches, 1)
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
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.returnPressed.connect(self._run_search)
        self._timer.timeout.connect(self._run_search)
        self.matches.currentItemChanged.connect(self._on_current_changed)
        self.matches.itemActivated.connect(lambda _item: self._on_summary_clicked())
        self.summary_button.clicked.connect(self._on_summary_clicked)
        self.batch_button.clicked.connect(self._on_batch_clicked)

    def retranslate_ui(self) -> None:
        self.summary_box.setTitle(_("Case summary"))
        self.search_label.setText(_("&Client:"))
        self.search_edit.setPlaceholderText(_("Name or identity number"))
        self.search_edit.setAccessibleName(_("Find the client"))
        self.matches.setAccessibleName(_("Matching clients"))
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

    def _run_search(self) -> None:
        self._timer.stop()
        self.matches.clear()
        text = self.search_edit.text().strip()
        if not text:
            return
        actor = self._context.actor
        ids = search_ids(self._context.db, actor, ClientQuery(text=text))[:MAX_MATCHES]
        rows = fetch_rows(self._context.db, actor, ids)
        for client_id in ids:
            row = rows.get(client_id)
            if row is None:
                continue
            label = row.display_name + (f"  {row.id_masked}" if row.id_masked else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, client_id)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

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
