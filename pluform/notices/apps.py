from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "pluform.notices"
    label = "notices"
    verbose_name = "E-mail notices"
