"""Rules for client details: pure functions returning translated field errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import Gender, TargetGroup
from hemlos_desktop.models.identity import (
    IdentityError,
    IdentityNumber,
    IdKind,
    parse_identity,
)
from hemlos_desktop.models.text import (
    NAME_MAX,
    SHORT_TEXT_MAX,
    clean_block,
    clean_line,
    fold,
    has_hidden_characters,
)
from hemlos_desktop.models.validation import FieldError, required, too_long

EARLIEST_BIRTH = dt.date(1900, 1, 1)
DESCRIPTION_MAX = 4000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-. /]*$")
LANGUAGES = ("sv", "da", "en", "other")


@dataclass(frozen=True)
class ClientInput:
    """What the registration form (or an import row) says about a client."""

    id_kind: IdKind
    id_text: str = ""
    first_name: str = ""
    last_name: str = ""
    alias: str = ""
    description: str = ""
    gender: Gender = Gender.NOT_STATED
    birth_date: dt.date | None = None
    language: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    target_groups: frozenset[TargetGroup] = field(default_factory=frozenset)
    responsible_user_id: int | None = None
    team_id: int | None = None
    protected_identity: bool = False


@dataclass(frozen=True)
class CleanClient:
    """A validated client: cleaned text, the parsed number and the birth date to store."""

    data: ClientInput
    identity: IdentityNumber
    birth_date: dt.date | None

    @property
    def name_search(self) -> str:
        return fold(f"{self.data.first_name} {self.data.last_name} {self.data.alias}")


def _check_length(errors: list[FieldError], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.append(FieldError(name, too_long(limit)))


def validate_client(
    data: ClientInput, *, today: dt.date
) -> tuple[CleanClient | None, list[FieldError]]:
    """Check and clean ``data``; return the clean client or the list of field errors."""
    errors: list[FieldError] = []
    # Refuse absurd lengths before cleaning, so a 10 MB paste costs nothing.
    for name in ("first_name", "last_name", "alias"):
        _check_length(errors, name, getattr(data, name), NAME_MAX * 4)
    if errors:
        return None, [FieldError(e.field, too_long(NAME_MAX)) for e in errors]
    cleaned = ClientInput(
        id_kind=data.id_kind,
        id_text=data.id_text.strip()[:64],
        first_name=clean_line(data.first_name),
        last_name=clean_line(data.last_name),
        alias=clean_line(data.alias),
        description=clean_block(data.description[: DESCRIPTION_MAX * 2]),
        gender=data.gender,
        birth_date=data.birth_date,
        language=data.language,
        phone=clean_line(data.phone[: SHORT_TEXT_MAX * 2]),
        email=clean_line(data.email[: SHORT_TEXT_MAX * 2]),
        address=clean_line(data.address[: SHORT_TEXT_MAX * 2]),
        target_groups=data.target_groups,
        responsible_user_id=data.responsible_user_id,
        team_id=data.team_id,
        protected_identity=data.protected_identity,
    )
    for name in ("first_name", "last_name", "alias"):
        _check_length(errors, name, getattr(cleaned, name), NAME_MAX)
    for name in ("first_name", "last_name", "alias", "address", "phone", "email"):
        if has_hidden_characters(getattr(cleaned, name)):
            errors.append(FieldError(name, hidden_characters()))
    _check_length(errors, "description", cleaned.description, DESCRIPTION_MAX)
    _check_length(errors, "address", cleaned.address, SHORT_TEXT_MAX)
    _check_length(errors, "email", cleaned.email, 120)
    _check_length(errors, "phone", cleaned.phone, 40)

    identity: IdentityNumber | None = None
    try:
        identity = parse_identity(cleaned.id_text, cleaned.id_kind, today=today)
    except IdentityError as exc:
        errors.append(FieldError("id_number", exc.text))

    if cleaned.id_kind is IdKind.NONE:
        if not cleaned.alias and not (cleaned.first_name or cleaned.last_name):
            errors.append(
                FieldError("alias", _("Give an alias or a name for a person not yet identified."))
            )
    else:
        if not cleaned.first_name:
            errors.append(FieldError("first_name", required()))
        if not cleaned.last_name:
            errors.append(FieldError("last_name", required()))

    birth = cleaned.birth_date
    if identity is not None and identity.birth_date is not None:
        if birth is not None and birth != identity.birth_date:
            errors.append(
                FieldError(
                    "birth_date",
                    _("The date of birth does not match the identity number."),
                )
            )
        birth = identity.birth_date
    if birth is not None:
        if birth > today:
            errors.append(FieldError("birth_date", _("The date of birth is in the future.")))
        elif birth < EARLIEST_BIRTH:
            errors.append(FieldError("birth_date", _("The date of birth is too far back.")))

    if cleaned.email and not _EMAIL.match(cleaned.email):
        errors.append(FieldError("email", _("This does not look like an e-mail address.")))
    if cleaned.phone and not _PHONE.match(cleaned.phone):
        errors.append(
            FieldError("phone", _("A phone number may contain digits, spaces, + - ( ) only."))
        )
    if cleaned.language and cleaned.language not in LANGUAGES:
        errors.append(FieldError("language", _("Choose a language from the list.")))
    if errors or identity is None:
        return None, errors
    return CleanClient(cleaned, identity, birth), []


def hidden_characters() -> str:
    return _(
        "Control characters and text-direction marks are not allowed here; "
        "type the text again or paste it as plain text."
    )


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
