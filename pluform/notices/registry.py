"""The kinds of notice, registered by the content apps from their ``AppConfig.ready()``."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

NAME_MAX_LENGTH = 60


@dataclass(frozen=True)
class NoticeKind:
    # "<app>.<what>", e.g. "dialogue.new_messages"; stored with every notice (at most 60 chars).
    name: str
    # Renders <template>_subject.txt, <template>.txt and <template>.html with {"url": ...}.
    template: str
    # The path (reverse(...)) of the page the e-mail links to, for an object id.
    url: Callable[[uuid.UUID], str]
    # A translatable (ngettext) line for the daily digest, for a number of objects.
    digest_line: Callable[[int], str]
    # is_news(user, object_id, since) -> bool, asked when the notice is due: is there still
    # something the user has not seen, since the notice was raised? None: always news.
    is_news: Callable | None = None
    # At most one notice per (user, kind, object) per interval; None: one ever.
    interval: datetime.timedelta | None = None
    # Immediate notices wait PLUFORM_NOTIFY_DELAY_MINUTES (reading in the meantime cancels
    # them); False: they go out at once.
    delay: bool = True


_kinds: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> None:
    if len(kind.name) > NAME_MAX_LENGTH:
        raise ValueError(f"notice kind name longer than {NAME_MAX_LENGTH}: {kind.name}")
    registered = _kinds.get(kind.name)
    if registered is not None and registered != kind:
        raise ValueError(f"another notice kind is registered as {kind.name}")
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    """For tests that register a kind of their own."""
    _kinds.pop(name, None)


def get(name: str) -> NoticeKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no notice kind is registered as {name}") from None


def all_kinds() -> list[NoticeKind]:
    """In the order of registration, which is the order of the lines of the daily digest."""
    return list(_kinds.values())
