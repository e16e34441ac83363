from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "pluform.notices"
    label = "notices"
    verbose_name = _("e-mail notices")
