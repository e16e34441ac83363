from django.apps import AppConfig


class CryptoAppConfig(AppConfig):
    name = "tests.cryptoapp"
    label = "cryptoapp"
    default_auto_field = "django.db.models.BigAutoField"
