"""The privacy app's models. For now: the append-only, hash-chained audit trail."""

from privacy.audit_models import Action, AuditChainHead, AuditEvent, Outcome

__all__ = ["Action", "AuditChainHead", "AuditEvent", "Outcome"]
