"""Instrument versions in the database: shipped ones stored once, administrator import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.assessment import InstrumentVersion
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.models.instrument import SODERMALM_ID, InstrumentError
from hemlos_desktop.resources import resource_path
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.instruments import InstrumentVersionExistsError

SHIPPED = resource_path("instruments") / "sodermalm-independence.toml"


def version_three(tmp_path: Path, *, label: str = "Eget kontrakt") -> Path:
    text = SHIPPED.read_text(encoding="utf-8").replace("version = 2", "version = 3", 1)
    path = tmp_path / "adapted.toml"
    path.write_text(text.replace("Boende", "Bostad", 1), encoding="utf-8")
    return path


def test_shipped_versions_are_stored_once(world: World) -> None:
    instruments.current_instrument(world.db)
    instruments.list_versions(world.db)
    with world.db.read() as s:
        rows = [
            (r.instrument_id, r.version, r.source_name)
            for r in s.scalars(select(InstrumentVersion))
        ]
    assert rows == [(SODERMALM_ID, 1, "shipped"), (SODERMALM_ID, 2, "shipped")]


def test_admin_imports_a_new_version_old_assessments_keep_theirs(
    world: World, tmp_path: Path
) -> None:
    cid = world.add("Anna", "A")
    admin = world.actors["admin"]
    old = instruments.current_instrument(world.db)
    draft = RatingDraft(
        SODERMALM_ID, 2, dt.date(2026, 1, 1), True, tuple(AreaRating(k, 3) for k in old.area_keys)
    )
    assessments.sign_draft(world.db, admin, cid, draft, today=dt.date(2026, 2, 1))
    info = instruments.import_instrument(world.db, admin, version_three(tmp_path)).value
    assert (info.instrument_id, info.version) == (SODERMALM_ID, 3)
    new = instruments.current_instrument(world.db)
    assert new.version == 3 and new.area_name("housing", "sv") == "Bostad"
    [past] = assessments.history(world.db, admin, cid)
    assert past.instrument_version == 2
    assert (
        instruments.instrument_version(world.db, SODERMALM_ID, 2).area_name("housing", "sv")
        == "Boende"
    )
    # The same file again changes nothing; other content under the same version is refused.
    instruments.import_instrument(world.db, admin, version_three(tmp_path))
    with pytest.raises(InstrumentVersionExistsError):
        instruments.import_instrument(world.db, admin, _changed_v2(tmp_path))
    with world.db.read() as s:
        imports = s.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.IMPORT.value)
        ).all()
    assert len(imports) == 1


def _changed_v2(tmp_path: Path) -> Path:
    path = tmp_path / "changed.toml"
    path.write_text(
        SHIPPED.read_text(encoding="utf-8").replace("Boende", "Bo", 1), encoding="utf-8"
    )
    return path


def test_only_administrators_import(world: World, tmp_path: Path) -> None:
    for who in ("lead", "anna", "audit"):
        with pytest.raises(AccessDeniedError):
            instruments.import_instrument(world.db, world.actors[who], version_three(tmp_path))
    assert not instruments.can_import(world.actors["lead"])
    assert instruments.can_import(world.actors["admin"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not = [valid", "not valid TOML"),
        ('id = "x"\nversion = 1\n', "name"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
    ],
)
def test_malformed_files_are_refused_with_clear_problems(
    world: World, tmp_path: Path, content: str | bytes, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InstrumentError) as raised:
        instruments.import_instrument(world.db, world.actors["admin"], path)
    assert expected in raised.value.message()
    assert raised.value.source == "bad.toml"
    assert len(instruments.list_versions(world.db)) == 2  # the shipped versions only


def test_a_missing_level_is_refused(world: World, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("level = 3", "level = 9", 1)
    path = tmp_path / "missing.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError) as raised:
        instruments.import_instrument(world.db, world.actors["admin"], path)
    assert "level 3 is missing" in raised.value.message()


def test_a_thirteen_area_instrument_imports(world: World) -> None:
    path = Path(__file__).parents[1] / "data" / "self-sufficiency-13.toml"
    info = instruments.import_instrument(world.db, world.actors["admin"], path).value
    assert (
        len(instruments.instrument_version(world.db, info.instrument_id, info.version).areas) == 13
    )


def test_a_database_with_version_one_rates_with_the_area_closed_label(world: World) -> None:
    """A 6 closes one area: the shipped version 2 says so in every language. Version 1 (whose
    6 read "Ärendet avslutas") stays shipped beside it; new ratings use version 2, and the
    ratings made with version 1 keep the version they were made with."""
    cid = world.add("Anna", "A")
    admin = world.actors["admin"]
    old_keys = ("income", "substance_use", "daily_living", "occupation")
    areas = (AreaRating("housing", 6), *(AreaRating(k, 3) for k in old_keys))
    old = RatingDraft(SODERMALM_ID, 1, dt.date(2026, 1, 1), True, areas)
    assessments.sign_draft(world.db, admin, cid, old, today=dt.date(2026, 1, 2))

    current = instruments.current_instrument(world.db)
    assert current.version == 2
    labels = {lang: current.level_label("housing", 6, lang) for lang in ("sv", "da", "en")}
    assert labels == {"sv": "Området avslutat", "da": "Området afsluttet", "en": "Area closed"}
    assert "ärendet i övrigt pågår" in current.level_description("income", 6, "sv")
    past = instruments.instrument_version(world.db, SODERMALM_ID, 1)
    assert past.level_label("housing", 6, "sv") == "Ärendet avslutas"
    [rating] = assessments.history(world.db, admin, cid)
    assert rating.instrument_version == 1
    with world.db.read() as s:
        stored = sorted(s.scalars(select(InstrumentVersion.version)))
    assert stored == [1, 2]
