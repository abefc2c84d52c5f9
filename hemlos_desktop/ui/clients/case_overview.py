"""The case file of one client: header, housing timeline, journal, contacts log and the panels
that later features (ratings, plan, eviction case) add with :meth:`CaseOverviewWidget.add_panel`.

Open it with ``CaseOverviewWidget(context=ctx, client_id=id)``. Before throwing the widget away
without closing it, call :meth:`CaseOverviewWidget.save_pending` (closing, hiding, the window
closing and the application quitting save the journal draft by themselves).
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.models.client import (
    CLOSURE_REASON_LABELS,
    GENDER_LABELS,
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
    ClientStatus,
    ClosureReason,
    housing_label,
)
from hemlos_desktop.models.durations import duration_text
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import clients as clients_service
from hemlos_desktop.services import contacts as contacts_service
from hemlos_desktop.services import housing as housing_service
from hemlos_desktop.services.case_overview import ClientHeader, client_header
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.contacts import ContactInfo
from hemlos_desktop.services.housing import HousingPeriodInfo
from hemlos_desktop.ui.clients.closure_dialog import CaseClosureDialog, reopen_case
from hemlos_desktop.ui.clients.contacts import ContactsLogWidget
from hemlos_desktop.ui.clients.housing_dialog import HousingPeriodDialog
from hemlos_desktop.ui.clients.journal import JournalWidget
from hemlos_desktop.ui.clients.timeline import HousingTimelineWidget
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query

log = logging.getLogger(__name__)

CONTACTS_SHOWN = 20

SHOWN_KINDS = frozenset({ChangeKind.HEADER, ChangeKind.HOUSING, ChangeKind.CONTACTS})
"""What the case overview itself shows (the journal and the panels subscribe on their own)."""


def duration_words(days: int) -> str:
    """How long a situation has lasted, in words of the active language ("for 3 months")."""
    if days <= 0:
        return _("since today")
    return _("for {duration}").format(duration=duration_text(i18n.active(), days))


def status_text(header: ClientHeader) -> str:
    """The case's status for the header: "Active", or "Closed since 3 Mar 2026 (Died)" in the
    active language's date format (for the reason "other", the note written at closing)."""
    if header.status is not ClientStatus.CLOSED or header.closed_on is None:
        return _(STATUS_LABELS[header.status])
    day = i18n.active().format_date(header.closed_on)
    reason = header.closure_reason
    note = header.closure_note
    if reason is None:
        why = note
    elif reason is ClosureReason.OTHER and note:
        why = note
    elif note:
        why = _("{reason}: {note}").format(reason=_(CLOSURE_REASON_LABELS[reason]), note=note)
    else:
        why = _(CLOSURE_REASON_LABELS[reason])
    if not why:
        return _("Closed since {date}").format(date=day)
    return _("Closed since {date} ({reason})").format(date=day, reason=why)


class CaseOverviewWidget(QWidget):
    """One page per client: who they are, where they live(d), what was written and done."""

    sig_client_gone = Signal(int)
    """The client is no longer visible here (linked to another client, access changed)."""

    sig_open_client = Signal(int)
    """Open another client's case file (e.g. the client a person was linked to)."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self._today = today
        self._header: ClientHeader | None = None
        self._revealed: str | None = None
        self._panels: list[tuple[str, QGroupBox]] = []

        # Header.
        self.name_label = QLabel()
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label = QLabel()
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_number_button = QPushButton()
        self.show_number_button.setObjectName("showNumber")
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("casePdfButton")
        self.protected_label = QLabel()
        self.protected_label.setStyleSheet(
            "QLabel { background: #7a1c1c; color: white; padding: 2px 6px; font-weight: bold; }"
        )
        self.protected_label.hide()
        self.close_case_button = QPushButton()
        self.close_case_button.setObjectName("closeCaseButton")
        self.reopen_case_button = QPushButton()
        self.reopen_case_button.setObjectName("reopenCaseButton")
        self.reopen_case_button.hide()
        self.gone_label = QLabel()
        self.gone_label.setWordWrap(True)
        self.gone_label.hide()
        self._fact_names = ("age", "gender", "housing", "responsible", "team", "status", "groups")
        self._fact_titles = {key: QLabel() for key in self._fact_names}
        self.facts = {key: QLabel() for key in self._fact_names}
        for label in self.facts.values():
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Sections.
        self.timeline = HousingTimelineWidget(today=today)
        self.add_period_button = QPushButton()
        self.edit_period_button = QPushButton()
        self.delete_period_button = QPushButton()
        self.journal = JournalWidget(context=context, client_id=client_id, today=today)
        self.contacts = ContactsLogWidget(context=context, client_id=client_id, today=today)
        self.housing_box = QGroupBox()
        self.journal_box = QGroupBox()
        self.contacts_box = QGroupBox()
        self.panels_area = QWidget()
        self.panels_area.setObjectName("case_overview_panels")
        self._panels_layout = QVBoxLayout(self.panels_area)
        self._panels_layout.setContentsMargins(0, 0, 0, 0)

        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh(journal=False)  # the journal widget loaded its list itself
        self.journal.restore_drafts()

    # -- layout -------------------------------------------------------------------------

    def _build_layout(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(self.name_label)
        title_row.addWidget(self.protected_label)
        title_row.addStretch(1)
        title_row.addWidget(self.number_label)
        title_row.addWidget(self.show_number_button)
        title_row.addWidget(self.pdf_button)
        title_row.addWidget(self.close_case_button)
        title_row.addWidget(self.reopen_case_button)

        grid = QGridLayout()
        grid.setHorizontalSpacing(self.fontMetrics().height())
        columns = 3
        for index, key in enumerate(self._fact_names):
            row, col = divmod(index, columns)
            title = self._fact_titles[key]
            title.setBuddy(self.facts[key])
            title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(title, row, col * 2)
            grid.addWidget(self.facts[key], row, col * 2 + 1)
        for col in range(columns):
            grid.setColumnStretch(col * 2 + 1, 1)

        header = QFrame()
        header.setFrameShape(QFrame.Shape.StyledPanel)
        header_layout = QVBoxLayout(header)
        header_layout.addLayout(title_row)
        header_layout.addLayout(grid)
        header_layout.addWidget(self.gone_label)

        housing_layout = QVBoxLayout(self.housing_box)
        housing_layout.addWidget(self.timeline)
        housing_buttons = QHBoxLayout()
        housing_buttons.addWidget(self.add_period_button)
        housing_buttons.addWidget(self.edit_period_button)
        housing_buttons.addWidget(self.delete_period_button)
        housing_buttons.addStretch(1)
        housing_layout.addLayout(housing_buttons)

        QVBoxLayout(self.journal_box).addWidget(self.journal)
        QVBoxLayout(self.contacts_box).addWidget(self.contacts)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(header)
        content_layout.addWidget(self.housing_box)
        content_layout.addWidget(self.journal_box, 1)
        content_layout.addWidget(self.contacts_box)
        content_layout.addWidget(self.panels_area)
        content_layout.addStretch(0)
        unit = self.fontMetrics().height()
        self.journal_box.setMinimumHeight(unit * 22)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.scroll_area = scroll

    def _connect_signals(self) -> None:
        self._context.notifier.subscribe(self, SHOWN_KINDS, self._on_changed)
        self.show_number_button.clicked.connect(self._on_show_number_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.close_case_button.clicked.connect(self._on_close_case_clicked)
        self.reopen_case_button.clicked.connect(self._on_reopen_case_clicked)
        self.add_period_button.clicked.connect(self._on_add_period_clicked)
        self.edit_period_button.clicked.connect(self._on_edit_period_clicked)
        self.delete_period_button.clicked.connect(self._on_delete_period_clicked)
        self.timeline.sig_period_activated.connect(self._on_period_activated)
        self.timeline.sig_focused_period_changed.connect(self._on_focused_period_changed)
        self.contacts.sig_linked.connect(self._on_person_linked)

    def retranslate_ui(self) -> None:
        self.pdf_button.setText(_("&PDF and print…"))
        self.pdf_button.setToolTip(_("Export or print a case summary in Swedish or Danish"))
        titles = {
            "age": _("Age:"),
            "gender": _("Gender:"),
            "housing": _("Housing now:"),
            "responsible": _("Caseworker:"),
            "team": _("Team:"),
            "status": _("Status:"),
            "groups": _("Target groups:"),
        }
        for key, text in titles.items():
            self._fact_titles[key].setText(text)
            self.facts[key].setAccessibleName(text.rstrip(":"))
        self.close_case_button.setText(_("Clos&e case…"))
        self.close_case_button.setAccessibleName(_("Close the case"))
        self.close_case_button.setToolTip(_("Record that the case is closed, and why"))
        self.reopen_case_button.setText(_("&Reopen case…"))
        self.reopen_case_button.setAccessibleName(_("Reopen the case"))
        self.protected_label.setText(_("Protected identity"))
        self.protected_label.setAccessibleName(_("Protected identity"))
        self.number_label.setAccessibleName(_("Identity number"))
        self.housing_box.setTitle(_("Housing"))
        self.journal_box.setTitle(_("Journal"))
        self.contacts_box.setTitle(_("Contacts log"))
        self.add_period_button.setText(_("Add &period…"))
        self.add_period_button.setAccessibleName(_("Add housing period"))
        self.edit_period_button.setText(_("&Change period…"))
        self.edit_period_button.setAccessibleName(_("Change the chosen housing period"))
        self.delete_period_button.setText(_("Delete period…"))
        self.delete_period_button.setAccessibleName(_("Delete the chosen housing period"))
        self.gone_label.setText(
            _("This record is no longer available here (it was linked to another client).")
        )
        self.timeline.retranslate_ui()
        self.journal.retranslate_ui()
        self.contacts.retranslate_ui()
        self._show_header()

    # -- data ---------------------------------------------------------------------------

    @property
    def client_id(self) -> int:
        return self._client_id

    def header(self) -> ClientHeader | None:
        return self._header

    def refresh(self, *, journal: bool = True) -> None:
        """Reload header, timeline, contacts and the journal list (the editor is left alone)."""
        db, actor = self._context.db, self._context.actor
        client_id = self._client_id

        def read() -> tuple[ClientHeader, list[HousingPeriodInfo], list[ContactInfo]]:
            return (
                client_header(db, actor, client_id, today=self._today),
                housing_service.list_periods(db, actor, client_id),
                contacts_service.list_contacts(db, actor, client_id, limit=CONTACTS_SHOWN),
            )

        found = run_query(self, read, on_error=self._on_refresh_failed)
        if found is None:
            return
        self._header, periods, contacts = found.value
        self.timeline.set_periods(periods, today=self._today)
        self.contacts.set_contacts(contacts)
        self.contacts.set_person(
            unidentified=self._header.id_kind is IdKind.NONE, name=self._header.display_name
        )
        if journal:
            self.journal.load_entries()
        self._show_header()
        self._update_buttons()

    def _on_refresh_failed(self, error: HemlosError) -> None:
        if isinstance(error, NotFoundError):
            self._set_gone()  # deleted or merged elsewhere: say so in the tab, not in a box
        else:
            show_error(self, error)

    def _set_gone(self) -> None:
        self._header = None
        self.gone_label.show()
        for widget in (self.housing_box, self.contacts_box, self.show_number_button):
            widget.setEnabled(False)
        self.sig_client_gone.emit(self._client_id)

    def _show_header(self) -> None:
        header = self._header
        if header is None:
            return
        self.name_label.setText(header.display_name)
        self.setWindowTitle(header.display_name)
        self.setAccessibleName(_("Case file of {name}").format(name=header.display_name))
        if header.id_kind is IdKind.NONE:
            number = _("Not yet identified")
        else:
            number = self._revealed if self._revealed is not None else header.id_masked
        self.number_label.setText(number)
        self.show_number_button.setVisible(
            header.id_kind is not IdKind.NONE and self._revealed is None
        )
        self.show_number_button.setText(_("&Show number"))
        self.show_number_button.setAccessibleName(_("Show the full identity number"))
        self.protected_label.setVisible(header.protected_identity)
        self.facts["age"].setText(
            ngettext("{n} year", "{n} years", header.age).format(n=header.age)
            if header.age is not None
            else _("Unknown")
        )
        self.facts["gender"].setText(_(GENDER_LABELS[header.gender]))
        self.facts["housing"].setText(self._housing_text(header))
        self.facts["responsible"].setText(header.responsible or _("Nobody yet"))
        self.facts["team"].setText(header.team or _("No team"))
        self.facts["status"].setText(status_text(header))
        self.facts["groups"].setText(
            ", ".join(_(TARGET_GROUP_LABELS[g]) for g in header.target_groups) or _("None")
        )

    @staticmethod
    def _housing_text(header: ClientHeader) -> str:
        if header.housing_code is None:
            return _("No housing period recorded")
        text = f"{header.housing_code} – {housing_label(header.housing_code)}"
        if header.status is ClientStatus.CLOSED:
            # The situation when the case was closed; it is not followed any more.
            return _("{housing} (when the case was closed)").format(housing=text)
        if header.housing_days is not None:
            text += " " + duration_words(header.housing_days)
        return text

    def _update_buttons(self) -> None:
        writable = self._context.actor.can_write and self._header is not None
        closed = self._header is not None and self._header.status is ClientStatus.CLOSED
        self.close_case_button.setVisible(writable and not closed)
        self.reopen_case_button.setVisible(writable and closed)
        has_period = self.timeline.focused_period() is not None
        self.add_period_button.setEnabled(writable)
        self.edit_period_button.setEnabled(writable and has_period)
        self.delete_period_button.setEnabled(writable and has_period)

    # -- panels -------------------------------------------------------------------------

    def add_banner(self, widget: QWidget) -> None:
        """Add a feature's notice above the case file (the sync's conflicts)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def add_panel(self, title: str, widget: QWidget) -> QGroupBox:
        """Add a feature's panel (ratings, plan, eviction case) below the built-in sections.

        Returns the group box holding it; change its title from the feature's
        ``retranslate_ui`` when the language changes.
        """
        box = QGroupBox(title)
        box.setAccessibleName(title)
        QVBoxLayout(box).addWidget(widget)
        self._panels_layout.addWidget(box)
        self._panels.append((title, box))
        return box

    def panels(self) -> list[QGroupBox]:
        return [box for _title, box in self._panels]

    # -- slots --------------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        # The journal widget and the feature panels subscribe to their own kinds.
        if changes.touches(SHOWN_KINDS, self._client_id):
            self.refresh(journal=False)

    def _on_pdf_clicked(self) -> None:
        from hemlos_desktop.ui.reports.export_dialog import open_pdf_dialog

        self.save_pending()
        open_pdf_dialog(self, self._context, self._client_id)

    def open_closure_dialog(self) -> CaseClosureDialog:
        name = self._header.display_name if self._header is not None else ""
        return CaseClosureDialog(
            context=self._context,
            client_id=self._client_id,
            client_name=name,
            today=self._today,
            parent=self,
        )

    def _on_close_case_clicked(self) -> None:
        self.save_pending()
        if self.open_closure_dialog().exec() == QDialog.DialogCode.Accepted:
            self.refresh(journal=False)
            self.reopen_case_button.setFocus()

    def reopen(self, *, confirm: bool = True) -> bool:
        """Reopen the closed case (asking first unless ``confirm`` is False)."""
        name = self._header.display_name if self._header is not None else ""
        if not reopen_case(self, self._context, self._client_id, name, confirm=confirm):
            return False
        self.refresh(journal=False)
        self.close_case_button.setFocus()
        return True

    def _on_reopen_case_clicked(self) -> None:
        self.reopen()

    def _on_show_number_clicked(self) -> None:
        ctx = self._context
        revealed = run_query(
            self, lambda: clients_service.reveal_number(ctx.db, ctx.actor, self._client_id)
        )
        if revealed is None:
            return
        self._revealed = revealed.value
        self._show_header()
        self.number_label.setFocus()

    def open_period_dialog(self, period_id: int | None = None) -> HousingPeriodDialog:
        period = next((p for p in self.timeline.periods() if p.id == period_id), None)
        return HousingPeriodDialog(
            context=self._context,
            client_id=self._client_id,
            period=period,
            today=self._today,
            parent=self,
        )

    def _on_add_period_clicked(self) -> None:
        self.open_period_dialog().exec()

    def _on_edit_period_clicked(self) -> None:
        period = self.timeline.focused_period()
        if period is not None:
            self.open_period_dialog(period.id).exec()

    def _on_period_activated(self, period_id: int) -> None:
        if self._context.actor.can_write:
            self.open_period_dialog(period_id).exec()

    def _on_focused_period_changed(self, _period_id: int) -> None:
        self._update_buttons()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete_period(self, period_id: int, *, confirm: bool = True) -> bool:
        if confirm and not self._confirm(
            _("Delete housing period"), _("Delete the chosen housing period?")
        ):
            return False
        ctx = self._context
        deleted = run_operation(
            self,
            ctx,
            lambda: housing_service.delete_period(
                ctx.db, ctx.actor, self._client_id, period_id, today=self._today
            ),
        )
        if deleted is None:
            return False
        self.refresh(journal=False)
        return True

    def _on_delete_period_clicked(self) -> None:
        period = self.timeline.focused_period()
        if period is not None:
            self.delete_period(period.id)

    def _on_person_linked(self, client_id: int) -> None:
        self.sig_open_client.emit(client_id)

    # -- closing ------------------------------------------------------------------------

    def save_pending(self) -> bool:
        """Save the journal draft now; True when nothing is left unsaved."""
        return self.journal.save_pending()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.journal.save_pending()
        super().closeEvent(event)
