"""What is due, grouped by team member or by client (pure: no database)."""

from __future__ import annotations

import datetime as dt

from hemlos_desktop.models.plan import DueKind
from hemlos_desktop.services.due_groups import DueGrouping, group_due
from hemlos_desktop.services.plan_due import DueBucket, DueItem

TODAY = dt.date(2026, 11, 2)


def item(  # noqa: PLR0913 - a row of test data
    client_id: int,
    last: str,
    *,
    days: int,
    who: str = "",
    who_id: int | None = None,
    owner: str = "",
    owner_id: int | None = None,
    kind: DueKind = DueKind.ACTION,
) -> DueItem:
    due = TODAY + dt.timedelta(days=days)
    return DueItem(
        client_id=client_id,
        client_name=f"Kim {last}",
        version_id=client_id,
        kind=kind,
        item_uid=f"{client_id}-{days}",
        text="Ring hyresvärden",
        due=due,
        bucket=DueBucket.OVERDUE if days < 0 else DueBucket.COMING_UP,
        responsible_name=who,
        responsible_user_id=who_id,
        phase=None,
        client_owner_id=owner_id,
        client_owner_name=owner,
        client_list_name=f"{last}, Kim",
    )


ITEMS = (
    item(1, "Öberg", days=-3, who="Wilma Åkesson", who_id=2, owner="Lena Lindqvist", owner_id=1),
    item(1, "Öberg", days=5, kind=DueKind.FOLLOW_UP, owner="Lena Lindqvist", owner_id=1),
    item(2, "Åberg", days=-1, who="Boendeteamet", owner="Wilma Åkesson", owner_id=2),
    item(3, "Nilsson", days=2, who="Wilma Åkesson", who_id=2),
    item(4, "Zetterlund", days=9, who="Hyresvärden"),
    item(5, "Berg", days=1),
)


def test_by_member_each_item_goes_to_whoever_does_it() -> None:
    groups = group_due(ITEMS, DueGrouping.MEMBER, language="sv")
    titles = [g.title for g in groups]
    # Alphabetical in Swedish (Å after Z); a name that is not a team member is its own group;
    # nobody at all comes last.
    assert titles == [
        "Hyresvärden",
        "Lena Lindqvist",
        "Wilma Åkesson",
        "No one responsible",
    ]
    by_title = {g.title: g for g in groups}
    # A follow-up names no one: it is the client's responsible member's.
    assert [i.kind for i in by_title["Lena Lindqvist"].items] == [DueKind.FOLLOW_UP]
    # A unit's action belongs to the client's responsible member.
    assert {i.client_id for i in by_title["Wilma Åkesson"].items} == {1, 2, 3}
    assert by_title["Wilma Åkesson"].overdue == 2
    assert sum(len(g.items) for g in groups) == len(ITEMS)


def test_by_client_in_the_languages_order_with_counts() -> None:
    swedish = [g.title for g in group_due(ITEMS, DueGrouping.CLIENT, language="sv")]
    assert swedish == ["Berg, Kim", "Nilsson, Kim", "Zetterlund, Kim", "Åberg, Kim", "Öberg, Kim"]
    danish = [g.title for g in group_due(ITEMS, DueGrouping.CLIENT, language="da")]
    assert danish[-2:] == ["Öberg, Kim", "Åberg, Kim"]  # Ø (Ö) before Å in Danish
    [oberg] = [
        g for g in group_due(ITEMS, DueGrouping.CLIENT, language="sv") if g.key == "client:1"
    ]
    assert len(oberg.items) == 2 and oberg.overdue == 1
    assert [i.due for i in oberg.items] == sorted(i.due for i in oberg.items)
