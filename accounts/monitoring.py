"""Login monitoring: every attempt, success or failure, without the password.

The receivers below turn Django's, allauth's and allauth.mfa's signals into
``LoginAttempt`` rows, and hand each one to the audit trail when ``privacy.audit`` exists.
"""

import ipaddress
import logging

from allauth.account.adapter import get_adapter
from allauth.account.signals import authentication_step_completed
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.models import LoginAttempt

logger = logging.getLogger(__name__)

Outcome = LoginAttempt.Outcome
_EMAIL_MAX = LoginAttempt._meta.get_field("email").max_length
_AGENT_MAX = LoginAttempt._meta.get_field("user_agent").max_length


def truncate_ip(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: enough to spot a pattern."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _client_ip(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # allauth refuses when it cannot tell; monitoring must not fail a login
        return request.META.get("REMOTE_ADDR", "")


def record_attempt(request, *, outcome, user=None, email="") -> LoginAttempt:
    """Stores one attempt; the account is found by the typed e-mail when not given."""
    success = outcome in (Outcome.LOGGED_IN, Outcome.PASSWORD_OK)
    if user is None:
        user = _user_for_email(email)
    email = (email or (user.email if user else "")).strip().lower()[:_EMAIL_MAX]
    attempt = LoginAttempt.objects.create(
        email=email,
        user=user if user is not None and user.pk else None,
        success=success,
        outcome=outcome,
        ip_network=truncate_ip(_client_ip(request)) if request else "",
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:_AGENT_MAX],
    )
    logger.info("login attempt id=%s outcome=%s", attempt.pk, outcome)
    _audit(request, attempt)
    return attempt


def _audit(request, attempt):
    """Hands the attempt to the privacy app's audit trail (logins and failed logins)."""
    try:
        from privacy import audit
    except ImportError:
        return
    if attempt.outcome == Outcome.PASSWORD_OK:
        return  # half a login: the audit trail records the completed one
    if attempt.outcome == Outcome.LOGGED_IN:
        audit.record(request, audit.Action.LOGIN, subject=attempt.user, actor=attempt.user)
    else:
        audit.record(
            request,
            audit.Action.LOGIN_FAILED,
            subject=attempt.user,
            outcome=audit.Outcome.DENIED,
            detail=attempt.outcome,
        )


def _user_for_email(email):
    from accounts.models import User

    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip()).first()


@receiver(user_logged_in, dispatch_uid="accounts_monitor_logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    record_attempt(request, outcome=Outcome.LOGGED_IN, user=user)
    from accounts.services import confirm_login_address

    confirm_login_address(user)


@receiver(user_login_failed, dispatch_uid="accounts_monitor_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or ""
    record_attempt(request, outcome=Outcome.BAD_CREDENTIALS, email=email)


@receiver(authentication_step_completed, dispatch_uid="accounts_monitor_step")
def _on_step_completed(sender, request, user, method, **kwargs):
    # The password step of a login that still waits for its second factor.
    if method == "password" and not request.user.is_authenticated and is_mfa_enabled(user):
        record_attempt(request, outcome=Outcome.PASSWORD_OK, user=user)


@receiver(mfa_authentication_failed, dispatch_uid="accounts_monitor_mfa_failed")
def _on_mfa_failed(sender, request, user, **kwargs):
    record_attempt(request, outcome=Outcome.BAD_MFA_CODE, user=user)
