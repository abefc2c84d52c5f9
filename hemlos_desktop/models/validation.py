"""Field errors: a translated message tied to the form field it belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationFailed(InvalidInputError):
    """Fields that break a rule. ``errors`` says which; the form shows each beside its field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            errors[0].message if errors else _("Please check the input."),
            field=errors[0].field if errors else "",
        )
        self.errors = list(errors)

    def message(self) -> str:
        errors: list[FieldError] = getattr(self, "errors", [])
        return "\n".join(e.message for e in errors) or self.text


def too_long(limit: int) -> str:
    return _("This field can hold at most {limit} characters.").format(limit=limit)


def required() -> str:
    return _("This field is required.")
