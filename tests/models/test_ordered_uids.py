"""Ids for records written in bulk: unique, ascending, real version-7 UUIDs."""

from __future__ import annotations

import uuid

from hemlos_desktop.models.base import new_uid, ordered_uids


def test_ordered_uids_ascend_and_are_version_7_uuids() -> None:
    first, second = ordered_uids(2000), ordered_uids(2000)
    for uids in (first, second):
        assert uids == sorted(uids)
        assert len(set(uids)) == len(uids)
        for text in uids[:50] + uids[-50:]:
            parsed = uuid.UUID(text)
            assert str(parsed) == text  # the usual text form, 36 characters
            assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    # Two calls (two batches, or two laptops) start at random places: no id is shared.
    assert not set(first) & set(second)
    assert len(new_uid()) == len(first[0])


def test_the_counter_never_reaches_the_version_or_variant_bits() -> None:
    for text in ordered_uids(5):
        assert text[14] == "7" and text[19] in "89ab"
