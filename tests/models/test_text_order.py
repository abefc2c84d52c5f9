"""Alphabetical order and search folding that follow the language (Swedish, Danish, English)."""

from __future__ import annotations

from hemlos_desktop.models.text import search_fold, sort_key

NAMES = [
    "Öberg",
    "Nilsson",
    "Åberg",
    "Zetterberg",
    "Ärlig",
    "Aagaard",
    "Ørsted",
    "Ærø",
    "Andersson",
]


def ordered(language: str) -> list[str]:
    return sorted(NAMES, key=lambda name: sort_key(name, language))


def test_swedish_puts_a_ring_a_umlaut_o_umlaut_after_z() -> None:
    assert ordered("sv") == [
        "Aagaard",
        "Andersson",
        "Nilsson",
        "Zetterberg",
        "Åberg",
        "Ärlig",
        "Ærø",
        "Öberg",
        "Ørsted",
    ]


def test_danish_puts_ae_o_slash_a_ring_after_z_and_reads_aa_as_a_ring() -> None:
    assert ordered("da") == [
        "Andersson",
        "Nilsson",
        "Zetterberg",
        "Ärlig",
        "Ærø",
        "Öberg",
        "Ørsted",
        "Åberg",
        "Aagaard",
    ]


def test_english_sorts_by_base_letters_and_ignores_case() -> None:
    assert ordered("en")[:4] == ["Aagaard", "Åberg", "Ærø", "Andersson"]
    assert sort_key("ANNA", "sv") == sort_key("anna", "sv")
    assert sort_key("Émile", "sv") < sort_key("Erik", "sv")


def test_search_reads_oe_as_o_slash_and_aa_as_a_ring() -> None:
    assert search_fold("Søren") == search_fold("Soeren")
    assert search_fold("Ågård") == search_fold("Aagaard")
    assert search_fold("Jørgensen") == search_fold("Joergensen")
