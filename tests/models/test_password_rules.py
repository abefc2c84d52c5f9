"""Password rules: length, the shipped list of common passwords, not the user name."""

from __future__ import annotations

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.models.password_rules import MIN_LENGTH, common_passwords, password_problem


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "elevenchars",
        "password1234",  # a common word with digits after it
        "Sommar2026!!!",
        "123456789012",
        "qwertyuiopå¨",
        "Lösenord12345",
        "Adgangskode2026",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password, "anna")


def test_the_user_name_is_refused() -> None:
    assert password_problem("karin.andersson", "Karin.Andersson")
    assert password_problem("karin.andersson2026", "karin.andersson")


@pytest.mark.parametrize(
    "password", ["correct horse battery", "Tåg till Ystad 7:45", "Mørk kaffe i Vejle"]
)
def test_good_passwords_pass(password: str) -> None:
    assert len(password) >= MIN_LENGTH
    assert password_problem(password, "anna") == ""


def test_the_list_is_shipped_as_data() -> None:
    words = common_passwords()
    assert {"password", "lösenord", "adgangskode", "qwerty"} <= words
    assert all(word == word.casefold() for word in words)


def test_the_list_is_long_and_loaded_once() -> None:
    words = common_passwords()
    assert isinstance(words, frozenset) and len(words) >= 10_000
    assert common_passwords() is words
    # From the 20,000 most common (Django's copy, kept as it came: some begin with "#").
    assert {"trustno1", "fallen_angel", "1qaz2wsx3edc", "#1pimp"} <= words
    # Our own Swedish and Danish ones.
    assert {"hejhej123", "kodeord", "velkommen", "sommar2024", "kärlek", "brøndby"} <= words


@pytest.mark.parametrize(
    "password",
    [
        "Startfinding",  # 12 characters, in the 20,000-list
        "1QAZ2WSX3EDC",  # any case
        "Q1w2E3r4T5y6",
        "Fallen_Angel!",
        "Telechargement",
        "HejHej123456",  # Swedish, with digits after it
        "Velkommen2026",  # Danish
        "KODEORD12345",
        "Kärlek2026!!",
        "Brøndby1964!",
        "Djurgården1891",
        "Midsommar2026",
    ],
)
def test_common_passwords_are_refused_in_any_case(password: str) -> None:
    assert len(password) >= MIN_LENGTH
    assert password_problem(password, "anna") == password_problem("password1234", "anna")


@pytest.mark.parametrize(
    ("language", "word"), [("en", "characters"), ("sv", "tecken"), ("da", "tegn")]
)
def test_messages_in_every_language(language: str, word: str) -> None:
    i18n.set_language(language)
    assert word in password_problem("kort", "")
