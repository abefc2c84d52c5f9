"""The coding form: every area of an instrument in one view, fast by keyboard alone.

Keys on a level selector: a digit sets the level (and moves to the next area), Left/Right step
the level, Delete clears it, Up/Down move between areas; Tab walks through every field.
The form only shows rules from ``models.assessment_rules``; it never clears the user's input.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment_rules import (
    FIELD_CASE,
    FIELD_DATE,
    AreaRating,
    QualificationResult,
    RatingCheck,
    RatingDraft,
    area_field,
    explain_qualification,
    reason_field,
    rule_text,
    validate_rating,
)
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.ui.widgets.dates import from_qdate, to_qdate

_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


class LevelSelector(QFrame):
    """A row of level buttons for one area; one focus stop, driven by digits and arrows."""

    sig_level_changed = Signal(object)
    """Emitted with the new level (``int``) or ``None`` when the level is cleared."""

    sig_move = Signal(int)
    """Asks the form to move focus to another area: +1 next, -1 previous."""

    def __init__(
        self, *, levels: tuple[int, ...], advance_on_digit: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._levels = levels
        self._advance = advance_on_digit
        self._level: int | None = None
        self.setObjectName("levelSelector")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.buttons: dict[int, QToolButton] = {}
        for level in levels:
            button = QToolButton(self)
            button.setText(str(level))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._group.addButton(button, level)
            self.buttons[level] = button
            layout.addWidget(button)
        self._group.idClicked.connect(self._on_button_clicked)
        self.setStyleSheet(
            "QFrame#levelSelector:focus { border: 2px solid palette(highlight); }"
            "QToolButton:checked { font-weight: bold; background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )

    def level(self) -> int | None:
        return self._level

    def set_level(self, level: int | None, *, notify: bool = True) -> None:
        if level is not None and level not in self._levels:
            return
        self._level = level
        for number, button in self.buttons.items():
            button.setChecked(number == level)
        if notify:
            self.sig_level_changed.emit(level)

    def _on_button_clicked(self, level: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_level(None if level == self._level else level)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = Qt.Key(event.key())
        digit = _DIGIT_KEYS.get(key)
        if digit is not None and digit in self._levels:
            self.set_level(digit)
            if self._advance:
                self.sig_move.emit(1)
            return
        current = self._level
        index = self._levels.index(current) if current is not None else -1
        if key == Qt.Key.Key_Right:
            self.set_level(self._levels[min(index + 1, len(self._levels) - 1)])
        elif key == Qt.Key.Key_Left and index > 0:
            self.set_level(self._levels[index - 1])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_level(None)
        elif key == Qt.Key.Key_Down:
            self.sig_move.emit(1)
        elif key == Qt.Key.Key_Up:
            self.sig_move.emit(-1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()


def _show_whole(area: QScrollArea, widget: QWidget, margin: int) -> None:
    """Scroll ``area`` so all of ``widget`` is in view (``ensureWidgetVisible`` shows only a
    line edit's cursor, which can leave most of the field outside)."""
    content = area.widget()
    if content is None or not content.isAncestorOf(widget):
        return
    rect = QRect(widget.mapTo(content, QPoint(0, 0)), widget.size())
    centre = rect.center()
    area.ensureVisible(
        centre.x(), centre.y(), rect.width() // 2 + margin, rect.height() // 2 + margin
    )


def _text_field_width(field: QLineEdit, text: str) -> int:
    """The width at which ``field`` shows ``text`` whole: the words plus the frame, margins
    and cursor, all measured in the field's font (so it grows at 150 %)."""
    metrics = field.fontMetrics()
    return metrics.horizontalAdvance(text) + metrics.height()


class _AreaRow:
    """The widgets of one area in the form's grid."""

    def __init__(self, form: RatingForm, key: str, advance: bool) -> None:
        inst = form.instrument
        self.key = key
        self.name = QLabel(form)
        self.selector = LevelSelector(
            levels=inst.allowed_levels, advance_on_digit=advance, parent=form
        )
        self.name.setBuddy(self.selector)
        self.description = QLabel(form)
        self.description.setWordWrap(True)
        self.description.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.not_assessed = QCheckBox(form)
        self.reason = QLineEdit(form)
        self.reason.setEnabled(False)
        self.comment = QLineEdit(form)
        self.error = QLabel(form)
        self.error.setWordWrap(True)
        self.error.setObjectName("fieldError")
        self.error.setVisible(False)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.selector, self.not_assessed, self.reason, self.comment)


class RatingForm(QWidget):
    """Codes one rating of ``instrument``; ``draft()`` gives what to save."""

    sig_rating_changed = Signal(object)
    """Emitted with the current :class:`RatingDraft` after any change in the form."""

    def __init__(
        self,
        *,
        instrument: Instrument,
        birth_date: dt.date | None = None,
        today: dt.date | None = None,
        case_closed: bool = False,
        advance_on_digit: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.instrument = instrument
        self._birth_date = birth_date
        self._today = today
        self._case_closed = case_closed
        self._previous: dict[str, int | None] | None = None
        self._show_all_problems = False
        self._loading = False

        self.date_label = QLabel(self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        today = self.today()
        self.date_edit.setDate(to_qdate(today))
        self.date_label.setBuddy(self.date_edit)
        self.took_part = QCheckBox(self)
        self.took_part.setChecked(True)
        self.date_error = QLabel(self)
        self.case_error = QLabel(self)
        for label in (self.date_error, self.case_error):
            label.setObjectName("fieldError")
            label.setWordWrap(True)
            label.setVisible(False)
        self.header_level = QLabel(self)
        self.header_description = QLabel(self)
        self.header_not_assessed = QLabel(self)
        self.header_comment = QLabel(self)
        self.rule = QLabel(self)
        self.rule.setWordWrap(True)
        self.rule.setObjectName("qualificationRule")
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qualification = QLabel(self)
        self.qualification.setWordWrap(True)
        self.qualification.setObjectName("qualificationLine")
        self.qualification.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.rows: dict[str, _AreaRow] = {
            key: _AreaRow(self, key, advance_on_digit) for key in instrument.area_keys
        }

        top = QHBoxLayout()
        top.addWidget(self.date_label)
        top.addWidget(self.date_edit)
        top.addSpacing(self.fontMetrics().height())
        top.addWidget(self.took_part)
        top.addStretch(1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(self.fontMetrics().height() // 2)
        for column, header in enumerate(
            (
                None,
                self.header_level,
                self.header_description,
                self.header_not_assessed,
                None,
                self.header_comment,
            )
        ):
            if header is not None:
                header.setStyleSheet("font-weight: bold;")
                grid.addWidget(header, 0, column)
        for index, row in enumerate(self.rows.values()):
            r = 1 + 2 * index
            grid.addWidget(row.name, r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.selector, r, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.description, r, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.not_assessed, r, 3, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.reason, r, 4, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.comment, r, 5, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.error, r + 1, 1, 1, 5)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(4, 1)
        grid.setColumnStretch(5, 2)
        # The description wraps, so it may be narrow; the reason and comment fields get room
        # for their placeholder words (retranslate_ui). Together they fit 1100×720 without a
        # horizontal scrollbar ("Begrundelse" showed as "B…" and the comments were cut).
        unit = self.fontMetrics().height()
        grid.setColumnMinimumWidth(2, unit * 6)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.date_error)
        layout.addWidget(self.case_error)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.rule)
        layout.addWidget(self.qualification)
        self.setStyleSheet(
            "QLabel#fieldError { color: #B00020; }"
            "QLabel#qualificationLine { font-weight: bold; padding: 4px;"
            " border: 1px solid palette(mid); }"
        )
        self._body = body

        self._set_tab_order()
        self._connect_signals()
        self.retranslate_ui()
        # Whatever moves the keyboard to an area (Tab, a digit, the arrows, a problem, a
        # program call) brings that area into view, in a small window too.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # --- setup ---------------------------------------------------------------------------------

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.date_edit, self.took_part]
        for row in self.rows.values():
            chain += [row.selector, row.not_assessed, row.reason, row.comment]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.date_edit.dateChanged.connect(self._on_changed)
        self.took_part.toggled.connect(self._on_changed)
        for row in self.rows.values():
            row.selector.sig_level_changed.connect(
                lambda _level, key=row.key: self._on_level_changed(key)
            )
            row.selector.sig_move.connect(lambda step, key=row.key: self._on_move(key, step))
            row.not_assessed.toggled.connect(
                lambda checked, key=row.key: self._on_not_assessed_toggled(key, checked)
            )
            row.reason.textChanged.connect(self._on_changed)
            row.comment.textChanged.connect(self._on_changed)

    def retranslate_ui(self) -> None:
        lang = i18n.current_language()
        self.date_label.setText(_("&Date:"))
        self.date_edit.setAccessibleName(_("Rating date"))
        self.took_part.setText(_("&Client took part in the rating"))
        self.header_level.setText(_("Level"))
        self.header_description.setText(_("Description"))
        self.header_not_assessed.setText(_("Not assessed"))
        self.header_comment.setText(_("Comment"))
        for row in self.rows.values():
            name = self.instrument.area_name(row.key, lang)
            row.name.setText(name)
            row.selector.setAccessibleName(_("Level for {area}").format(area=name))
            row.selector.setToolTip(
                _("Type a digit to choose a level; arrow keys move between areas.")
            )
            for number, button in row.selector.buttons.items():
                label = self.instrument.level_label(row.key, number, lang)
                button.setToolTip(label)
                button.setAccessibleName(f"{number} – {label}")
            row.not_assessed.setText(_("Not assessed"))
            row.not_assessed.setAccessibleName(_("{area} not assessed").format(area=name))
            row.reason.setPlaceholderText(_("Reason"))
            row.reason.setAccessibleName(_("Reason {area} was not assessed").format(area=name))
            row.comment.setPlaceholderText(_("Comment"))
            row.comment.setAccessibleName(_("Comment on {area}").format(area=name))
            for field in (row.reason, row.comment):
                field.setMinimumWidth(_text_field_width(field, field.placeholderText()))
            self._update_description(row.key)
        self.rule.setText(rule_text(self.instrument))
        self.rule.setAccessibleName(_("Qualification rule"))
        self.qualification.setAccessibleName(_("Qualification"))
        self._refresh()

    def sizeHint(self) -> QSize:  # noqa: N802
        unit = self.fontMetrics().height()
        body = self._body.sizeHint()
        return QSize(body.width() + unit * 2, body.height() + unit * 6)

    # --- data ----------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def draft(self) -> RatingDraft:
        """The rating as the form shows it now."""
        areas = []
        for row in self.rows.values():
            not_assessed = row.not_assessed.isChecked()
            areas.append(
                AreaRating(
                    key=row.key,
                    level=None if not_assessed else row.selector.level(),
                    comment=row.comment.text().strip(),
                    not_assessed_reason=row.reason.text().strip() if not_assessed else "",
                )
            )
        return RatingDraft(
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            rated_on=from_qdate(self.date_edit.date()),
            client_took_part=self.took_part.isChecked(),
            areas=tuple(areas),
        )

    def set_draft(self, draft: RatingDraft) -> None:
        """Fill the form from a draft (for a correction or a restored draft)."""
        self._loading = True
        try:
            rated = draft.rated_on
            self.date_edit.setDate(to_qdate(rated))
            self.took_part.setChecked(draft.client_took_part)
            given = {area.key: area for area in draft.areas}
            for key, row in self.rows.items():
                area = given.get(key)
                row.selector.set_level(area.level if area else None, notify=False)
                row.not_assessed.setChecked(
                    bool(area and area.level is None and area.not_assessed_reason)
                )
                row.reason.setText(area.not_assessed_reason if area else "")
                row.comment.setText(area.comment if area else "")
                self._update_description(key)
        finally:
            self._loading = False
        self._on_changed()

    def set_previous(self, levels: dict[str, int | None] | None) -> None:
        """The levels of the client's previous signed rating (None: none), so that a level
        above the limit where it used to be at or below is shown as progress."""
        self._previous = dict(levels) if levels is not None else None
        self._refresh()

    def qualification_result(self) -> QualificationResult:
        return explain_qualification(
            self.instrument, self.draft().levels(), previous=self._previous
        )

    def check(self) -> RatingCheck:
        return validate_rating(
            self.instrument,
            self.draft(),
            today=self.today(),
            birth_date=self._birth_date,
            case_closed=self._case_closed,
        )

    def validate(self) -> bool:
        """Show every problem next to its field (missing areas too); True if there are none."""
        self._show_all_problems = True
        self._refresh()
        return self.check().ok

    def focus_area(self, key: str) -> None:
        self.rows[key].selector.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reveal(self.rows[key].selector)

    def reveal(self, widget: QWidget) -> None:
        """Scroll every scroll area around ``widget`` (the form's own and any it sits in) so
        that the widget, and the name and description of its area, are in view."""
        row = next((r for r in self.rows.values() if widget in r.widgets()), None)
        margin = self.fontMetrics().height() // 2
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                if row is not None:
                    _show_whole(parent, row.description, margin)
                    _show_whole(parent, row.name, margin)
                _show_whole(parent, widget, margin)
            parent = parent.parentWidget()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            self.reveal(new)

    # --- slots ---------------------------------------------------------------------------------

    def _on_level_changed(self, key: str) -> None:
        row = self.rows[key]
        if row.selector.level() is not None and row.not_assessed.isChecked():
            row.not_assessed.setChecked(False)
        self._update_description(key)
        self._on_changed()

    def _on_not_assessed_toggled(self, key: str, checked: bool) -> None:
        row = self.rows[key]
        row.reason.setEnabled(checked)
        if checked:
            row.selector.set_level(None, notify=False)
            if not self._loading:
                row.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_description(key)
        self._on_changed()

    def _on_move(self, key: str, step: int) -> None:
        keys = list(self.rows)
        index = keys.index(key) + step
        if 0 <= index < len(keys):
            self.focus_area(keys[index])
        elif index >= len(keys):
            self.rows[key].comment.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.sig_rating_changed.emit(self.draft())

    # --- display -------------------------------------------------------------------------------

    def _update_description(self, key: str) -> None:
        row = self.rows[key]
        level = row.selector.level()
        lang = i18n.current_language()
        if row.not_assessed.isChecked():
            plain = rich = html.escape(_("Not assessed"))
        elif level is None:
            plain = rich = html.escape(_("No level chosen yet."))
        else:
            head = f"{level} – {self.instrument.level_label(key, level, lang)}"
            description = self.instrument.level_description(key, level, lang)
            rich = f"<b>{html.escape(head)}</b><br>{html.escape(description)}"
            plain = f"{head}. {description}"
        row.description.setTextFormat(Qt.TextFormat.RichText)
        row.description.setText(rich)
        row.selector.setAccessibleDescription(html.unescape(plain))

    def _refresh(self) -> None:
        check = self.check()
        self.qualification.setText(self.qualification_result().text)
        self._show(self.date_error, check.for_field(FIELD_DATE))
        self._show(self.case_error, check.for_field(FIELD_CASE))
        for key, row in self.rows.items():
            messages = list(check.for_field(area_field(key)))
            reason_messages = check.for_field(reason_field(key))
            if self._show_all_problems or row.not_assessed.isChecked():
                messages += reason_messages
            self._show(row.error, tuple(messages))

    @staticmethod
    def _show(label: QLabel, messages: tuple[str, ...]) -> None:
        label.setText("\n".join(messages))
        label.setVisible(bool(messages))
        label.setAccessibleName(label.text())
