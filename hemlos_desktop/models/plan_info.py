"""One stored version of a plan as plain data: what services return and renderers print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hemlos_desktop.models import plan_rules
from hemlos_desktop.models.plan import SipInfo
from hemlos_desktop.models.plan_rules import PlanSnapshot, PlanState


@dataclass(frozen=True)
class PlanVersionInfo:
    version_id: int
    plan_id: int
    plan_uid: str
    client_id: int
    version: int
    state: PlanState
    snapshot: PlanSnapshot
    sip: SipInfo
    revision: int  # pass back as expected_revision when saving
    updated_at: dt.datetime

    @property
    def editable(self) -> bool:
        return self.state in plan_rules.EDITABLE_STATES

    @property
    def is_cti(self) -> bool:
        return self.snapshot.template_id == "cti"
