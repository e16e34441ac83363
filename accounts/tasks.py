from importlib import import_module

from celery import shared_task
from django.conf import settings

from accounts import retention


@shared_task(name="accounts.purge_login_attempts", ignore_result=True)
def purge_login_attempts():
    retention.purge_login_attempts()


@shared_task(name="accounts.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions():
    """Expired sessions still hold who was signed in: Django's ``clearsessions``, daily."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
