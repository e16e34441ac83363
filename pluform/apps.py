from django.apps import AppConfig


class PluformConfig(AppConfig):
    name = "pluform"
    verbose_name = "Pluform"
