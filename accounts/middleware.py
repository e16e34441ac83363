import time

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation


class SessionLifetimeMiddleware:
    """Ends a session after 30 idle minutes or 12 hours, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("pluform_started", now)
            seen = session.get("pluform_seen", now)
            if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > (
                settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect(f"{reverse('account_login')}?expired=1")
            # Write the session at most once a minute, not on every request.
            if now - seen >= 60 or "pluform_seen" not in session:
                session["pluform_seen"] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """Once logged in, the language and the time zone follow the user's profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            timezone.activate(user.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ActivityMiddleware:
    """Keeps the user's last activity, writing at most once per interval per user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            last = user.last_activity_at
            interval = settings.PLUFORM_SESSION_ACTIVITY_INTERVAL
            if last is None or (now - last).total_seconds() >= interval:
                get_user_model().objects.filter(pk=user.pk).update(last_activity_at=now)
                user.last_activity_at = now
        return self.get_response(request)


class EnforceMFAMiddleware:
    """Coaches, organisation managers and staff reach only MFA setup until they have it.

    Once a user has an authenticator app the session remembers it, so this costs one query
    per session, not per request (professionals cannot remove their app: see MFAAdapter).
    """

    SESSION_KEY = "pluform_mfa_ok"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and request.session.get(self.SESSION_KEY) != str(user.pk)
            and not self._allowed(request.path)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
            request.session[self.SESSION_KEY] = str(user.pk)
        return self.get_response(request)

    @staticmethod
    def _allowed(path):
        # Everything under /accounts/2fa/: activation, and the recovery codes shown right after.
        allowed = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed)
