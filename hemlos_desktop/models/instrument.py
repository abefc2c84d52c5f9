"""Assessment instruments as data: areas, levels and the qualification rule, read from TOML.

An instrument file (``resources/instruments/*.toml``) looks like this::

    id = "sodermalm-independence"
    version = 1
    name.sv = "..."; name.da = "..."; name.en = "..."

    [scale]
    lowest = 1
    highest = 5

    [qualification]
    qualify_max_level = 2     # qualifies when every rated area is at or below this level
    closed_level = 6          # optional: the code that means "case closed"
    closed_label.sv = "..."   # (label and description in sv, da, en when closed_level is set)
    closed_description.sv = "..."

    [[areas]]
    key = "housing"           # stable: stored with every assessment, never translated
    name.sv = "Boende"
    ...
    [[areas.levels]]
    level = 1
    label.sv = "..."
    description.sv = "..."

Every area must define every level from ``lowest`` to ``highest`` exactly once. Errors are
collected (not only the first) and raised together as :class:`InstrumentError`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import SUPPORTED_LANGUAGES, current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.resources import resource_path

INSTRUMENT_SUFFIX = ".toml"


@dataclass(frozen=True)
class LocalText:
    """One text in every supported language."""

    sv: str
    da: str
    en: str

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: the active UI language); English if unknown."""
        code = lang or current_language()
        return str(getattr(self, code, self.en)) if code in SUPPORTED_LANGUAGES else self.en


@dataclass(frozen=True)
class Level:
    number: int
    label: LocalText
    description: LocalText


@dataclass(frozen=True)
class Area:
    key: str
    name: LocalText
    levels: tuple[Level, ...]

    def label(self, lang: str | None = None) -> str:
        return self.name.get(lang)

    def level(self, number: int) -> Level | None:
        for level in self.levels:
            if level.number == number:
                return level
        return None


@dataclass(frozen=True)
class QualificationRule:
    qualify_max_level: int
    closed_level: int | None = None


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    name: LocalText
    lowest: int
    highest: int
    rule: QualificationRule
    areas: tuple[Area, ...]
    closed_label: LocalText | None = None
    closed_description: LocalText | None = None

    def label(self, lang: str | None = None) -> str:
        return self.name.get(lang)

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(area.key for area in self.areas)

    @property
    def levels(self) -> tuple[int, ...]:
        """The regular levels, lowest first (the closed code is not among them)."""
        return tuple(range(self.lowest, self.highest + 1))

    @property
    def allowed_levels(self) -> tuple[int, ...]:
        """Every code a rating may hold: the regular levels and the closed code, if any."""
        closed = self.rule.closed_level
        return self.levels + ((closed,) if closed is not None else ())

    def area(self, key: str) -> Area:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def area_name(self, key: str, lang: str | None = None) -> str:
        return self.area(key).label(lang)

    def is_closed(self, level: int | None) -> bool:
        return level is not None and level == self.rule.closed_level

    def level_label(self, key: str, number: int, lang: str | None = None) -> str:
        """Short label of ``number`` in area ``key`` (the closed code has one label for all)."""
        if self.is_closed(number) and self.closed_label is not None:
            return self.closed_label.get(lang)
        level = self.area(key).level(number)
        return level.label.get(lang) if level is not None else str(number)

    def level_description(self, key: str, number: int, lang: str | None = None) -> str:
        if self.is_closed(number) and self.closed_description is not None:
            return self.closed_description.get(lang)
        level = self.area(key).level(number)
        return level.description.get(lang) if level is not None else ""


class InstrumentError(HemlosError):
    """An instrument file that cannot be used; ``problems`` lists every fault found."""

    source: str = ""
    problems: tuple[str, ...] = ()

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"invalid instrument file {source}: {len(problems)} problem(s)")
        self.source = source
        self.problems = tuple(problems)

    def title(self) -> str:
        return _("The instrument file cannot be used")

    def message(self) -> str:
        head = _("The file {file} has these problems:").format(file=self.source)
        return "\n".join([head, *("• " + problem for problem in self.problems)])

    def advice(self) -> str:
        return _(
            "Nothing was imported. Correct the file (or ask whoever adapted it) and import it "
            "again; assessments already made are not affected."
        )


_TOP_KEYS = {"id", "version", "name", "scale", "qualification", "areas"}
_SCALE_KEYS = {"lowest", "highest"}
_RULE_KEYS = {"qualify_max_level", "closed_level", "closed_label", "closed_description"}
_AREA_KEYS = {"key", "name", "levels"}
_LEVEL_KEYS = {"level", "label", "description"}


class _Collector:
    """Collects translated problems while an instrument is parsed."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def add(self, text: str) -> None:
        self.problems.append(text)

    def unknown(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.add(_("{where}: unknown field “{field}”.").format(where=where, field=key))

    def integer(self, table: Mapping[str, Any], key: str, where: str) -> int | None:
        if key not in table:
            self.add(_("{where}: the field “{field}” is missing.").format(where=where, field=key))
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(_("{where}: “{field}” must be a whole number.").format(where=where, field=key))
            return None
        return value

    def text(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        if key not in table:
            self.add(_("{where}: the field “{field}” is missing.").format(where=where, field=key))
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.add(_("{where}: “{field}” must be a text.").format(where=where, field=key))
            return None
        return value.strip()

    def table(self, parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any] | None:
        if key not in parent:
            self.add(_("{where}: the field “{field}” is missing.").format(where=where, field=key))
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.add(_("{where}: “{field}” must be a table.").format(where=where, field=key))
            return None
        return value

    def local_text(self, parent: Mapping[str, Any], key: str, where: str) -> LocalText | None:
        table = self.table(parent, key, where)
        if table is None:
            return None
        here = f"{where}, {key}"
        self.unknown(table, set(SUPPORTED_LANGUAGES), here)
        texts: dict[str, str] = {}
        for lang in SUPPORTED_LANGUAGES:
            value = table.get(lang)
            if value is None:
                self.add(
                    _("{where}: the translation “{lang}” is missing.").format(where=here, lang=lang)
                )
            elif not isinstance(value, str) or not value.strip():
                self.add(
                    _("{where}: the translation “{lang}” must be a text.").format(
                        where=here, lang=lang
                    )
                )
            else:
                texts[lang] = value.strip()
        if len(texts) != len(SUPPORTED_LANGUAGES):
            return None
        return LocalText(sv=texts["sv"], da=texts["da"], en=texts["en"])


def parse_instrument(data: Mapping[str, Any], *, source: str) -> Instrument:
    """Build an :class:`Instrument` from parsed TOML; raise :class:`InstrumentError` listing all
    problems. ``source`` names the file in the messages."""
    col = _Collector(source)
    top = _("Instrument")
    col.unknown(data, _TOP_KEYS, top)
    ident = col.text(data, "id", top)
    version = col.integer(data, "version", top)
    if version is not None and version < 1:
        col.add(_("{where}: “version” must be 1 or higher.").format(where=top))
    name = col.local_text(data, "name", top)

    lowest = highest = None
    scale = col.table(data, "scale", top)
    if scale is not None:
        where = _("Scale")
        col.unknown(scale, _SCALE_KEYS, where)
        lowest = col.integer(scale, "lowest", where)
        highest = col.integer(scale, "highest", where)
        if lowest is not None and highest is not None and highest <= lowest:
            col.add(_("Scale: “highest” must be greater than “lowest”."))
            lowest = highest = None

    rule = None
    closed_label = closed_description = None
    rule_table = col.table(data, "qualification", top)
    if rule_table is not None:
        where = _("Qualification rule")
        col.unknown(rule_table, _RULE_KEYS, where)
        qualify_max = col.integer(rule_table, "qualify_max_level", where)
        closed = None
        if "closed_level" in rule_table:
            closed = col.integer(rule_table, "closed_level", where)
            closed_label = col.local_text(rule_table, "closed_label", where)
            closed_description = col.local_text(rule_table, "closed_description", where)
        if lowest is not None and highest is not None:
            if qualify_max is not None and not lowest <= qualify_max <= highest:
                col.add(
                    _("{where}: “qualify_max_level” must be between {low} and {high}.").format(
                        where=where, low=lowest, high=highest
                    )
                )
            if closed is not None and lowest <= closed <= highest:
                col.add(
                    _("{where}: “closed_level” must lie outside the scale {low}–{high}.").format(
                        where=where, low=lowest, high=highest
                    )
                )
        if qualify_max is not None:
            rule = QualificationRule(qualify_max_level=qualify_max, closed_level=closed)

    areas: list[Area] = []
    raw_areas = data.get("areas")
    if raw_areas is None:
        col.add(_("{where}: the field “{field}” is missing.").format(where=top, field="areas"))
    elif not isinstance(raw_areas, list) or not raw_areas:
        col.add(_("Instrument: “areas” must be a non-empty list of tables."))
    else:
        seen: set[str] = set()
        for index, raw_area in enumerate(raw_areas, start=1):
            area = _parse_area(col, raw_area, index, lowest=lowest, highest=highest, seen=seen)
            if area is not None:
                areas.append(area)

    if col.problems:
        raise InstrumentError(source, col.problems)
    assert ident is not None and version is not None and name is not None
    assert lowest is not None and highest is not None and rule is not None
    return Instrument(
        id=ident,
        version=version,
        name=name,
        lowest=lowest,
        highest=highest,
        rule=rule,
        areas=tuple(areas),
        closed_label=closed_label,
        closed_description=closed_description,
    )


def _parse_area(
    col: _Collector,
    raw: Any,
    index: int,
    *,
    lowest: int | None,
    highest: int | None,
    seen: set[str],
) -> Area | None:
    where = _("Area {number}").format(number=index)
    if not isinstance(raw, dict):
        col.add(_("{where}: must be a table.").format(where=where))
        return None
    key = col.text(raw, "key", where)
    if key is not None:
        where = _("Area “{key}”").format(key=key)
        if key in seen:
            col.add(_("{where}: the key is used by more than one area.").format(where=where))
        seen.add(key)
    col.unknown(raw, _AREA_KEYS, where)
    name = col.local_text(raw, "name", where)
    raw_levels = raw.get("levels")
    levels: list[Level] = []
    if not isinstance(raw_levels, list) or not raw_levels:
        col.add(_("{where}: “levels” must be a non-empty list of tables.").format(where=where))
        return None
    numbers: list[int] = []
    for raw_level in raw_levels:
        if not isinstance(raw_level, dict):
            col.add(_("{where}: every level must be a table.").format(where=where))
            continue
        number = col.integer(raw_level, "level", where)
        if number is None:
            continue
        here = _("{where}, level {number}").format(where=where, number=number)
        col.unknown(raw_level, _LEVEL_KEYS, here)
        if lowest is not None and highest is not None and not lowest <= number <= highest:
            col.add(
                _("{where}: the level is outside the scale {low}–{high}.").format(
                    where=here, low=lowest, high=highest
                )
            )
            continue
        if number in numbers:
            col.add(_("{where}: the level is defined more than once.").format(where=here))
            continue
        numbers.append(number)
        label = col.local_text(raw_level, "label", here)
        description = col.local_text(raw_level, "description", here)
        if label is not None and description is not None:
            levels.append(Level(number=number, label=label, description=description))
    if lowest is not None and highest is not None:
        for missing in range(lowest, highest + 1):
            if missing not in numbers:
                col.add(
                    _("{where}: level {number} is missing.").format(where=where, number=missing)
                )
        if numbers != sorted(numbers):
            col.add(_("{where}: the levels must be listed in order.").format(where=where))
    if key is None or name is None:
        return None
    return Area(key=key, name=name, levels=tuple(sorted(levels, key=lambda lv: lv.number)))


def load_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file."""
    source = path.name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise InstrumentError(source, [_("The file cannot be read.")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(
            source, [_("The file is not valid TOML: {detail}").format(detail=str(exc))]
        ) from exc
    return parse_instrument(data, source=source)


def shipped_instruments() -> tuple[Instrument, ...]:
    """Every instrument version shipped in ``resources/instruments/``, sorted by id and version
    (earlier versions stay shipped so that the ratings made with them can be shown)."""
    folder = resource_path("instruments")
    found = [load_instrument(p) for p in sorted(folder.glob("*" + INSTRUMENT_SUFFIX))]
    return tuple(sorted(found, key=lambda instrument: (instrument.id, instrument.version)))


def shipped_instrument(instrument_id: str) -> Instrument:
    """The newest shipped version of the instrument with this id (``KeyError`` if none)."""
    for instrument in reversed(shipped_instruments()):
        if instrument.id == instrument_id:
            return instrument
    raise KeyError(instrument_id)


SODERMALM_ID = "sodermalm-independence"
