"""Protected clients whose responsible person has left: only the responsible person sees a
client with a protected identity, so when that person is deactivated nobody does. An
administrator lists them by internal number and gives each a new responsible person (logged).
"""

from __future__ import annotations

from sqlalchemy import or_, select

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


def orphaned_protected_clients(db: Database, actor: Actor) -> list[int]:
    """Internal numbers of clients with a protected identity whose responsible person has left
    (deactivated or removed): nobody sees them until an administrator reassigns them."""
    _require_admin(actor)
    with db.read() as session:
        active = select(User.id).where(User.active.is_(True))
        return list(
            session.scalars(
                select(Client.id)
                .where(
                    Client.protected_identity.is_(True),
                    or_(
                        Client.responsible_user_id.is_(None),
                        Client.responsible_user_id.not_in(active),
                    ),
                )
                .order_by(Client.id)
            )
        )


def reassign_protected_client(
    db: Database, actor: Actor, client_id: int, responsible_user_id: int
) -> Outcome[None]:
    """An administrator gives a protected client whose responsible person has left a new one
    (logged). A client whose responsible person is still active is refused (NotFoundError:
    nothing about it is told)."""
    _require_admin(actor)
    if client_id not in orphaned_protected_clients(db, actor):
        raise NotFoundError("not an orphaned protected client")
    with db.begin() as session:
        user = session.get(User, responsible_user_id)
        if user is None or not user.active:
            raise InvalidInputError(
                _("Choose an active user as the responsible person."), field="responsible"
            )
        client = session.get(Client, client_id)
        assert client is not None
        client.responsible_user_id = responsible_user_id
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id,
            detail="protected client reassigned by an administrator",
        )  # fmt: skip
    return Outcome(None, ChangeSet.of(ChangeKind.HEADER, client_id))


def _require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("administrators only")
