"""Rules for a new password, as pure functions that return a translated message.

A password has at least :data:`MIN_LENGTH` characters, is not a common password (the lists
shipped in ``resources/security/``, also with digits and punctuation added at the end) and
is not the user name. The lists: the 20,000 most common passwords as Django ships them
(``common-passwords-20k.txt``, unchanged, BSD licence in ``LICENSE-common-passwords.txt``)
and our own Swedish and Danish words, names and patterns (``common-passwords.txt``). The
rules apply wherever a password is chosen (first start, a new user, a reset, one's own
change); the demo database's ``demo`` accounts are made without them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.resources import resource_path

MIN_LENGTH = 12
_TRAILING = re.compile(r"[\d\W_]+$")


# (file name, whether lines starting with "#" are comments): the copied list is kept as it
# came, and three of its passwords begin with "#".
PASSWORD_LISTS: tuple[tuple[str, bool], ...] = (
    ("common-passwords-20k.txt", False),
    ("common-passwords.txt", True),
)


def _entries(name: str, *, comments: bool) -> Iterator[str]:
    text = resource_path("security", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        entry = line.strip()
        if entry and not (comments and entry.startswith("#")):
            yield unicodedata.normalize("NFC", entry).casefold()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped lists as one set (case-folded, Unicode NFC), read once."""
    return frozenset(
        entry for name, comments in PASSWORD_LISTS for entry in _entries(name, comments=comments)
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
