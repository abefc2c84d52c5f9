"""Find English source strings of ours in the text of a Swedish or Danish document.

Used by tests of every report: extract the PDF's text, then ask which English msgids whose
translation differs appear in it. A msgid with ``{placeholders}`` matches with any text in
their place ("Page {page} of {pages}" catches "Page 1 of 3").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel.messages.mofile import read_mo

from hemlos_desktop.i18n import DOMAIN, LOCALE_DIR

MIN_LENGTH = 3
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Probe:
    msgid: str
    pattern: re.Pattern[str]


def _compile(msgid: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(_SPACE.sub(" ", msgid.strip()))
    body = r".{1,80}?".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)
    return re.compile(rf"(?<!\w){body}(?!\w)")


@cache
def _probes(language: str) -> tuple[_Probe, ...]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as handle:
        catalog = read_mo(handle)
    probes: list[_Probe] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, raw_id in enumerate(ids):
            translated = str(strings[min(index, len(strings) - 1)]) if strings else ""
            msgid = str(raw_id)
            literal = _PLACEHOLDER.sub("", msgid).strip()
            if len(literal) < MIN_LENGTH or not translated or translated == msgid:
                continue
            probes.append(_Probe(msgid, _compile(msgid)))
    return tuple(probes)


def english_leaks(text: str, language: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """The English msgids (translated differently in ``language``) that occur in ``text``.

    Whitespace (including line breaks from PDF text extraction) is normalised first; matching
    is case-sensitive on whole words. Msgids shorter than three characters are skipped, and
    ``ignore`` lists msgids that are legitimately present (a proper name, say).
    """
    skip = set(ignore)
    flat = _SPACE.sub(" ", text)
    return sorted(
        {
            probe.msgid
            for probe in _probes(language)
            if probe.msgid not in skip and probe.pattern.search(flat)
        }
    )
