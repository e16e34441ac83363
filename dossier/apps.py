from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = _("Client dossier")

    def ready(self):
        from dossier import demo, subject_data  # noqa: F401
