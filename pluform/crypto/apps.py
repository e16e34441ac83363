from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "pluform.crypto"
    label = "crypto"
    verbose_name = "Encryption keys"

    def ready(self):
        from pluform.crypto import signals  # noqa: F401
