"""The areas of the main window and the empty-state page shown where a feature is not built yet."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStyle, QVBoxLayout, QWidget

from hemlos_desktop.i18n import N_
from hemlos_desktop.i18n import gettext as _


@dataclass(frozen=True)
class Area:
    """One navigation area. Texts are msgids, translated when shown."""

    key: str
    title: str
    empty_text: str
    icon: QStyle.StandardPixmap


AREAS: tuple[Area, ...] = (
    Area(
        "clients",
        N_("Clients"),
        N_("Find and register clients, their housing over time, contacts and journal."),
        QStyle.StandardPixmap.SP_DirHomeIcon,
    ),
    Area(
        "assessments",
        N_("Assessments"),
        N_("Rate independence in housing, income, substance use, daily living and occupation."),
        QStyle.StandardPixmap.SP_FileDialogDetailedView,
    ),
    Area(
        "plans",
        N_("Plans"),
        N_("Individual plans with the client's own goals, actions and follow-ups."),
        QStyle.StandardPixmap.SP_FileDialogListView,
    ),
    Area(
        "team",
        N_("Team"),
        N_("The housing coordinator's team: caseloads, case reviews and eviction prevention."),
        QStyle.StandardPixmap.SP_DirLinkIcon,
    ),
    Area(
        "reports",
        N_("Reports"),
        N_("Case summaries and follow-up figures as PDF in Swedish or Danish."),
        QStyle.StandardPixmap.SP_FileIcon,
    ),
)


class EmptyStatePage(QWidget):
    """Placeholder for an area whose feature is not in this version yet."""

    def __init__(self, *, area: Area, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._area = area
        self._title = QLabel()
        self._title.setObjectName("emptyStateTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._title.setFont(font)
        self._body = QLabel()
        self._body.setWordWrap(True)
        self._note = QLabel()
        self._note.setWordWrap(True)
        # Italic rather than greyed out: disabled text is too faint to read for many people.
        note_font = self._note.font()
        note_font.setItalic(True)
        self._note.setFont(note_font)
        for label in (self._title, self._body, self._note):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._title)
        layout.addSpacing(8)
        layout.addWidget(self._body)
        layout.addWidget(self._note)
        layout.addStretch(2)
        layout.setContentsMargins(48, 24, 48, 24)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._title.setText(_(self._area.title))
        self._body.setText(_(self._area.empty_text))
        self._note.setText(_("This area is not available in this version yet."))
        self.setAccessibleName(_(self._area.title))
