"""Erasing a person (regulation 1.2.6.3, 1.3.5.3, 1.2.6.7): one mechanism for every app.

What goes is what Django's own deletion collector finds from the person's account (every
record that cascades from it) plus the records each app registers here as theirs although
they do not cascade (``register``: a coachee's messages in group dialogues, which stay when
their author is gone; login attempts and invitations that carry their e-mail address).
Records that merely point at the person lose the pointer (the collector's SET_NULL): a
coach's messages to a coachee stay the coachee's data, with the trajectory.

In order, each step safe to repeat:
1. a tombstone beside the data keys and in object storage (``tombstones``), so that a
   restored backup cannot bring the person back;
2. one transaction: every record goes, and the ``Erasure`` receipt and the names of the
   person's stored files are written; a worker killed here leaves everything as it was;
3. ``finish``: the files go from storage (every version), then the person's data keys are
   destroyed, which makes every copy of their content anywhere unreadable. A worker killed
   here leaves the receipt in ``files_pending``, and the next ``finish`` completes it.

Audit events stay: they name the subject by a random uuid that, with the account gone, no
longer leads to a person (and they are chained: rewriting them would break the chain).
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import FileField, Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from pluform.crypto import datakeys
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope, owner_scope
from pluform.storage import delete_every_version
from privacy import audit, tombstones
from privacy.audit import Action
from privacy.erasure_models import Erasure, ErasureFile, Ground, LegalHold

logger = logging.getLogger(__name__)

ERASABLE_ROLES = (Role.COACH, Role.COACHEE)
# One name on a receipt for the several tables that say who may open what.
ACCESS_RIGHTS = gettext_lazy("Access rights")

# Per app: the person's records that do not cascade from their account.
_extra_records: list = []
# "<app_label>.<model_name>" -> gettext_lazy, the name of that class of data on a receipt.
_class_titles: dict[str, str] = {}


Records = Callable[[User], Iterable[QuerySet]]


def register(*, titles: dict[str, str], records: Records | None = None):
    """Called once by each app (from its ``subject_data`` module): what its records are called
    on a receipt, and which of a person's records go although they do not cascade."""
    _class_titles.update(titles)
    if records is not None and records not in _extra_records:
        _extra_records.append(records)


def class_title(label: str) -> str:
    return str(_class_titles.get(label, label))


def class_titles() -> dict[str, str]:
    return dict(_class_titles)


@dataclass
class Plan:
    """What erasing a person removes: records by class, stored files, live data keys."""

    counts: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def _label(model) -> str:
    return model._meta.label_lower


def _scopes(subject) -> list[str]:
    return [coachee_scope(subject), owner_scope(subject)]


def _collector(subject) -> Collector:
    collector = Collector(using=router.db_for_write(User))
    collector.collect(User.objects.filter(pk=subject.pk))
    for records in _extra_records:
        for queryset in records(subject):
            collector.collect(queryset)
    entries = _admin_log_entries(collector)
    if entries is not None:
        collector.collect(entries)
    return collector


def _admin_log_entries(collector):
    """The admin's log entries about any record that goes: they name it (``object_repr``),
    under its own type or a proxy's (the organisation admin logs coachees as such)."""
    pks_by_model = {}
    for model, instances in collector.data.items():
        pks_by_model.setdefault(model._meta.concrete_model, set()).update(i.pk for i in instances)
    for queryset in collector.fast_deletes:
        model = queryset.model._meta.concrete_model
        pks_by_model.setdefault(model, set()).update(queryset.values_list("pk", flat=True))
    pks_by_model.pop(LogEntry, None)
    about = Q()
    for model, pks in pks_by_model.items():
        family = [m for m in apps.get_models() if m._meta.concrete_model is model]
        types = ContentType.objects.get_for_models(*family, for_concrete_models=False).values()
        about |= Q(content_type__in=list(types), object_id__in=[str(pk) for pk in pks])
    return LogEntry.objects.filter(about) if about else None


def _file_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]


def _plan_of(collector, subject) -> Plan:
    plan = Plan()
    for model, instances in collector.data.items():
        plan.counts[_label(model)] += len(instances)
        for name in _file_fields(model):
            plan.files.extend(
                stored for instance in instances if (stored := instance.__dict__.get(name))
            )
    # Fast deletes are models without files or signals (a file field connects one); a model
    # reached along two paths (a time entry: its coachee and its trajectory) counts once.
    fast = {}
    for queryset in collector.fast_deletes:
        pks = fast.setdefault(queryset.model, set())
        pks.update(queryset.values_list("pk", flat=True))
    for model, pks in fast.items():
        plan.counts[_label(model)] += len(pks)
    plan.counts = Counter({label: count for label, count in plan.counts.items() if count})
    plan.scopes = list(
        DataKey.objects.filter(scope__in=_scopes(subject), destroyed_at__isnull=True).values_list(
            "scope", flat=True
        )
    )
    return plan


def plan(subject) -> Plan:
    """What ``erase`` would remove now, touching nothing (the confirmation page, dry runs)."""
    return _plan_of(_collector(subject), subject)


def active_hold(subject, today=None):
    return LegalHold.objects.holding(today).filter(subject=subject).order_by("ends_on").last()


def refusal(subject) -> str | None:
    """Why this person cannot be erased now, or None."""
    if subject.role not in ERASABLE_ROLES:
        return _("Only the accounts of coaches and coachees are erased this way.")
    if active_hold(subject) is not None:
        return _(
            "A legal hold keeps this data until the hold ends: it may not be erased now. "
            "Pluform's IT administrator can tell you more."
        )
    if subject.held_for_legal_claim:
        return _(
            "The processing of this data is restricted because it is needed for a legal "
            "claim: it is kept until that restriction is lifted."
        )
    return None


def erase(subject, *, ground, actor=None, http_request=None) -> Erasure:
    """Erases ``subject`` now: records at once, then files and keys (see the module)."""
    subject = User.objects.get(pk=subject.pk)
    reason = refusal(subject)
    if reason:
        raise ValidationError(reason, code="refused")
    laid = tombstones.lay(subject.uuid)
    try:
        erasure = _erase_records(subject, ground=ground, actor=actor, http_request=http_request)
    except Exception:
        # Nothing was erased: the tombstone this call laid must not erase them after a
        # restore. One laid before (an erasure racing this one) stays.
        if laid:
            tombstones.remove(subject.uuid)
        raise
    try:
        finish(erasure)
    except Exception:
        # The records are gone; files and keys follow in privacy.finish_erasures.
        logger.exception("erasure %s: files or keys not yet removed", erasure.pk)
    return erasure


@transaction.atomic
def _erase_records(subject, *, ground, actor, http_request) -> Erasure:
    subject = User.objects.select_for_update().get(pk=subject.pk)
    by_someone_else = actor is not None and actor.pk != subject.pk
    erasure = Erasure.objects.create(
        subject_uuid=subject.uuid,
        subject_kind=subject.role,
        ground=ground,
        actor_role=actor.role if by_someone_else else "",
    )
    # Before the records go: the collector then also clears the event's link to the
    # account (the chained uuid and role stay).
    audit.record(
        http_request,
        Action.ERASE,
        subject=subject,
        obj=erasure,
        actor=actor,
        detail=ground,
    )
    collector = _collector(subject)
    planned = _plan_of(collector, subject)
    erasure.counts = dict(sorted(planned.counts.items()))
    erasure.files = len(set(planned.files))
    erasure.keys = len(planned.scopes)
    erasure.seal()
    erasure.save(update_fields=["counts", "files", "keys", "manifest_sha256"])
    ErasureFile.objects.bulk_create(
        [ErasureFile(erasure=erasure, name=name) for name in sorted(set(planned.files))]
    )
    collector.delete()
    logger.info("erasure %s: the records of a %s are erased", erasure.pk, subject.role)
    return erasure


def finish(erasure) -> None:
    """Removes the erasure's files from storage and destroys the data keys: safe to repeat."""
    for pending in erasure.pending_files.order_by("pk").iterator(chunk_size=100):
        delete_every_version(default_storage, pending.name)
        pending.delete()
    for scope in _scopes(erasure.subject_uuid):
        datakeys.destroy_scope(scope)
    now = timezone.now()
    pending = Erasure.objects.filter(pk=erasure.pk, state=Erasure.State.FILES_PENDING)
    if pending.update(state=Erasure.State.DONE, finished_at=now):
        erasure.state, erasure.finished_at = Erasure.State.DONE, now
    logger.info("erasure %s done", erasure.pk)


def finish_pending() -> int:
    """Completes every erasure a killed worker left half done; returns how many."""
    pending = list(Erasure.objects.filter(state=Erasure.State.FILES_PENDING))
    for erasure in pending:
        finish(erasure)
    return len(pending)


def replay(tombstoned: dict) -> list[Erasure]:
    """After a restore: ``tombstoned`` maps subject uuids to erasure times (``tombstones``).
    Whoever the database still holds is erased again; both tombstone copies are made whole;
    keys the restore brought back are destroyed."""
    erased = []
    for subject_uuid, at in tombstoned.items():
        tombstones.lay(subject_uuid, at)
    for subject in User.objects.filter(uuid__in=list(tombstoned)).order_by("uuid"):
        erasure = _erase_records(subject, ground=Ground.REPLAY, actor=None, http_request=None)
        finish(erasure)
        erased.append(erasure)
    for subject_uuid in tombstoned:
        for scope in _scopes(subject_uuid):
            datakeys.destroy_scope(scope)
    return erased
