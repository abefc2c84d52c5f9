"""Text rules shared by the models: folding for accent-free search, length limits, clean-up."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "œ": "oe"})

NAME_MAX = 100
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 100_000


# The combining accents of the Latin alphabets (U+0300-U+036F, those with a combining class):
# removed in C, so that only rarer scripts take the character-by-character test.
_COMMON_ACCENTS = re.compile(
    "[" + "".join(c for c in map(chr, range(0x300, 0x370)) if unicodedata.combining(c)) + "]"
)


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search: 'Søren Åström' -> 'soren astrom'."""
    if text.isascii():  # most names and all numbers: the same result, without the Unicode work
        return " ".join(text.lower().split())
    lowered = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL)
    if not lowered.isascii():
        lowered = _COMMON_ACCENTS.sub("", lowered)
        if not lowered.isascii():
            lowered = "".join(c for c in lowered if not unicodedata.combining(c))
    return " ".join(lowered.split())


def clean_line(text: str) -> str:
    """One line of text: NFC, outer whitespace removed, inner runs of whitespace made single."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# Bidirectional formatting characters: a right-to-left override (U+202E) makes a name read
# backwards on screen and on paper, so these are refused where a person's name is written.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


# The same characters as one pattern (Unicode's control category "Cc" is exactly U+0000-U+001F
# and U+007F-U+009F): an import checks millions of cells, and a search in C is what keeps
# that in seconds.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (NUL, ESC, ...) or a text-direction mark,
    none of which belongs in a name or an address (line breaks and tabs are not counted)."""
    return _HIDDEN.search(text) is not None


def clean_block(text: str) -> str:
    """Multi-line text: NFC, trailing whitespace removed, line breaks kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


# --- alphabetical order and search that follow the language ------------------------------------

# Characters after 'z' in code-point order stand for the letters a language puts after z.
_AFTER_Z = ("{", "|", "}")
_SWEDISH_ORDER = str.maketrans(
    {"å": _AFTER_Z[0], "ä": _AFTER_Z[1], "æ": _AFTER_Z[1], "ö": _AFTER_Z[2], "ø": _AFTER_Z[2]}
)
_DANISH_ORDER = str.maketrans(
    {"æ": _AFTER_Z[0], "ä": _AFTER_Z[0], "ø": _AFTER_Z[1], "ö": _AFTER_Z[1], "å": _AFTER_Z[2]}
)
_ORDERS = {"sv": _SWEDISH_ORDER, "da": _DANISH_ORDER}
SORT_KEY_FUNCTION = "hemlos_sort_key"


def sort_key(text: str | None, language: str) -> str:
    """A key whose plain code-point order is the alphabetical order of ``language``.

    Swedish puts Å, Ä, Ö after Z (Æ and Ø sort as Ä and Ö); Danish puts Æ, Ø, Å after Z and
    sorts "aa" as "å" (Ä and Ö as Æ and Ø). Other accents sort as their base letter ('é' as
    'e', 'ü' as 'y'), and English sorts every letter by its base. Case is ignored.
    """
    if not text:
        return ""
    lowered = unicodedata.normalize("NFC", text.casefold()).replace("ü", "y")
    order = _ORDERS.get(language)
    if order is not None:
        if language == "da":
            lowered = lowered.replace("aa", "å")
        lowered = lowered.translate(order)
    return fold(lowered)


def sort_key_sql(text: str | None, language: str | None) -> str:
    """``sort_key`` as registered on every database connection (SQL may pass NULL)."""
    return sort_key(text, language or "")


def search_fold(text: str) -> str:
    """The folded form that search compares: 'oe' and 'ø' are one letter, as 'aa' and 'å' are.

    ``fold`` already turns 'ø', 'ö' into 'o' and 'å' into 'a'; this also reads the spellings
    without those letters ('Soeren', 'Aagaard') the same way: 'Søren' and 'Soeren' fold alike.
    """
    return fold(text).replace("aa", "a").replace("oe", "o")


def sort_name(last_name_fold: str, name_search: str) -> str:
    """The client list's name order: the folded surname, or for a person known only by an
    alias (no surname) the folded name and alias."""
    return last_name_fold or name_search


# Languages whose name order the client list reads from a stored, indexed key of its own
# (``clients.sort_key_sv``, ``clients.sort_key_da``); English reads ``sort_name``.
NAME_KEY_LANGUAGES: tuple[str, ...] = ("sv", "da")


def name_sort_key(first_name: str, last_name: str, alias: str, language: str) -> str:
    """The client list's name order in ``language`` (``sort_key``): the surname, or for a
    person known only by an alias (no surname) the first name and alias, as the pickers,
    the exports and the PDFs order them (``services.client_order.sort_name``)."""
    return sort_key(last_name if last_name else f"{first_name} {alias}", language)
