"""The registration form's warning about possible duplicates: a client with the same identity
number (refused; offers to open that client) or the same name and date of birth (saved only
after the user ticks that it is a different person)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from hemlos_desktop.i18n import active
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.clients import DuplicateMatch, DuplicateReport


def match_text(match: DuplicateMatch) -> str:
    """One possible duplicate as the user sees it: name, masked number, date of birth."""
    parts = [match.display_name]
    if match.id_masked:
        parts.append(match.id_masked)
    if match.birth_date is not None:
        parts.append(active().format_date(match.birth_date))
    return ", ".join(parts)


class DuplicatesPanel(QFrame):
    """Hidden until the form shows a duplicate report."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("duplicates")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.open_existing_button = QPushButton()
        self.open_existing_button.setObjectName("openExisting")
        self.accept_similar_check = QCheckBox()
        self.accept_similar_check.setObjectName("acceptSimilar")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(self.accept_similar_check, 1)
        row.addWidget(self.open_existing_button)
        layout.addLayout(row)
        self.hide()

    def retranslate_ui(self) -> None:
        self.open_existing_button.setText(_("&Open the registered client"))
        self.accept_similar_check.setText(_("I have &checked: this is a different person"))

    def show_report(self, report: DuplicateReport, *, existing_id: int | None) -> None:
        """Say what was found; ``existing_id`` is the registered client the user may open."""
        lines: list[str] = []
        if report.same_number:
            lines.append(_("A client with this identity number is already registered:"))
            lines += [f"  • {match_text(m)}" for m in report.same_number]
        if report.similar:
            if lines:
                lines.append("")
            lines.append(_("Possibly the same person (same name and date of birth):"))
            lines += [f"  • {match_text(m)}" for m in report.similar]
            if not report.same_number:
                lines.append(_("Tick the box below if this is a different person, then save."))
        self.label.setText("\n".join(lines))
        self.label.setAccessibleName(self.label.text())
        self.open_existing_button.setVisible(existing_id is not None)
        self.accept_similar_check.setVisible(bool(report.similar) and not report.same_number)
        self.setVisible(bool(lines))
        if self.accept_similar_check.isVisible():
            self.accept_similar_check.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.open_existing_button.isVisible():
            self.open_existing_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""
