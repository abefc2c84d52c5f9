"""``fold``'s quick paths (ASCII text, the Latin accents removed in one pass) give exactly
what the character-by-character definition gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop.models.text import fold, search_fold

_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "œ": "oe"})


def _reference(text: str) -> str:
    lowered = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL)
    stripped = "".join(c for c in lowered if not unicodedata.combining(c))
    return " ".join(stripped.split())


NAMES = [
    "Søren Åström",
    "ÆRØ  æble",
    "Zoë Müller-Lüdenscheidt",
    "Straße Łódź Þór Œuvre",
    "A\u034fB",  # the grapheme joiner: in the accents' block, but not combining
    "Ḱ\u0301\u20d7x",  # an accent outside the Latin block
    "नमस्ते",
    "Ｆｕｌｌ ｗｉｄｔｈ ﬁ",
    "\x1c\x1dtab\tand\nline",
    "",
    "PLAIN ascii  Name",
]


def test_known_names_fold_as_defined() -> None:
    assert fold("Søren Åström") == "soren astrom"
    for name in NAMES:
        assert fold(name) == _reference(name), name


@settings(max_examples=400)
@given(st.text())
def test_any_text_folds_as_defined(text: str) -> None:
    assert fold(text) == _reference(text)


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("aåäæöøoeüéAÅÄÖØ zZ-'\u0301\u0308")))
def test_nordic_letters_search_as_defined(text: str) -> None:
    assert fold(text) == _reference(text)
    assert search_fold(text) == _reference(text).replace("aa", "a").replace("oe", "o")
