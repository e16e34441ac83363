from django.conf import settings


class DataKeyRouter:
    """Places the data-key table in the ``keys`` database when one is configured."""

    app_label = "crypto"

    def _db(self):
        return "keys" if "keys" in settings.DATABASES else None

    def db_for_read(self, model, **hints):
        return self._db() if model._meta.app_label == self.app_label else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if "keys" not in settings.DATABASES:
            return None
        if app_label == self.app_label:
            return db == "keys"
        return db != "keys"
