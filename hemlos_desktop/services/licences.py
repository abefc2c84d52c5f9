"""Licences of the components the program bundles, for the About dialog (reads only).

A frozen build reads ``resources/licences.json``, written at build time by
``tools/write_licences.py`` from the installed packages' metadata. From source the same list
is made on the fly from the installed packages (nothing is typed by hand except the notes on
parts that the metadata does not describe: the Qt libraries inside PySide6, SQLCipher inside
sqlcipher3, the DejaVu fonts, the common-password list and Python itself).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from importlib import metadata

from hemlos_desktop.resources import resource_path

LICENCES_FILE = "licences.json"
ROOT_DISTRIBUTION = "hemlos-desktop"

# Facts the package metadata does not carry, keyed by normalised distribution name.
NOTES: dict[str, str] = {
    "pyside6-essentials": (
        "Includes the Qt 6 libraries (LGPL-3.0). The source of Qt and Qt for Python: "
        "https://download.qt.io/official_releases/QtForPython/ and https://code.qt.io/"
        " — you may replace the Qt libraries in the program folder with your own build."
    ),
    "shiboken6": "Part of Qt for Python (LGPL-3.0); source as for PySide6.",
    "sqlcipher3": (
        "Includes SQLCipher (BSD-style licence, Zetetic LLC; https://www.zetetic.net/sqlcipher/)"
        " built on SQLite (public domain)."
    ),
    "reportlab": "BSD licence; https://www.reportlab.com/",
}
# Licences of packages whose metadata names none.
LICENCE_FALLBACK: dict[str, str] = {"sqlcipher3": "zlib (the module); BSD-style (SQLCipher)"}
EXTRA_COMPONENTS: tuple[tuple[str, str, str, str], ...] = (
    # (name, version, licence, note)
    (
        "DejaVu fonts",
        "2.37",
        "Bitstream Vera / DejaVu free licence",
        "Embedded in PDFs; the licence text is resources/fonts/LICENSE-DejaVu.txt.",
    ),
    (
        "Common-password list (from Django)",
        "5.2.17",
        "BSD-3-Clause",
        "The 20,000 most common passwords, refused as new passwords; compiled by Royce "
        "Williams, as shipped by Django. Licence text: "
        "resources/security/LICENSE-common-passwords.txt.",
    ),
)


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    url: str
    note: str


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    value = meta[name] if name in meta else None
    return str(value) if value else ""


def _licence_of(meta: metadata.PackageMetadata) -> str:
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    classifiers = [
        str(c).rsplit("::", 1)[-1].strip()
        for c in meta.get_all("Classifier") or []
        if str(c).startswith("License ::")
    ]
    text = _field(meta, "License").strip()
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    # Some packages put the whole licence text in this field; keep its first line.
    return text.splitlines()[0][:80] if text else ""


def _url_of(meta: metadata.PackageMetadata) -> str:
    home = _field(meta, "Home-page")
    if home:
        return home
    urls = [str(entry).partition(",") for entry in meta.get_all("Project-URL") or []]
    for label, _sep, url in urls:
        if label.strip().lower() in {"homepage", "home", "source", "repository", "source code"}:
            return url.strip()
    return urls[0][2].strip() if urls else ""


def _requirement_names(dist: metadata.Distribution) -> list[str]:
    names = []
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if found:
            names.append(_normalise(found.group(0)))
    return names


def components_from_metadata() -> list[Component]:
    """The program's runtime dependencies (all levels) as installed, plus Python and fonts."""
    import platform

    seen: dict[str, Component] = {}
    queue = [ROOT_DISTRIBUTION]
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = _normalise(dist.metadata["Name"])
        seen[name] = Component(
            name=str(dist.metadata["Name"]),
            version=dist.version,
            licence=LICENCE_FALLBACK.get(key) or _licence_of(dist.metadata),
            url=_url_of(dist.metadata),
            note=NOTES.get(key, ""),
        )
        queue.extend(_requirement_names(dist))
    found = sorted(
        (c for n, c in seen.items() if n != ROOT_DISTRIBUTION), key=lambda c: c.name.lower()
    )
    found.append(
        Component(
            "Python",
            platform.python_version(),
            "PSF-2.0",
            "https://www.python.org/",
            "The interpreter and its standard library.",
        )
    )
    found.extend(Component(n, v, lic, "", note) for n, v, lic, note in EXTRA_COMPONENTS)
    return found


def to_json(components: list[Component]) -> str:
    return json.dumps([asdict(c) for c in components], indent=1, ensure_ascii=False) + "\n"


def bundled_components() -> list[Component]:
    """The list written at build time if there is one, else made from the installed packages."""
    path = resource_path(LICENCES_FILE)
    if path.is_file():
        return [Component(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
    return components_from_metadata()
