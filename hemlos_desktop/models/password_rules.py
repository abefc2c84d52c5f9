"""Rules for a new password, as pure functions that return a translated message.

A password has at least :data:`MIN_LENGTH` characters, is not a common password (the list
shipped in ``resources/security/common-passwords.txt``, also with digits and punctuation
added at the end) and is not the user name. The rules apply wherever a password is chosen
(first start, a new user, a reset, one's own change); the demo database's ``demo`` accounts
are made without them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.resources import resource_path

MIN_LENGTH = 12
_TRAILING = re.compile(r"[\d\W_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list (lower case, Unicode NFC)."""
    text = resource_path("security", "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        unicodedata.normalize("NFC", line.strip()).casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_common(password: str) -> bool:
    folded = unicodedata.normalize("NFC", password).strip().casefold()
    known = common_passwords()
    if folded in known:
        return True
    base = _TRAILING.sub("", folded)
    return bool(base) and base in known


def password_problem(password: str, username: str = "") -> str:
    """The first rule ``password`` breaks, as a message for the user; '' when it is fine."""
    if len(password) < MIN_LENGTH:
        return ngettext(
            "Use at least {count} character.",
            "Use at least {count} characters.",
            MIN_LENGTH,
        ).format(count=MIN_LENGTH)
    if _is_common(password):
        return _("This password is too common. Choose one that others would not guess.")
    name = unicodedata.normalize("NFC", username).strip().casefold()
    folded = unicodedata.normalize("NFC", password).strip().casefold()
    if name and (folded == name or _TRAILING.sub("", folded) == name):
        return _("The password must not be the user name.")
    return ""
