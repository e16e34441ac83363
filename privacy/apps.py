from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from privacy import demo, request_data, signals, subject_data  # noqa: F401

        subject_data.register(request_data.REQUESTS)
        subject_data.register(request_data.CONSENTS)
        subject_data.register(subject_data.AUDIT_EVENTS)
        subject_data.register_erasure_titles()
