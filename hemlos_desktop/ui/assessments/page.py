"""The Assessments area: pick a client, code a rating, see the history and charts; group
follow-up for a team, a caseworker or the whole register; administrators import instruments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.assessments import AssessmentInfo, FollowupScope
from hemlos_desktop.services.case_overview import open_case_file
from hemlos_desktop.services.clients import ClientQuery, fetch_rows, search_ids
from hemlos_desktop.services.followup_stats import FollowupFigures, figures_table
from hemlos_desktop.services.users import list_teams, list_users
from hemlos_desktop.ui.assessments.chart_table import ChartTableModel
from hemlos_desktop.ui.assessments.charts import (
    AreaLineChart,
    ChartPanel,
    RadarChart,
    comparison_series,
)
from hemlos_desktop.ui.assessments.history_model import AssessmentHistoryModel, HistoryRow
from hemlos_desktop.ui.assessments.rating_form import RatingForm
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.widgets.dates import from_qdate, to_qdate

SEARCH_LIMIT = 200


class ClientPicker(QWidget):
    """A search field and the matching clients (names as the register shows them)."""

    sig_client_chosen = Signal(int)
    """Emitted with the client id when a client is chosen (Enter, click or arrow keys)."""

    sig_client_activated = Signal(int)
    """Emitted with the client id when the user presses Enter on a client (start rating)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.search_label = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._on_return_pressed)
        self.results.currentItemChanged.connect(self._on_current_changed)
        self.results.activated.connect(self._on_activated)

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("&Find client:"))
        self.search.setPlaceholderText(_("Name, alias or number"))
        self.search.setAccessibleName(_("Find client"))
        self.results.setAccessibleName(_("Clients found"))

    def refresh(self) -> None:
        ctx = self._context
        ids = search_ids(ctx.db, ctx.actor, ClientQuery(text=self.search.text().strip()))
        ids = ids[:SEARCH_LIMIT]
        rows = fetch_rows(ctx.db, ctx.actor, ids)
        self.results.blockSignals(True)
        self.results.clear()
        for cid in ids:
            row = rows.get(cid)
            if row is None:
                continue
            text = row.display_name + (f"  ({row.id_masked})" if row.id_masked else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.results.addItem(item)
        self.results.blockSignals(False)

    def select_client(self, client_id: int) -> None:
        for index in range(self.results.count()):
            item = self.results.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == client_id:
                self.results.setCurrentItem(item)
                return
        self.sig_client_chosen.emit(client_id)

    def _on_return_pressed(self) -> None:
        if self.results.count():
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            item = self.results.currentItem()
            if item is not None:
                self.sig_client_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_activated(self, index: QModelIndex) -> None:
        self.sig_client_activated.emit(int(index.data(Qt.ItemDataRole.UserRole)))

    def _on_current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.sig_client_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class ClientRatingsView(QWidget):
    """One client's ratings: the coding form, the history table, the radar and area line."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id: int | None = None
        self._draft_id: int | None = None
        self._corrects_id: int | None = None
        self._history: list[AssessmentInfo] = []
        self._instrument: Instrument | None = None
        self.form: RatingForm | None = None

        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.mode_label = QLabel(self)
        self.mode_label.setWordWrap(True)
        self.form_area = QScrollArea(self)
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.new_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.sign_button = QPushButton(self)
        self.correct_button = QPushButton(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.history_label = QLabel(self)
        self.history_view = QTableView(self)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_view.verticalHeader().setVisible(False)
        self.history_label.setBuddy(self.history_view)
        self.history_model: AssessmentHistoryModel | None = None
        self._model_instrument: Instrument | None = None
        self.radar = RadarChart(parent=self)
        self.radar_panel = ChartPanel(chart=self.radar, parent=self)
        self.area_label = QLabel(self)
        self.area_choice = QComboBox(self)
        self.area_label.setBuddy(self.area_choice)
        self.line = AreaLineChart(parent=self)
        self.line_panel = ChartPanel(chart=self.line, parent=self)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.sign_button, self.correct_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.mode_label)
        top_layout.addWidget(self.form_area, 1)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.status)

        history = QWidget(self)
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history_label)
        history_layout.addWidget(self.history_view, 2)
        area_row = QHBoxLayout()
        area_row.addWidget(self.area_label)
        area_row.addWidget(self.area_choice, 1)
        history_layout.addLayout(area_row)
        history_layout.addWidget(self.line_panel, 3)

        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.lower_splitter.addWidget(history)
        self.lower_splitter.addWidget(self.radar_panel)
        self.lower_splitter.setStretchFactor(0, 1)
        self.lower_splitter.setStretchFactor(1, 1)
        self.lower_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.lower_splitter)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.sign_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self._connect_signals()
        self.retranslate_ui()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.area_choice.currentIndexChanged.connect(self._on_area_changed)
        self.sign_shortcut.activated.connect(self._on_sign_clicked)
        self.save_shortcut.activated.connect(self._on_save_clicked)
        self._context.notifier.sig_clients_changed.connect(self._on_clients_changed)

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("&New rating"))
        self.new_button.setAccessibleName(_("Start a new rating"))
        self.save_button.setText(_("Save &draft"))
        self.save_button.setAccessibleName(_("Save the rating as a draft"))
        self.sign_button.setText(_("&Sign…"))
        self.sign_button.setAccessibleName(_("Sign the rating"))
        self.sign_button.setToolTip(_("Sign the rating (Ctrl+Enter)"))
        self.correct_button.setText(_("C&orrect…"))
        self.correct_button.setAccessibleName(_("Correct the chosen signed rating"))
        self.history_label.setText(_("&History"))
        self.history_view.setAccessibleName(_("Rating history"))
        self.area_label.setText(_("&Area over time:"))
        self.area_choice.setAccessibleName(_("Area shown over time"))
        if self.form is not None:
            self.form.retranslate_ui()
        if self.history_model is not None:
            self.history_model.retranslate_ui()
        self._fill_area_choice()
        if self._instrument is not None:
            self._show_history()  # series names ("First", "Latest") are in the language
        self.radar_panel.retranslate_ui()
        self.line_panel.retranslate_ui()
        self._show_heading()

    # -- data -----------------------------------------------------------------------------

    @property
    def client_id(self) -> int | None:
        return self._client_id

    def history(self) -> list[AssessmentInfo]:
        return list(self._history)

    def set_client(self, client_id: int | None) -> None:
        """Show another client's ratings: opening them is logged once (refreshes log nothing)."""
        if client_id is not None:
            ctx = self._context
            try:
                open_case_file(ctx.db, ctx.actor, client_id, part="assessments")
            except HemlosError as error:
                show_error(self, error)
                client_id = None
        self._client_id = client_id
        self._clear_form()
        self.refresh()

    def refresh(self) -> None:
        """Reload the client's rating context and history from the database."""
        ctx = self._context
        if self._client_id is None:
            self._history = []
            self._instrument = None
            self._show_heading()
            self._update_buttons()
            return
        try:
            rating = assessments.rating_context(ctx.db, ctx.actor, self._client_id)
            self._history = assessments.history(ctx.db, ctx.actor, self._client_id)
        except HemlosError as error:
            show_error(self, error)
            self._client_id = None
            self._history = []
            self._update_buttons()
            return
        self._instrument = rating.instrument
        if self.form is None:
            own_drafts = [a for a in self._history if not a.signed]
            self._build_form(rating)
            if own_drafts:
                self._load_draft(own_drafts[-1])
        self._show_history()
        self._show_heading()
        self._update_buttons()

    def _build_form(self, rating: assessments.RatingContext) -> None:
        self.form = RatingForm(
            instrument=rating.instrument,
            birth_date=rating.birth_date,
            case_closed=rating.case_closed,
            parent=self.form_area,
        )
        self.form_area.setWidget(self.form)
        self.form.show()
        self.form_area.setMinimumHeight(min(self.form.sizeHint().height(), 360))
        self._fill_area_choice()

    def focus_first_area(self) -> None:
        """Put the keyboard on the first area of the form (to start coding)."""
        if self.form is not None and self._instrument is not None and self.form.isEnabled():
            self.form.focus_area(self._instrument.area_keys[0])

    def _load_draft(self, info: AssessmentInfo) -> None:
        if self.form is None:
            return
        self._draft_id = info.id
        self._corrects_id = info.corrects_id
        self.form.set_draft(info.draft())
        self._show_heading()

    def _clear_form(self) -> None:
        self._draft_id = None
        self._corrects_id = None
        if self.form is not None:
            self.form_area.takeWidget()
            self.form.deleteLater()
            self.form = None

    def _show_history(self) -> None:
        inst = self._instrument
        if inst is None:
            return
        if self.history_model is None or self._model_instrument is not inst:
            self.history_model = AssessmentHistoryModel(instrument=inst, parent=self)
            self._model_instrument = inst
            self.history_view.setModel(self.history_model)
            self.history_view.selectionModel().selectionChanged.connect(
                self._on_history_selection_changed
            )
        self.history_model.set_rows(
            [
                HistoryRow(
                    assessment_id=a.id,
                    rated_on=a.rated_on,
                    levels=a.levels(),
                    client_took_part=a.client_took_part,
                    rater=a.rater if a.signed else _("{rater} (draft)").format(rater=a.rater),
                    corrects_id=a.corrects_id,
                )
                for a in self._history
            ]
        )
        self.history_view.resizeColumnsToContents()
        signed = assessments.signed_history(self._history)
        points = [(a.rated_on, a.levels()) for a in signed]
        self.radar.set_data(inst, comparison_series(points))
        self._on_area_changed()

    def _fill_area_choice(self) -> None:
        inst = self._instrument
        current = self.area_choice.currentData()
        self.area_choice.blockSignals(True)
        self.area_choice.clear()
        if inst is not None:
            lang = i18n.current_language()
            for key in inst.area_keys:
                self.area_choice.addItem(inst.area_name(key, lang), key)
            index = self.area_choice.findData(current)
            self.area_choice.setCurrentIndex(max(0, index))
        self.area_choice.blockSignals(False)

    def _show_heading(self) -> None:
        if self._client_id is None:
            self.heading.setText(_("Choose a client to rate or to see their ratings."))
            self.mode_label.setText("")
            return
        signed = assessments.signed_history(self._history)
        self.heading.setText(
            i18n.ngettext("{count} signed rating", "{count} signed ratings", len(signed)).format(
                count=len(signed)
            )
        )
        if self._corrects_id is not None:
            self.mode_label.setText(_("Correcting an earlier signed rating."))
        elif self._draft_id is not None:
            self.mode_label.setText(_("Your saved draft is open."))
        else:
            self.mode_label.setText(_("New rating."))

    def _update_buttons(self) -> None:
        writable = self._context.actor.can_write and self._client_id is not None
        has_form = self.form is not None
        for button in (self.new_button, self.save_button, self.sign_button):
            button.setEnabled(writable and has_form)
        self.correct_button.setEnabled(writable and self._selected_signed() is not None)
        if self.form is not None:
            self.form.setEnabled(writable)

    def _selected_signed(self) -> AssessmentInfo | None:
        model = self.history_model
        selection = self.history_view.selectionModel()
        if model is None or selection is None:
            return None
        rows = selection.selectedRows()
        if not rows:
            return None
        wanted = model.row_at(rows[0].row()).assessment_id
        return next((a for a in self._history if a.id == wanted and a.signed), None)

    # -- slots ----------------------------------------------------------------------------

    def _on_history_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_area_changed(self, _index: int = 0) -> None:
        inst = self._instrument
        key = self.area_choice.currentData()
        if inst is None or not key:
            return
        signed = assessments.signed_history(self._history)
        self.line.set_data(inst, key, [(a.rated_on, a.levels().get(key)) for a in signed])

    def _on_new_clicked(self) -> None:
        client = self._client_id
        self._clear_form()
        self._client_id = client
        self.refresh()
        if self.form is not None and self._draft_id is None and self._instrument is not None:
            self.form.focus_area(self._instrument.area_keys[0])

    def _save(self) -> bool:
        ctx = self._context
        if self.form is None or self._client_id is None:
            return False
        try:
            self._draft_id = assessments.save_draft(
                ctx.db,
                ctx.actor,
                self._client_id,
                self.form.draft(),
                assessment_id=self._draft_id,
                corrects_id=self._corrects_id,
            )
        except HemlosError as error:
            show_error(self, error)
            return False
        return True

    def _on_save_clicked(self) -> None:
        if self._save():
            self.status.setText(_("Draft saved."))
            self.refresh()

    def confirm_sign(self) -> bool:
        """Ask before signing (tests replace this)."""
        answer = QMessageBox.question(
            self,
            _("Sign the rating"),
            _("A signed rating cannot be changed, only corrected. Sign it now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_sign_clicked(self) -> None:
        if self.form is None or self._client_id is None or not self.sign_button.isEnabled():
            return
        if not self.form.validate():
            self.status.setText(_("The rating is not complete; see the messages in the form."))
            return
        if not self.confirm_sign() or not self._save() or self._draft_id is None:
            return
        ctx = self._context
        try:
            changes = assessments.sign(ctx.db, ctx.actor, self._draft_id)
        except HemlosError as error:
            show_error(self, error)
            return
        self.status.setText(_("The rating is signed."))
        client = self._client_id
        self._clear_form()
        self._client_id = client
        ctx.notifier.notify(changes)
        self.refresh()

    def _on_correct_clicked(self) -> None:
        chosen = self._selected_signed()
        if chosen is None or self._client_id is None:
            return
        ctx = self._context
        try:
            draft_id = assessments.start_correction(ctx.db, ctx.actor, chosen.id)
        except HemlosError as error:
            show_error(self, error)
            return
        client = self._client_id
        self._clear_form()
        self._client_id = client
        self.refresh()
        info = next((a for a in self._history if a.id == draft_id), None)
        if info is not None:
            self._load_draft(info)
        self.status.setText(_("Correction started; sign it to replace the chosen rating."))

    def _on_clients_changed(self, client_ids: list[int]) -> None:
        if self._client_id is not None and (not client_ids or self._client_id in client_ids):
            self.refresh()


class FollowupView(QWidget):
    """Group follow-up: scope, period, the figures table split by gender, CSV/XLSX export."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._figures: FollowupFigures | None = None
        self._instrument: Instrument | None = None
        self.scope_label = QLabel(self)
        self.scope = QComboBox(self)
        self.scope_label.setBuddy(self.scope)
        self.which_label = QLabel(self)
        self.which = QComboBox(self)
        self.which_label.setBuddy(self.which)
        self.start_label = QLabel(self)
        self.start = QDateEdit(self)
        self.start.setCalendarPopup(True)
        self.start_label.setBuddy(self.start)
        self.end_label = QLabel(self)
        self.end = QDateEdit(self)
        self.end.setCalendarPopup(True)
        self.end_label.setBuddy(self.end)
        today = dt.date.today()
        self.start.setDate(to_qdate(today.replace(month=1, day=1)))
        self.end.setDate(to_qdate(today))
        self.show_button = QPushButton(self)
        self.csv_button = QPushButton(self)
        self.xlsx_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self._shown: tuple[FollowupScope, int | None, dt.date, dt.date] | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table_model = ChartTableModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.verticalHeader().setVisible(False)

        form = QFormLayout()
        form.addRow(self.scope_label, self.scope)
        form.addRow(self.which_label, self.which)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(self.end_label)
        period.addWidget(self.end)
        period.addStretch(1)
        form.addRow(self.start_label, period)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.retranslate_ui()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.csv_button.clicked.connect(lambda: self._on_export_clicked("csv"))
        self.xlsx_button.clicked.connect(lambda: self._on_export_clicked("xlsx"))
        self.pdf_button.clicked.connect(self._on_pdf_clicked)

    def retranslate_ui(self) -> None:
        self.scope_label.setText(_("&Whom:"))
        self.scope.setAccessibleName(_("Whom the figures cover"))
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(_("Whole register"), FollowupScope.ALL.value)
        self.scope.addItem(_("A team"), FollowupScope.TEAM.value)
        self.scope.addItem(_("A caseworker"), FollowupScope.CASEWORKER.value)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self.scope.blockSignals(False)
        self.which_label.setText(_("&Team or caseworker:"))
        self.which.setAccessibleName(_("Team or caseworker"))
        self.start_label.setText(_("&Period from:"))
        self.start.setAccessibleName(_("Period from"))
        self.end_label.setText(i18n.pgettext("period", "to"))
        self.end.setAccessibleName(_("Period to"))
        self.show_button.setText(_("S&how figures"))
        self.show_button.setAccessibleName(_("Show the follow-up figures"))
        self.csv_button.setText(_("Export &CSV…"))
        self.csv_button.setAccessibleName(_("Export the figures as CSV"))
        self.xlsx_button.setText(_("Export &XLSX…"))
        self.xlsx_button.setAccessibleName(_("Export the figures as XLSX"))
        self.pdf_button.setText(_("P&DF…"))
        self.pdf_button.setAccessibleName(_("Save the follow-up report as PDF"))
        self.table.setAccessibleName(_("Follow-up figures by area and gender"))
        self._on_scope_changed()
        self._show_figures()

    def _on_scope_changed(self, _index: int = 0) -> None:
        scope = FollowupScope(self.scope.currentData() or FollowupScope.ALL.value)
        self.which.clear()
        db = self._context.db
        if scope is FollowupScope.TEAM:
            for team in list_teams(db):
                self.which.addItem(team.name, team.id)
        elif scope is FollowupScope.CASEWORKER:
            for user in list_users(db):
                if user.active and user.role is not Role.READ_ONLY:
                    self.which.addItem(user.display_name, user.id)
        self.which.setEnabled(scope is not FollowupScope.ALL)
        self.which_label.setEnabled(scope is not FollowupScope.ALL)

    def figures(self) -> FollowupFigures | None:
        return self._figures

    def _on_show_clicked(self) -> None:
        ctx = self._context
        scope = FollowupScope(self.scope.currentData() or FollowupScope.ALL.value)
        scope_id = self.which.currentData() if scope is not FollowupScope.ALL else None
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        try:
            self._instrument = instruments.current_instrument(ctx.db)
            self._figures = assessments.group_followup(
                ctx.db,
                ctx.actor,
                period_start=start,
                period_end=end,
                scope=scope,
                scope_id=scope_id,
            )
        except HemlosError as error:
            show_error(self, error)
            return
        self._shown = (scope, scope_id, start, end)
        self._show_figures()
        self._update_buttons()

    def _show_figures(self) -> None:
        if self._figures is None or self._instrument is None:
            self.summary.setText(_("Choose whom and a period, then show the figures."))
            self.table_model.set_table([], [])
            return
        headers, rows = figures_table(self._instrument, self._figures, i18n.current_language())
        tr = i18n.active()
        text_rows = [
            [
                ""
                if cell is None
                else tr.format_decimal(cell, 2)
                if isinstance(cell, float)
                else str(cell)
                for cell in row
            ]
            for row in rows
        ]
        self.table_model.set_table(headers, text_rows)
        self.table.resizeColumnsToContents()
        total = self._figures.qualification["total"]
        self.summary.setText(
            _("Clients rated in the period: {clients}; followed up: {followed}.").format(
                clients=total.clients, followed=total.followed_up
            )
        )

    def _update_buttons(self) -> None:
        has = self._figures is not None
        self.csv_button.setEnabled(has)
        self.xlsx_button.setEnabled(has)
        self.pdf_button.setEnabled(has)

    def ask_export_path(self, kind: str) -> Path | None:
        """The file to write (tests replace this)."""
        pattern = _("CSV files (*.csv)") if kind == "csv" else _("Excel workbooks (*.xlsx)")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export follow-up figures"), f"followup.{kind}", pattern
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{kind}" else path.with_suffix(f".{kind}")

    def _on_export_clicked(self, kind: str) -> None:
        if self._figures is None:
            return
        path = self.ask_export_path(kind)
        if path is None:
            return
        ctx = self._context
        try:
            assessments.export_followup(
                ctx.db, ctx.actor, path, self._figures, lang=i18n.current_language(), kind=kind
            )
        except HemlosError as error:
            show_error(self, error)
            return
        self.summary.setText(_("Exported to {file}.").format(file=path.name))

    def ask_pdf_language(self) -> str | None:
        """The language of the report, "sv" or "da" (tests replace this)."""
        choices = [("sv", _("Swedish")), ("da", _("Danish"))]
        current = 1 if i18n.current_language() == "da" else 0
        label, ok = QInputDialog.getItem(
            self,
            _("Follow-up report"),
            _("Language of the report:"),
            [text for _code, text in choices],
            current,
            False,
        )
        if not ok:
            return None
        return next((code for code, text in choices if text == label), None)

    def ask_pdf_path(self, language: str) -> Path | None:
        """The PDF file to write (tests replace this)."""
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the follow-up report"),
            f"followup-{language}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def _on_pdf_clicked(self) -> None:
        if self._shown is None:
            return
        language = self.ask_pdf_language()
        if language is None:
            return
        path = self.ask_pdf_path(language)
        if path is None:
            return
        scope, scope_id, start, end = self._shown
        ctx = self._context
        from hemlos_desktop.services.followup_report import export_followup_pdf

        try:
            export_followup_pdf(
                ctx.db,
                ctx.actor,
                path,
                period_start=start,
                period_end=end,
                scope=scope,
                scope_id=scope_id,
                language=language,
                municipality=ctx.settings.municipality_name,
            )
        except HemlosError as error:
            show_error(self, error)
            return
        self.summary.setText(_("Saved the report to {file}.").format(file=path.name))


class AssessmentsPage(QWidget):
    """The Assessments area of the main window."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.picker = ClientPicker(context=context, parent=self)
        self.ratings = ClientRatingsView(context=context, parent=self)
        self.followup = FollowupView(context=context, parent=self)
        self.import_button = QPushButton(self)
        self.import_button.setVisible(context.actor.role is Role.ADMIN)
        self.instrument_label = QLabel(self)
        self.instrument_label.setWordWrap(True)

        client_tab = QSplitter(Qt.Orientation.Horizontal, self)
        client_tab.addWidget(self.picker)
        client_tab.addWidget(self.ratings)
        self.picker.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        client_tab.setStretchFactor(0, 1)
        client_tab.setStretchFactor(1, 5)
        client_tab.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(client_tab, "")
        self.tabs.addTab(self.followup, "")
        top = QHBoxLayout()
        top.addWidget(self.instrument_label, 1)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.picker.sig_client_chosen.connect(self.ratings.set_client)
        self.picker.sig_client_activated.connect(self._on_client_activated)
        self.import_button.clicked.connect(self._on_import_clicked)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_client_activated(self, client_id: int) -> None:
        if self.ratings.client_id != client_id:
            self.ratings.set_client(client_id)
        self.ratings.focus_first_area()

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _("Client ratings"))
        self.tabs.setTabText(1, _("Group follow-up"))
        self.tabs.setAccessibleName(_("Assessments"))
        self.import_button.setText(_("&Import instrument…"))
        self.import_button.setAccessibleName(_("Import an adapted instrument file"))
        self.picker.retranslate_ui()
        self.ratings.retranslate_ui()
        self.followup.retranslate_ui()
        self._show_instrument()

    def _show_instrument(self) -> None:
        inst = instruments.current_instrument(self._context.db)
        self.instrument_label.setText(
            _("Instrument: {name}, version {version}").format(
                name=inst.label(), version=inst.version
            )
        )

    def choose_instrument_file(self) -> Path | None:
        """The file to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import instrument"), "", _("Instrument files (*.toml)")
        )
        return Path(name) if name else None

    def _on_import_clicked(self) -> None:
        path = self.choose_instrument_file()
        if path is None:
            return
        try:
            info = instruments.import_instrument(self._context.db, self._context.actor, path)
        except HemlosError as error:
            show_error(self, error)
            return
        QMessageBox.information(
            self,
            _("Import instrument"),
            _("Imported “{name}”, version {version}. New ratings use it.").format(
                name=info.name, version=info.version
            ),
        )
        self._show_instrument()
        self.ratings.refresh()
