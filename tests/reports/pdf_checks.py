"""Reading report PDFs back in tests: fonts, metadata, text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject

OUR_FONT = re.compile(r"^/?(?:[A-Z]{6}\+)?DejaVuSans(?:-Bold|-Oblique|-BoldOblique)?$")


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _fonts_in(resources: Any) -> Iterator[Any]:
    resources = _resolve(resources)
    if not resources:
        return
    fonts = _resolve(resources.get("/Font")) or {}
    for font in fonts.values():
        yield _resolve(font)
    xobjects = _resolve(resources.get("/XObject")) or {}
    for reference in xobjects.values():
        xobject = _resolve(reference)
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts_in(xobject.get("/Resources"))


def fonts_of(reader: PdfReader) -> list[dict[str, Any]]:
    """Every font dictionary used on any page (forms included), resolved."""
    found: list[dict[str, Any]] = []
    for page in reader.pages:
        found.extend(_fonts_in(page.get("/Resources")))
    return found


def font_problems(reader: PdfReader) -> list[str]:
    """Fonts that are not embedded, or are not one of ours (DejaVu Sans)."""
    problems: list[str] = []
    for font in fonts_of(reader):
        name = str(font.get("/BaseFont"))
        if not OUR_FONT.match(name):
            problems.append(f"not ours: {name}")
        descriptor = _resolve(font.get("/FontDescriptor"))
        if font.get("/Subtype") == "/Type0":
            descendant = _resolve(font["/DescendantFonts"][0])
            descriptor = _resolve(descendant.get("/FontDescriptor"))
        embedded = descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if not embedded:
            problems.append(f"not embedded: {name}")
    return problems
