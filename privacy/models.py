"""The privacy app's models: the audit trail, data-subject requests, consent and erasure."""

from privacy.audit_models import Action, AuditChainHead, AuditEvent, Outcome
from privacy.break_glass_models import BreakGlassGrant
from privacy.consent_models import Consent
from privacy.erasure_models import Departure, Erasure, ErasureFile, LegalHold, RetentionNotice
from privacy.request_models import AccessArchive, ArchiveDownload, DataRequest, RequestStep

__all__ = [
    "AccessArchive",
    "Action",
    "ArchiveDownload",
    "AuditChainHead",
    "AuditEvent",
    "BreakGlassGrant",
    "Consent",
    "DataRequest",
    "Departure",
    "Erasure",
    "ErasureFile",
    "LegalHold",
    "Outcome",
    "RequestStep",
    "RetentionNotice",
]
