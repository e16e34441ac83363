"""Logged-in sessions without a browser: the session a password + TOTP login leaves behind."""

import time
from importlib import import_module

from django.utils.crypto import get_random_string

# allauth keeps the list of authentication steps of the session, and whose they are.
ALLAUTH_RECORDS_USER_KEY = "account_authentication_methods_user"


def login_session(user) -> str:
    """A new session in the configured store for ``user``; returns its key (the cookie value)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.middleware import EnforceMFAMiddleware

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    records = [{"method": "password", "at": now, "email": user.email}]
    if user.requires_mfa:
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
        # accounts.middleware.EnforceMFAMiddleware: this session has passed two-factor login.
        store[EnforceMFAMiddleware.SESSION_KEY] = str(user.pk)
    store[AUTHENTICATION_METHODS_SESSION_KEY] = records
    store[ALLAUTH_RECORDS_USER_KEY] = str(user.pk)
    store["pluform_started"] = store["pluform_seen"] = int(now)
    store.create()
    return store.session_key


def csrf_token() -> str:
    """A CSRF secret: sent as the cookie and, unmasked, as the X-CSRFToken header."""
    return get_random_string(32)


def cookie_header(session_key: str, csrf: str | None = None) -> str:
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    if csrf:
        cookie += f"; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie
