"""Names of data key scopes: one data key per coachee, per group dialogue, per owner."""

import uuid


def _uuid_of(subject) -> uuid.UUID:
    value = getattr(subject, "uuid", subject)
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def coachee_scope(coachee) -> str:
    """Content about a coachee: their dialogue, answers, dossier, files."""
    return f"coachee:{_uuid_of(coachee)}"


def dialogue_scope(dialogue) -> str:
    """Content of a group dialogue, shared by several coachees."""
    return f"dialogue:{_uuid_of(dialogue)}"


def owner_scope(owner) -> str:
    """Content a user owns that is about no coachee, such as a coach's toolbox items."""
    return f"owner:{_uuid_of(owner)}"


def library_scope(organisation) -> str:
    """An organisation's library of intervention templates, shared by its coaches."""
    return f"library:{_uuid_of(organisation)}"
