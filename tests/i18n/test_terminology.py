"""One word per concept: the Swedish and Danish catalogs use the terms the domain uses.

Each rule names a word a catalog must not use (with the word to use instead), or a word that
the translation of certain source texts must contain. A new string that slips back to the old
word fails here with the entry named.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import hemlos_desktop
from hemlos_desktop.i18n import translator_for
from hemlos_desktop.models.client import TARGET_GROUP_LABELS, TargetGroup
from hemlos_desktop.resources import resource_path

PACKAGE = Path(hemlos_desktop.__file__).parent


@dataclass(frozen=True)
class Forbidden:
    lang: str
    pattern: str  # searched in every translation (case-insensitive)
    instead: str


@dataclass(frozen=True)
class Required:
    lang: str
    source: str  # a source text matching this (case-insensitive) ...
    word: str  # ... is translated with this word (case-insensitive)
    unless: str = r"(?!)"  # source texts that name another concept


FORBIDDEN = (
    Forbidden("sv", r"bedöm", "skattning / skatta (the rating)"),
    Forbidden("sv", r"individuell(a)? plan(?!.*SIP)", "genomförandeplan"),
    Forbidden("sv", r"godkän", "överenskommen (an agreed plan)"),
    Forbidden("sv", r"dagverksamhet", "Drop-in"),
    Forbidden("da", r"koordinationsnummer", "Svensk samordningsnummer"),
    Forbidden("da", r"udkast", "kladde (one word for a draft)"),
    Forbidden("da", r"forfald", "Frist"),
    Forbidden("da", r"kvalifi", "opfylder målgruppekriteriet"),
    Forbidden("da", r"vedtag|godkend", "aftalt (an agreed plan)"),
    Forbidden("da", r"individuel case management", "Intensiv case management (ICM)"),
)

REQUIRED = (
    Required("sv", r"\brating\b|\bratings\b", "skattning", unless=r"rated|assessed|\bsign\b"),
    Required("sv", r"\bindividual plans?\b", "genomförandeplan"),
    Required("sv", r"\bagreed\b", "överens", unless=r"to meet|client agreed"),
    Required("da", r"\bagreed\b", "aftal", unless=r"client agreed"),
    Required("sv", r"^draft$|\bdraft\b", "utkast"),
    Required("da", r"^draft$|\bdraft\b", "kladde"),
    Required("da", r"\bqualif(?!y_max)", "målgruppekriteri"),
    Required("sv", r"samordningsnummer|coordination number", "samordningsnummer"),
    Required("da", r"samordningsnummer|coordination number", "samordningsnummer"),
)


def _entries(lang: str) -> list[tuple[str | None, str, str]]:
    path = PACKAGE / "i18n" / "locale" / lang / "LC_MESSAGES" / "hemlos.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    found: list[tuple[str | None, str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((message.context, source, " | ".join(strings)))
    return found


@pytest.mark.parametrize("rule", FORBIDDEN, ids=lambda r: f"{r.lang}:{r.pattern}")
def test_catalog_avoids_the_other_word(rule: Forbidden) -> None:
    wrong = [
        (context, source, text)
        for context, source, text in _entries(rule.lang)
        if re.search(rule.pattern, text, re.IGNORECASE)
    ]
    assert not wrong, f"use {rule.instead!r} instead in: {wrong}"


@pytest.mark.parametrize("rule", REQUIRED, ids=lambda r: f"{r.lang}:{r.word}")
def test_catalog_uses_the_one_word(rule: Required) -> None:
    wrong = [
        (context, source, text)
        for context, source, text in _entries(rule.lang)
        if re.search(rule.source, source, re.IGNORECASE)
        and not re.search(rule.unless, source, re.IGNORECASE)
        and not re.search(rule.word, text, re.IGNORECASE)
    ]
    assert not wrong, f"translate with {rule.word!r}: {wrong}"


def test_a_program_action_is_not_a_plan_action() -> None:
    """'Action' in the shortcut list and the access log is not an action of a plan."""
    for lang in ("sv", "da"):
        for context, source, text in _entries(lang):
            if source == "Action" and context in ("program function", "access log"):
                assert not re.search(r"insats|indsats", text, re.IGNORECASE), (lang, context)


def test_icm_is_named_the_same_in_every_language() -> None:
    with resource_path("plan_templates", "icm.toml").open("rb") as handle:
        template = tomllib.load(handle)
    names = template["name"]
    assert all(re.search(r"\bintensiv", names[lang], re.IGNORECASE) for lang in ("sv", "da", "en"))


def test_the_target_groups_include_dual_diagnosis_and_npf() -> None:
    """The papers' target groups and the two the caseworkers asked for, in each language's own
    words (samsjuklighet / dobbeltdiagnose; NPF)."""
    wanted = {
        TargetGroup.DUAL_DIAGNOSIS: {"sv": "Samsjuklighet", "da": "Dobbeltdiagnose"},
        TargetGroup.NEURODEVELOPMENTAL: {"sv": "(NPF)", "da": "(NPF)"},
    }
    for group, words in wanted.items():
        for lang, word in words.items():
            assert word in translator_for(lang).gettext(TARGET_GROUP_LABELS[group]), (group, lang)
