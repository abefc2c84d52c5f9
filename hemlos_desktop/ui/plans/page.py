"""The Plans page: choose a client, see and edit their plan and its versions, and what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.cti import phase_label
from hemlos_desktop.models.plan import SipInfo
from hemlos_desktop.models.plan_info import PlanVersionInfo
from hemlos_desktop.models.plan_problems import agreement_problems
from hemlos_desktop.models.plan_rules import PlanRuleError, PlanSnapshot, PlanState, state_label
from hemlos_desktop.services import pdf_export, plans
from hemlos_desktop.services.batch_export import batch_file_name
from hemlos_desktop.services.case_overview import open_case_file
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.users import list_users
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.plans.dialogs import (
    AgreeDialog,
    CompareDialog,
    FollowUpDialog,
    NewPlanDialog,
)
from hemlos_desktop.ui.plans.due_panel import DuePanel
from hemlos_desktop.ui.plans.editor import PlanEditor
from hemlos_desktop.ui.widgets.client_picker import ClientPicker
from hemlos_desktop.ui.widgets.print_language import PrintLanguageCombo, session_print_language

SHOWN_KINDS = frozenset({ChangeKind.PLAN, ChangeKind.DUE})


def team_users(context: UiContext) -> list[tuple[int, str]]:
    """Active users to choose as responsible (id, name)."""
    return [(u.id, u.display_name) for u in list_users(context.db) if u.active]


class PlansPage(QWidget):
    """The Plans area."""

    def __init__(
        self, *, context: UiContext, today: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._today = today
        self._client_id: int | None = None
        self._versions: tuple[PlanVersionInfo, ...] = ()
        self._shown: PlanVersionInfo | None = None

        # The shared client picker (searches off the GUI thread), beside the plan.
        self.picker = ClientPicker(context=context)
        self.search_edit = self.picker.search
        self.language_combo = PrintLanguageCombo()
        top = QHBoxLayout()
        top.addStretch(1)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        top.addWidget(self.language_label)
        top.addWidget(self.language_combo)

        # Plan tab.
        # The versions in a drop-down above the plan: the editor gets the window's width.
        self.versions_combo = QComboBox()
        self.versions_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.versions_label = QLabel()
        self.versions_label.setBuddy(self.versions_combo)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.new_button = QPushButton()
        self.save_button = QPushButton()
        self.agree_button = QPushButton()
        self.follow_up_button = QPushButton()
        self.revise_button = QPushButton()
        self.close_button = QPushButton()
        self.compare_button = QPushButton()
        self.pdf_button = QPushButton()
        self.print_button = QPushButton()
        # Two rows: the plan's life cycle, then the documents (long Danish and Swedish words
        # never push the page wider than the window).
        actions = QGridLayout()
        buttons = (
            self.new_button,
            self.save_button,
            self.agree_button,
            self.follow_up_button,
            self.revise_button,
            self.close_button,
            self.compare_button,
            self.pdf_button,
            self.print_button,
        )
        for index, button in enumerate(buttons):
            actions.addWidget(button, index // 4, index % 4)
        actions.setColumnStretch(4, 1)
        self.editor = PlanEditor(users=team_users(context))
        # The plan is shown only for a client the search matches; otherwise what to do.
        self.plan_area = QWidget()
        self.plan_area.setObjectName("planArea")
        self.no_client_label = QLabel()
        self.no_client_label.setObjectName("planNoClient")
        self.no_client_label.setWordWrap(True)
        self.no_client_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        version_row = QHBoxLayout()
        version_row.addWidget(self.versions_label)
        version_row.addWidget(self.versions_combo)
        version_row.addWidget(self.status_label, 1)
        plan_layout = QVBoxLayout(self.plan_area)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addLayout(version_row)
        plan_layout.addLayout(actions)
        plan_layout.addWidget(self.editor, 1)
        plan_tab = QWidget()
        plan_tab_layout = QVBoxLayout(plan_tab)
        plan_tab_layout.addWidget(self.no_client_label, 1)
        plan_tab_layout.addWidget(self.plan_area, 1)

        # What is due tab (its parts are named here too).
        self.due_panel = DuePanel(context=context, today=self.today)
        self.scope_combo, self.counts_label = (
            self.due_panel.scope_combo,
            self.due_panel.counts_label,
        )
        self.due_model, self.due_view = self.due_panel.model, self.due_panel.view
        self.open_due_button = self.due_panel.open_button

        self.tabs = QTabWidget()
        self.tabs.addTab(plan_tab, "")
        self.tabs.addTab(self.due_panel, "")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.picker)
        splitter.addWidget(self.tabs)
        char = self.fontMetrics().averageCharWidth()
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 5)
        # The picker as wide as a name needs (ClientPicker.NAME_WIDTH_CHARS); the plan the rest.
        splitter.setSizes([self.picker.minimumSizeHint().width(), char * 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._connect_signals()
        self.retranslate_ui()
        self._update_plan_area()

    def _connect_signals(self) -> None:
        self.picker.sig_client_chosen.connect(self._on_client_chosen)
        self.picker.sig_client_activated.connect(self._on_client_activated)
        self.picker.sig_results_shown.connect(self._update_plan_area)
        self.versions_combo.currentIndexChanged.connect(self._on_version_chosen)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.agree_button.clicked.connect(self._on_agree_clicked)
        self.follow_up_button.clicked.connect(self._on_follow_up_clicked)
        self.revise_button.clicked.connect(self._on_revise_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)
        self.compare_button.clicked.connect(self._on_compare_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.due_panel.sig_open_plan.connect(self._on_due_opened)
        self._context.notifier.subscribe(self, SHOWN_KINDS, self._on_changed)

    def retranslate_ui(self) -> None:
        self.picker.retranslate_ui()
        self.language_label.setText(_("&Print language:"))
        self.language_combo.setAccessibleName(_("Print language"))
        self.language_combo.follow_session()
        self.versions_label.setText(_("&Version:"))
        self.versions_combo.setAccessibleName(_("Versions"))
        self.new_button.setText(_("&New plan…"))
        self.save_button.setText(_("&Save draft"))
        self.agree_button.setText(_("&Agree…"))
        self.follow_up_button.setText(_("&Follow up…"))
        self.revise_button.setText(_("&Revise"))
        self.close_button.setText(_("C&lose plan"))
        self.compare_button.setText(_("Co&mpare versions…"))
        self.pdf_button.setText(_("&Export PDF…"))
        self.print_button.setText(_("Prin&t…"))
        self.print_button.setToolTip(_("Print the plan on a printer (A4), in Swedish or Danish"))
        self.pdf_button.setToolTip(_("Save the plan as a PDF to print and hand to the client"))
        self.tabs.setTabText(0, _("Plan"))
        self.tabs.setTabText(1, _("What is due"))
        self.editor.retranslate_ui()
        self._show_versions()
        self.due_panel.retranslate_ui()

    # -- data ------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def open_client(self, client_id: int, *, version_id: int | None = None) -> None:
        """Show a client's plan (used by the due list and from other areas)."""
        if self.search_edit.text().strip() and not self._picker_lists(client_id):
            self.search_edit.clear()  # a search that leaves them out would hide their plan
        self.picker.blockSignals(True)
        self.picker.select_client(client_id)
        self.picker.blockSignals(False)
        self._set_client(client_id)
        self.tabs.setCurrentIndex(0)
        self._load(select_version=version_id)
        self._update_plan_area()

    def _set_client(self, client_id: int | None) -> None:
        """Show another client's plans: opening them is logged once (reloads log nothing)."""
        if client_id is not None and client_id != self._client_id:
            ctx, chosen = self._context, client_id
            opened = run_query(self, lambda: open_case_file(ctx.db, ctx.actor, chosen, part="plan"))
            if opened is None:
                client_id = None
        self._client_id = client_id

    def _load(self, *, select_version: int | None = None) -> None:
        if self._client_id is None:
            self._versions = ()
        else:
            ctx, client_id = self._context, self._client_id
            found = run_query(
                self,
                lambda: plans.list_versions(ctx.db, ctx.actor, client_id),
                on_error=lambda error: show_error(self, error),
            )
            self._versions = found.value if found is not None else ()
        shown = self._shown
        if select_version is None and shown is not None and shown.client_id == self._client_id:
            select_version = shown.version_id
        if select_version is None:
            current = (
                plans.current_plan(self._context.db, self._context.actor, self._client_id)
                if self._client_id is not None and self._versions
                else None
            )
            select_version = current.version_id if current else None
        self._show_versions(select_version)

    def _show_versions(self, select_version: int | None = None) -> None:
        if select_version is None and self._shown is not None:
            select_version = self._shown.version_id
        self.versions_combo.blockSignals(True)
        self.versions_combo.clear()
        chosen = 0
        for row, info in enumerate(self._versions):
            text = _("Version {number}: {state}").format(
                number=info.version, state=state_label(info.state)
            )
            self.versions_combo.addItem(text, info.version_id)
            if info.version_id == select_version:
                chosen = row
        if self._versions:
            self.versions_combo.setCurrentIndex(chosen)
        self.versions_combo.blockSignals(False)
        self.versions_combo.setEnabled(len(self._versions) > 1)
        if self._versions:
            self._show_version(self._versions[chosen])
        else:
            self._show_version(None)

    def shown_version(self) -> PlanVersionInfo | None:
        return self._shown

    def _show_version(self, info: PlanVersionInfo | None) -> None:
        self._shown = info
        if info is None:
            self.editor.set_plan(PlanSnapshot(plan_uid=""), SipInfo(), read_only=True)
            self.status_label.setText(
                _("Choose a client.")
                if self._client_id is None
                else _("This client has no plan yet.")
            )
        else:
            self.editor.set_plan(info.snapshot, info.sip, read_only=not info.editable)
            self.status_label.setText(self._status_text(info))
        self._update_buttons()

    def _status_text(self, info: PlanVersionInfo) -> str:
        parts: list[str] = []  # the version and its state are in the drop-down beside
        if info.snapshot.agreement is not None:
            parts.append(
                _("agreed on {date}").format(
                    date=i18n.active().format_date(info.snapshot.agreement.agreed_on)
                )
            )
        phase = plans.cti_phase_key(info, self.today())
        if phase is not None:
            parts.append(_("CTI phase: {phase}").format(phase=phase_label(phase)))
        if info.sip.is_sip:
            parts.append(_("coordinated plan (SIP), led by {lead}").format(lead=info.sip.lead))
        return " · ".join(parts)

    def _update_buttons(self) -> None:
        info = self._shown
        writable = self._context.actor.can_write
        has_client = self._client_id is not None
        open_plan = any(v.state is not PlanState.CLOSED for v in self._versions[:1])
        state = info.state if info else None
        self.new_button.setEnabled(writable and has_client and not open_plan)
        self.save_button.setEnabled(writable and state is PlanState.DRAFT)
        self.agree_button.setEnabled(writable and state is PlanState.DRAFT)
        in_force = state in (PlanState.AGREED, PlanState.FOLLOWED_UP)
        self.follow_up_button.setEnabled(writable and in_force)
        self.revise_button.setEnabled(writable and in_force)
        self.close_button.setEnabled(
            writable and state in (PlanState.DRAFT, PlanState.AGREED, PlanState.FOLLOWED_UP)
        )
        same_plan = [v for v in self._versions if info and v.plan_id == info.plan_id]
        self.compare_button.setEnabled(len(same_plan) > 1)
        self.pdf_button.setEnabled(bool(self._versions))
        self.print_button.setEnabled(bool(self._versions))

    def refresh_due(self, *_args: object) -> None:
        self.due_panel.refresh()

    def _changed(self, info: PlanVersionInfo) -> None:
        """This page changed a plan: show it (other views hear of it through the notifier)."""
        self._load(select_version=info.version_id)
        self.refresh_due()

    def _run(
        self,
        call: Callable[[], Outcome[PlanVersionInfo]],
        on_error: Callable[[HemlosError], None] | None = None,
    ) -> PlanVersionInfo | None:
        done = run_operation(self, self._context, call, on_error=on_error)
        return None if done is None else done.value

    # -- slots -----------------------------------------------------------------------------

    def _update_plan_area(self, *_args: object) -> None:
        """Show the plan only for a chosen client the picker's search still lists: a search
        that finds someone else, or no one, never leaves the previous client's plan on screen
        (the editor keeps what was typed, out of sight, until the search finds them again)."""
        client_id = self._client_id
        searching = bool(self.search_edit.text().strip())
        shown = client_id is not None and not (searching and not self._picker_lists(client_id))
        self.plan_area.setVisible(shown)
        self.no_client_label.setVisible(not shown)
        if shown:
            return
        if searching and self.picker.results.count() == 0:
            self.no_client_label.setText(_("No client matches the search."))
        else:
            self.no_client_label.setText(
                _("Search for a client above and choose them in the list to see their plan.")
            )

    def _picker_lists(self, client_id: int) -> bool:
        results = self.picker.results
        return any(
            results.item(row).data(Qt.ItemDataRole.UserRole) == client_id
            for row in range(results.count())
        )

    def _on_client_chosen(self, client_id: int) -> None:
        if client_id == self._client_id:
            self._update_plan_area()
            return
        self._set_client(client_id)
        self._shown = None
        self._load()
        self._update_plan_area()

    def _on_client_activated(self, client_id: int) -> None:
        self._on_client_chosen(client_id)
        self.versions_combo.setFocus()

    def _on_version_chosen(self, row: int) -> None:
        if 0 <= row < len(self._versions):
            self._show_version(self._versions[row])

    def _on_changed(self, changes: ChangeSet) -> None:
        """Another view or window changed plans or what is due."""
        mine = self._client_id is not None and changes.touches(ChangeKind.PLAN, self._client_id)
        # Never reload over unsaved edits: the save then tells that another window saved.
        if mine and not self.editor.is_dirty():
            self._load()
        if changes.touches(ChangeKind.DUE):
            self.refresh_due()

    def _on_new_clicked(self) -> None:
        if self._client_id is None:
            return
        dialog = NewPlanDialog(today=self.today(), parent=self)
        if not self.run_dialog(dialog):
            return
        ctx, client_id = self._context, self._client_id
        info = self._run(
            lambda: plans.create_draft(
                ctx.db,
                ctx.actor,
                client_id,
                start=dialog.start(),
                template_id=dialog.template_id(),
                language=session_print_language(),
            )
        )
        if info is not None:
            self._changed(info)

    def save_draft(self, *, show: bool = True) -> PlanVersionInfo | None:
        """Save the draft in the editor; on refusal the text stays in the form.

        ``show=False`` leaves the page as it is (the caller goes on and shows the result)."""
        info = self._shown
        if info is None or not info.editable:
            return None
        self.editor.apply_pending()
        ctx, plan, sip = self._context, self.editor.plan(), self.editor.sip()
        saved = self._run(
            lambda: plans.save_draft(
                ctx.db, ctx.actor, info.version_id, plan, sip, expected_revision=info.revision
            ),
            on_error=self._on_plan_refused,
        )
        if saved is None:
            return None
        self.editor.show_problems([])
        self._shown = saved
        if show:
            self._changed(saved)
        return saved

    def _on_plan_refused(self, error: HemlosError) -> None:
        if isinstance(error, PlanRuleError):
            self.editor.show_problems([p.message for p in error.problems])
        show_error(self, error)

    def _on_save_clicked(self) -> None:
        self.save_draft()

    def _on_agree_clicked(self) -> None:
        if self._shown is None:
            return
        saved = self.save_draft(show=False)
        if saved is None:
            return
        lacking = agreement_problems(saved.snapshot)
        if lacking:
            # Name each goal and action that lacks something, then take the user to the first.
            self._changed(saved)
            show_error(self, PlanRuleError(lacking))
            self.editor.go_to_problem(lacking[0].field, [p.message for p in lacking])
            return
        dialog = AgreeDialog(today=self.today(), present=saved.snapshot.participants, parent=self)
        ctx = self._context
        asked_again = False

        def refused(error: HemlosError) -> None:
            nonlocal asked_again
            if isinstance(error, PlanRuleError) and all(
                p.field.startswith("agreement.") for p in error.problems
            ):
                # Only the agreement itself is incomplete: ask again, keeping what was typed.
                dialog.problem_label.setText("\n".join(p.message for p in error.problems))
                asked_again = True
                return
            self._on_plan_refused(error)

        while self.run_dialog(dialog):
            asked_again = False
            record = dialog.record()
            info = self._run(
                lambda: plans.agree(
                    ctx.db,
                    ctx.actor,
                    saved.version_id,
                    record,  # noqa: B023 - called at once, inside this iteration
                    today=self.today(),
                    expected_revision=saved.revision,
                ),
                on_error=refused,
            )
            if info is None and asked_again:
                continue
            # Shown once, whether agreed or refused (the draft was saved before asking).
            self._changed(info or saved)
            return
        self._changed(saved)

    def _on_follow_up_clicked(self) -> None:
        info = self._shown
        if info is None:
            return
        dialog = FollowUpDialog(plan=info.snapshot, today=self.today(), parent=self)
        if not self.run_dialog(dialog):
            return
        ctx, record = self._context, dialog.record()
        done = self._run(
            lambda: plans.follow_up(ctx.db, ctx.actor, info.version_id, record, today=self.today())
        )
        if done is not None:
            self._changed(done)

    def _on_revise_clicked(self) -> None:
        if self._shown is None:
            return
        ctx, version_id = self._context, self._shown.version_id
        info = self._run(lambda: plans.revise(ctx.db, ctx.actor, version_id))
        if info is not None:
            self._changed(info)

    def _on_close_clicked(self) -> None:
        if self._shown is None:
            return
        ctx, version_id = self._context, self._shown.version_id
        info = self._run(lambda: plans.close(ctx.db, ctx.actor, version_id))
        if info is not None:
            self._changed(info)

    def _on_compare_clicked(self) -> None:
        info = self._shown
        if info is None:
            return
        others = [v for v in self._versions if v.plan_id == info.plan_id and v != info]
        if not others:
            return
        older = [v for v in others if v.version < info.version]
        other = older[0] if older else others[-1]
        old, new = (other, info) if other.version < info.version else (info, other)
        rows = plans.compare(self._context.db, self._context.actor, old.version_id, new.version_id)
        dialog = CompareDialog(rows=rows, old=old.version, new=new.version, parent=self)
        self.run_dialog(dialog)

    def ask_pdf_path(self) -> Path | None:
        """Where to save, starting from a proposed name (the internal number, never a name)."""
        proposed = batch_file_name(self._client_id or 0, self.print_language(), "plan")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the plan as PDF"), proposed, _("PDF files (*.pdf)")
        )
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix.casefold() == ".pdf" else chosen.with_suffix(".pdf")

    def print_language(self) -> str:
        return self.language_combo.language()

    def _on_pdf_clicked(self) -> None:
        if self._client_id is None:
            return
        path = self.ask_pdf_path()
        if path is None:
            return
        options = pdf_export.PdfOptions(
            self.print_language(),
            municipality=self._context.settings.municipality_name,
            municipality_logo=self._context.settings.municipality_logo,
        )
        ctx, client_id = self._context, self._client_id
        saved = run_query(
            self,
            lambda: pdf_export.export_pdf(ctx.db, ctx.actor, client_id, path, options, kind="plan"),
        )
        if saved is None:
            return
        self.status_label.setText(_("The plan is saved as {file}.").format(file=path.name))

    def _on_print_clicked(self) -> None:
        if self._client_id is None:
            return
        from hemlos_desktop.ui.reports.export_dialog import open_pdf_dialog

        open_pdf_dialog(self, self._context, self._client_id, kind="plan")

    def _on_due_opened(self, client_id: int, version_id: int) -> None:
        self.open_client(client_id, version_id=version_id)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Run a modal dialog (tests replace this to fill and accept it)."""
        return dialog.exec() == QDialog.DialogCode.Accepted
