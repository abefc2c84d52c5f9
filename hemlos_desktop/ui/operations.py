"""The operation runner: one call runs a user's action, shows failures, publishes what changed.

In the spirit of Anki's ``CollectionOp``/``QueryOp``:

    outcome = run_operation(
        self,
        self._context,
        lambda: journal_service.sign_entry(db, actor, draft_id),
        field_errors=self._show_field_errors,
    )
    if outcome is None:
        return  # refused or failed; the message is shown, the form keeps its input
    ...  # update this view; other views hear of ``outcome.changes`` through the notifier

- quick work runs synchronously; long work (``progress=Progress(title, label)``) runs on a
  worker thread while a modal progress dialog with a cancel button shows (``ui/tasks.py``);
- validation failures (``ValidationFailed``, an ``InvalidInputError`` naming a field) go to
  ``field_errors`` when the form gives one, else to the message box;
- known errors (``HemlosError``, and OS/database errors that ``storage.errors.classify``
  recognises) go to one translated message box; anything else is a bug for the excepthook;
- the returned change set is published with its initiator (by default the ``parent`` view),
  so that view's own subscription skips it.

``run_query`` is the same for reading: known errors become the message box, nothing is
published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.models.validation import FieldError, ValidationFailed
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.memory_release import schedule_memory_release
from hemlos_desktop.ui.tasks import Progress as ProgressCallback
from hemlos_desktop.ui.tasks import run_with_progress

T = TypeVar("T")

FieldErrors = Callable[[list[FieldError]], None]
ErrorHandler = Callable[[HemlosError], None]
LongWork = Callable[[ProgressCallback, Callable[[], bool]], Outcome[T]]


@dataclass(frozen=True)
class Progress:
    """Title and label of the progress dialog of a long operation."""

    title: str
    label: str


class _Default:
    pass


_PARENT = _Default()


def _known(exc: BaseException) -> HemlosError | None:
    if isinstance(exc, HemlosError):
        return exc
    return classify(exc) if isinstance(exc, Exception) else None


def _route(
    parent: QWidget | None,
    error: HemlosError,
    field_errors: FieldErrors | None,
    on_error: ErrorHandler | None,
) -> None:
    if field_errors is not None and isinstance(error, InvalidInputError):
        if isinstance(error, ValidationFailed):
            field_errors(error.errors)
            return
        if error.field:
            field_errors([FieldError(error.field, error.message())])
            return
    if on_error is not None:
        on_error(error)
    else:
        show_error(parent, error)


def run_operation(
    parent: QWidget | None,
    context: UiContext,
    call: Callable[[], Outcome[T]],
    *,
    field_errors: FieldErrors | None = None,
    on_error: ErrorHandler | None = None,
    initiator: QObject | None | _Default = _PARENT,
) -> Outcome[T] | None:
    """Run a quick use case now; None when it was refused or failed (and that was shown)."""
    try:
        outcome = call()
    except Exception as exc:
        known = _known(exc)
        if known is None:
            raise
        _route(parent, known, field_errors, on_error)
        return None
    finally:
        schedule_memory_release()
    _publish(parent, context, outcome, initiator)
    return outcome


def run_long_operation(
    parent: QWidget | None,
    context: UiContext,
    progress: Progress,
    work: LongWork[T],
    *,
    field_errors: FieldErrors | None = None,
    on_error: ErrorHandler | None = None,
    initiator: QObject | None | _Default = _PARENT,
    on_cancel: Callable[[], object] | None = None,
) -> Outcome[T] | None:
    """Run a long use case on a worker thread behind a progress dialog with Cancel.

    ``work(progress, cancelled)`` opens its own session and never touches widgets. None when
    cancelled (then ``on_cancel()`` is called), refused or failed (and that was shown)."""
    try:
        outcome = run_with_progress(parent, progress.title, progress.label, work)
    except Exception as exc:
        known = _known(exc)
        if known is None:
            raise
        _route(parent, known, field_errors, on_error)
        return None
    if outcome is None:
        if on_cancel is not None:
            on_cancel()
        return None
    _publish(parent, context, outcome, initiator)
    return outcome


def run_query(
    parent: QWidget | None, call: Callable[[], T], *, on_error: ErrorHandler | None = None
) -> Outcome[T] | None:
    """Read something for a view; None when a known error stopped it (and that was shown)."""
    try:
        return Outcome(call())
    except Exception as exc:
        known = _known(exc)
        if known is None:
            raise
        if on_error is not None:
            on_error(known)
        else:
            show_error(parent, known)
        return None
    finally:
        schedule_memory_release()


def _publish(
    parent: QWidget | None,
    context: UiContext,
    outcome: Outcome[T],
    initiator: QObject | None | _Default,
) -> None:
    source = parent if isinstance(initiator, _Default) else initiator
    context.notifier.publish(outcome.changes, source)
