from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "toolbox"
    verbose_name = _("Toolbox")

    def ready(self):
        from toolbox import demo, notices, organisation_admin, signals, subject_data  # noqa: F401

        notices.register()
