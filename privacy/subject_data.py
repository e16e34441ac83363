"""Everything Pluform holds about one data subject, gathered from every content app.

Each app registers its sections once, from its ``AppConfig.ready()`` (``<app>/subject_data.py``);
``privacy.archive.write_archive`` writes them all as a ZIP for an access request, and the
same sections serve portability and erasure. The next app is one more registration.

A section yields JSON-ready records (str, int, bool, None, lists and dicts; dates as ISO
strings) one by one, from a query's ``.iterator(chunk_size=...)``, never from a list: a
subject may have years of messages. ``records`` (and ``files``) may be called more than once
for one archive and must then yield the same again.

Every key a record may have is documented in ``fields``, nested ones with a dotted path
(``"steps.questions.answer"``; lists are transparent). A record refers to its files under the
key ``FILES_KEY``: a list of ``file_entry(...)`` dicts, whose ``path`` is where the file is in
the archive; the HTML overview links them.

The records of a section are what the subject may see of the data about them; other
people's names appear only as the subject sees them in Pluform.

Portability (a subset): a section's ``provided`` yields only the records the subject provided
themselves (their profile, the messages they wrote, their answers, their own toolbox items),
``provided_files`` their files; a section without ``provided`` is left out of that export.
"""

import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User

# The record key that lists a record's files (see file_entry), and what its entries hold.
FILES_KEY = "files"
FILE_FIELDS = {
    FILES_KEY: _("The files that belong to this record, in the folder files/ of this archive"),
    f"{FILES_KEY}.name": _("The file's name as it was uploaded"),
    f"{FILES_KEY}.path": _("Where the file is in this archive"),
    f"{FILES_KEY}.content_type": _("The type of the file (MIME type)"),
    f"{FILES_KEY}.size": _("The size of the file in bytes"),
}


@dataclass(frozen=True)
class SubjectFile:
    # Inside the archive, e.g. "files/toolbox/<item uuid>/<safe file name>".
    path: str
    # Returns a readable binary stream of the plaintext bytes; the archive closes it.
    open: Callable[[], BinaryIO]
    size: int | None = None


@dataclass(frozen=True)
class Section:
    # "<app>.<what>", e.g. "dialogue.messages".
    name: str
    # gettext_lazy, for the HTML overview.
    title: str
    # gettext_lazy: what the records are and what each field means (the schema doc).
    description: str
    # Field name (dotted for nested keys) -> gettext_lazy meaning: every key a record may have.
    fields: dict[str, str]
    # records(subject): JSON-ready dicts, streamed.
    records: Callable[["User"], Iterable[dict]]
    # files(subject): SubjectFile objects, streamed; None when the section has no files.
    files: Callable[["User"], Iterable[SubjectFile]] | None = None
    # Portability (regulation 1.2.6.5, 1.3.5.5): provided(subject) streams only what the
    # subject provided themselves; None = the section is not part of a portability export.
    provided: Callable[["User"], Iterable[dict]] | None = None
    # provided_files(subject): the files of those records; None when there are none.
    provided_files: Callable[["User"], Iterable[SubjectFile]] | None = None
    # What the provided records are (gettext_lazy); None: the description above.
    provided_description: str | None = None
    # The keys of ``fields`` a provided record may have (dotted ones too); None: all of them.
    provided_keys: tuple[str, ...] | None = None

    def for_portability(self) -> "Section":
        """This section as a portability export writes it: the provided records and files."""
        return replace(
            self,
            description=self.provided_description or self.description,
            fields=(
                self.fields
                if self.provided_keys is None
                else {key: self.fields[key] for key in self.provided_keys}
            ),
            records=self.provided,
            files=self.provided_files,
        )


_sections: dict[str, Section] = {}


_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def register(section: Section) -> None:
    if not _NAME.fullmatch(section.name):
        raise ValueError(f"a subject data section is named <app>.<what>: {section.name!r}")
    unknown = set(section.provided_keys or ()) - set(section.fields)
    if unknown:
        raise ValueError(f"{section.name}: provided keys without a meaning: {sorted(unknown)}")
    registered = _sections.get(section.name)
    if registered is not None and registered != section:
        raise ValueError(f"another subject data section is registered as {section.name}")
    _sections[section.name] = section


def unregister(name: str) -> None:
    """For tests that register a section of their own."""
    _sections.pop(name, None)


def section(name: str) -> Section | None:
    return _sections.get(name)


def sections() -> list[Section]:
    """In the order of registration (the apps' order in INSTALLED_APPS)."""
    return list(_sections.values())


def provided_sections() -> list[Section]:
    """The sections of a portability export, as it writes them (``Section.for_portability``)."""
    return [section.for_portability() for section in _sections.values() if section.provided]


# Helpers for the sections


def iso(value) -> str | None:
    """A date or time as an ISO 8601 string (times with their UTC offset), None as None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def uuid_text(value) -> str | None:
    return None if value is None else str(value)


def full_name(user) -> str | None:
    return None if user is None else user.get_full_name()


def file_entry(path: str, name: str, *, content_type: str = "", size: int | None = None) -> dict:
    """What a record says about one of its files (see FILE_FIELDS)."""
    return {"name": name, "path": path, "content_type": content_type, "size": size}


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{n}" for n in range(10)} | {f"LPT{n}" for n in range(10)}
)
_NAME_MAX = 120


def safe_file_name(name: str | None, default: str = "file") -> str:
    """An uploaded file name made safe as the last part of an archive path: no folders, no
    control or reserved characters, no leading dots, not too long, extension kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > _NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:
            name = f"{stem[: _NAME_MAX - len(extension) - 1].rstrip(' .')}.{extension}"
        else:
            name = name[:_NAME_MAX].rstrip(" .")
    if name.split(".", 1)[0].upper() in _RESERVED:
        name = f"_{name}"
    return name or default


class _ChunkReader(io.RawIOBase):
    """A read-only stream over an iterator of byte chunks, one chunk in memory at a time."""

    def __init__(self, chunks, on_close=None):
        super().__init__()
        self._chunks = iter(chunks)
        self._buffer = memoryview(b"")
        self._on_close = on_close

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._buffer:
            try:
                self._buffer = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._buffer))
        buffer[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self):
        if not self.closed:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
            if self._on_close is not None:
                self._on_close()
        super().close()


def stored_file(path: str, instance, field_name: str = "file") -> SubjectFile:
    """The encrypted file ``instance.<field_name>`` at ``path`` in the archive."""
    return SubjectFile(
        path=path,
        open=partial(decrypted_stream, instance, field_name),
        size=getattr(instance, "size", None),
    )


def decrypted_stream(instance, field_name: str = "file") -> BinaryIO:
    """The plaintext of the encrypted file ``instance.<field_name>`` as a readable stream,
    decrypted chunk by chunk while it is read (for ``SubjectFile.open``)."""
    from pluform.crypto.files import DecryptedFile

    decrypted = DecryptedFile(instance, field_name)
    return _ChunkReader(iter(decrypted), decrypted.close)


# Privacy's own section: the audit trail about the subject.


def _audit_records(subject):
    from accounts.roles import CONTENT_ROLES
    from privacy.models import AuditEvent

    events = (
        AuditEvent.objects.filter(subject_uuid=subject.uuid)
        .select_related("actor")
        .only(
            "uuid",
            "at",
            "action",
            "outcome",
            "actor_role",
            "actor__first_name",
            "actor__last_name",
            "object_type",
            "detail",
        )
        .order_by("at", "uuid")
    )
    for event in events.iterator(chunk_size=500):
        # Names of coaches and coachees; Pluform's own staff and managers by role only.
        named = event.actor_role in CONTENT_ROLES and event.actor is not None
        yield {
            "id": str(event.uuid),
            "at": iso(event.at),
            "action": event.action,
            "outcome": event.outcome,
            "actor_role": event.actor_role or None,
            "actor": full_name(event.actor) if named else None,
            "object_type": event.object_type or None,
            "detail": event.detail or None,
        }


AUDIT_EVENTS = Section(
    name="privacy.audit_events",
    title=_("Who did what with your data"),
    description=_(
        "The audit trail: every recorded action on your data or your account, such as "
        "reading, changing, downloading or exporting it, and logging in. It holds no content. "
        "Who acted is given by role; coaches and coachees also by name."
    ),
    fields={
        "id": _("Identifier of the event"),
        "at": _("When it happened"),
        "action": _(
            "What was done: view, create, change, delete, download, export, erase, restrict, "
            "consent, login, login_failed, logout, mfa_change, break_glass, request_step, "
            "key_rotation or key_destruction"
        ),
        "outcome": _("Whether it succeeded: ok, denied or failed"),
        "actor_role": _(
            "The role of who did it: coach, coachee, org_manager, customer_service, "
            "ict_line_manager, account_manager or it_admin; empty for the system"
        ),
        "actor": _("The name of who did it, for a coach or coachee"),
        "object_type": _("The kind of thing it was done to, e.g. dialogue.message"),
        "detail": _("A short note without content, e.g. a count"),
    },
    records=_audit_records,
)


def register_erasure_titles() -> None:
    """Privacy's own classes of data, as an erasure receipt names them."""
    from privacy import erasure

    erasure.register(
        titles={
            "privacy.consent": _("Consents"),
            "privacy.datarequest": _("Privacy requests"),
            "privacy.requeststep": _("Steps of privacy requests"),
            "privacy.accessarchive": _("Copies of data (exports)"),
            "privacy.accessarchive_recipients": _("Recipients of copies of data"),
            "privacy.archivedownload": _("Downloads of copies of data"),
            "privacy.legalhold": _("Legal holds that ended"),
            "privacy.retentionnotice": _("Notices of the end of the retention period"),
            "privacy.departure": _("Notices that a coachee left"),
        }
    )
