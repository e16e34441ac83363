"""The audit trail: ``record(request, Action.VIEW, subject=coachee, obj=message)`` in a view.

Recording is one INSERT with no lock; ``privacy.audit_chain`` chains the recorded events in
batches, off the request path, and verifies the chain.

Which reads are recorded is written down in docs/audit.md. ``detail`` is a short,
non-content note (counts, ids, a step name): never a message, answer, report or file name.
"""

import ipaddress
import logging
import uuid

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connections, router
from django.utils import timezone

from privacy.audit_chain import sequence_pending, verify_chain
from privacy.audit_models import Action, AppendOnlyError, AuditEvent, Outcome

__all__ = ["Action", "AppendOnlyError", "Outcome", "record", "sequence_pending", "verify_chain"]

logger = logging.getLogger("pluform.audit")

DETAIL_MAX = 200


def truncate_ip(address: str | None) -> str:
    """The network, not the host: /24 for IPv4, /48 for IPv6."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return truncate_ip(get_adapter(request).get_client_ip(request))
    except (PermissionDenied, ImproperlyConfigured):
        return ""


def _uuid_of(value) -> uuid.UUID | None:
    if value is None:
        return None
    value = getattr(value, "uuid", value)
    if isinstance(value, uuid.UUID):
        return value
    pk = getattr(value, "pk", None)
    if isinstance(pk, uuid.UUID):
        return pk
    return uuid.UUID(str(value))


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(
    request,
    action,
    *,
    subject=None,
    obj=None,
    outcome=Outcome.OK,
    on_behalf_of=None,
    actor=None,
    detail="",
) -> AuditEvent:
    """Append one event to the chain.

    ``request`` may be None (Celery tasks, commands): pass ``actor`` then, or leave it
    empty for the system itself. ``subject`` is the person whose data it is (a user or a
    uuid); ``obj`` the object acted on (its ``uuid``, or its UUID primary key, is kept).
    """
    if actor is None and request is not None:
        actor = _user_or_none(getattr(request, "user", None))
    actor = _user_or_none(actor)
    on_behalf_of = _user_or_none(on_behalf_of)
    event = AuditEvent(
        at=timezone.now(),
        action=Action(action),
        outcome=Outcome(outcome),
        actor=actor,
        actor_uuid=_uuid_of(actor),
        actor_role=getattr(actor, "role", "") or ("" if actor else "system"),
        on_behalf_of=on_behalf_of,
        on_behalf_of_uuid=_uuid_of(on_behalf_of),
        subject_uuid=_uuid_of(subject),
        subject_kind=_subject_kind(subject),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uuid=_uuid_of(obj) if obj is not None else None,
        ip=_client_ip(request) if request is not None else "",
        detail=str(detail)[:DETAIL_MAX],
    )
    # One plain INSERT and no lock: the sequencer gives it its place in the chain.
    _insert(event)
    return event


def _insert(event: AuditEvent) -> None:
    """``event.save()`` without the ORM's per-call SQL compilation: this runs on every
    audited request, so its statement is built once per database."""
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.alias not in _INSERTS:
        meta = AuditEvent._meta
        fields = [f for f in meta.concrete_fields if f.name not in ("seq", "prev_hash", "hash")]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608  # quoted names from the model; values are %s parameters
        _INSERTS[connection.alias] = (sql, fields)
    sql, fields = _INSERTS[connection.alias]
    params = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    event._state.adding, event._state.db = False, connection.alias


_INSERTS: dict[str, tuple[str, list]] = {}


def _subject_kind(subject) -> str:
    if subject is None:
        return ""
    role = getattr(subject, "role", None)
    if role:
        return f"user:{role}"
    return "user"
