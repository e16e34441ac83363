from django.apps import AppConfig


class PluformConfig(AppConfig):
    name = "pluform"
    verbose_name = "Pluform"

    def ready(self):
        from pluform import checks  # noqa: F401  (registers the system checks)
