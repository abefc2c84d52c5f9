"""The Assessments area: pick a client, code a rating, see the history and charts; group
follow-up (``followup.py``) for a team, a caseworker or the whole register; administrators
import instruments."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
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
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.assessments import AssessmentInfo
from hemlos_desktop.services.case_overview import open_case_file
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.ui.assessments.charts import (
    AreaLineChart,
    ChartPanel,
    RadarChart,
    comparison_series,
)
from hemlos_desktop.ui.assessments.followup import FollowupView
from hemlos_desktop.ui.assessments.rating_form import RatingForm
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.assessment_history_model import AssessmentHistoryModel, HistoryRow
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.widgets.client_picker import ClientPicker


def _previous_levels(
    signed: list[AssessmentInfo], rating: AssessmentInfo
) -> dict[str, int | None] | None:
    """The levels of the signed rating before ``rating`` (by date; None when there is none)."""
    earlier = [
        a
        for a in signed
        if a.id not in (rating.id, rating.corrects_id)
        and (a.rated_on, a.id) < (rating.rated_on, rating.id)
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda a: (a.rated_on, a.id)).levels()


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
        self._context.notifier.subscribe(self, ChangeKind.RATING, self._on_changed)

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
            ctx, chosen = self._context, client_id
            opened = run_query(
                self, lambda: open_case_file(ctx.db, ctx.actor, chosen, part="assessments")
            )
            if opened is None:
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
        client_id = self._client_id
        found = run_query(
            self,
            lambda: (
                assessments.rating_context(ctx.db, ctx.actor, client_id),
                assessments.history(ctx.db, ctx.actor, client_id),
            ),
        )
        if found is not None:
            rating, self._history = found.value
        else:
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
        signed = assessments.signed_history(self._history)
        self.history_model.set_rows(
            [
                HistoryRow(
                    assessment_id=a.id,
                    rated_on=a.rated_on,
                    levels=a.levels(),
                    client_took_part=a.client_took_part,
                    rater=a.rater if a.signed else _("{rater} (draft)").format(rater=a.rater),
                    corrects_id=a.corrects_id,
                    previous_levels=_previous_levels(signed, a),
                )
                for a in self._history
            ]
        )
        self.history_view.resizeColumnsToContents()
        points = [(a.rated_on, a.levels()) for a in signed]
        self.radar.set_data(inst, comparison_series(points))
        if self.form is not None:
            earlier = [a for a in signed if a.id != self._corrects_id]
            self.form.set_previous(earlier[-1].levels() if earlier else None)
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
        # Before a client is chosen the heading says what to do: no row of disabled buttons
        # and no empty history and charts.
        chosen = self._client_id is not None
        for button in (self.new_button, self.save_button, self.sign_button, self.correct_button):
            button.setVisible(chosen)
        self.lower_splitter.setVisible(chosen)
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
        client_id, draft = self._client_id, self.form.draft()
        draft_id, corrects_id = self._draft_id, self._corrects_id
        saved = run_operation(
            self,
            ctx,
            lambda: assessments.save_draft(
                ctx.db, ctx.actor, client_id, draft, assessment_id=draft_id, corrects_id=corrects_id
            ),
        )
        if saved is None:
            return False
        self._draft_id = saved.value
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
        ctx, draft_id = self._context, self._draft_id
        if run_operation(self, ctx, lambda: assessments.sign(ctx.db, ctx.actor, draft_id)) is None:
            return
        self.status.setText(_("The rating is signed."))
        client = self._client_id
        self._clear_form()
        self._client_id = client
        self.refresh()

    def _on_correct_clicked(self) -> None:
        chosen = self._selected_signed()
        if chosen is None or self._client_id is None:
            return
        ctx = self._context
        started = run_operation(
            self, ctx, lambda: assessments.start_correction(ctx.db, ctx.actor, chosen.id)
        )
        if started is None:
            return
        draft_id = started.value
        client = self._client_id
        self._clear_form()
        self._client_id = client
        self.refresh()
        info = next((a for a in self._history if a.id == draft_id), None)
        if info is not None:
            self._load_draft(info)
        self.status.setText(_("Correction started; sign it to replace the chosen rating."))

    def _on_changed(self, changes: ChangeSet) -> None:
        if self._client_id is not None and changes.touches(ChangeKind.RATING, self._client_id):
            self.refresh()


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
        ctx = self._context
        imported = run_operation(
            self, ctx, lambda: instruments.import_instrument(ctx.db, ctx.actor, path)
        )
        if imported is None:
            return
        info = imported.value
        QMessageBox.information(
            self,
            _("Import instrument"),
            _("Imported “{name}”, version {version}. New ratings use it.").format(
                name=info.name, version=info.version
            ),
        )
        self._show_instrument()
        self.ratings.refresh()
