from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connects the login signal receivers; registers the subject data sections.
        from accounts import monitoring, subject_data  # noqa: F401
