"""EncryptedTextField: used like a TextField, stored as AES-256-GCM ciphertext.

The model must have a UUID primary key set before saving (``default=uuid.uuid4``), because
the row id is part of the associated data, and a method ``encryption_scope()`` that names
the data key scope (for example ``"coachee:<uuid>"``). Values decrypt lazily on first read.
Only the ``isnull`` lookup is allowed: ciphertext cannot be searched.
"""

from django.core import checks
from django.db import models

from pluform.crypto import aead


class Sealed(str):
    """A ciphertext as read from the database, told apart from a plaintext assignment."""


class _State:
    __slots__ = ("ciphertext", "dirty", "plaintext", "row")

    def __init__(self, ciphertext=None, plaintext=None, dirty=False, row=None):
        self.ciphertext = ciphertext
        self.plaintext = plaintext
        self.dirty = dirty
        self.row = row  # the row id the ciphertext is bound to


class EncryptedDescriptor:
    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.field.attname not in instance.__dict__ and instance.pk is not None:
            instance.refresh_from_db(fields=[self.field.attname])
        state = instance.__dict__.get(self.field.attname)
        if state is None:
            return None
        if state.plaintext is None and state.ciphertext is not None:
            row = state.row if state.row is not None else instance.pk
            state.plaintext = aead.open_text(state.ciphertext, self.field.aad_for_row(row))
        return state.plaintext

    def __set__(self, instance, value):
        if value is None:
            instance.__dict__[self.field.attname] = None
        elif isinstance(value, Sealed):
            row = instance.__dict__.get(instance._meta.pk.attname)
            instance.__dict__[self.field.attname] = _State(ciphertext=str(value), row=row)
        else:
            instance.__dict__[self.field.attname] = _State(plaintext=str(value), dirty=True)


def has_unsaved_value(instance, name: str) -> bool:
    """Whether a plaintext was assigned to the encrypted field ``name`` and not saved yet."""
    state = instance.__dict__.get(name)
    return isinstance(state, _State) and state.dirty


class EncryptedFieldMixin:
    """What every encrypted field needs of its model: a UUID pk and an encryption scope."""

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        kind = type(self).__name__
        pk = self.model._meta.pk
        if not isinstance(pk, models.UUIDField) or pk.default is models.NOT_PROVIDED:
            errors.append(
                checks.Error(
                    f"{kind} needs a UUID primary key with a default.",
                    obj=self,
                    id="pluform.E001",
                )
            )
        if not hasattr(self.model, "encryption_scope"):
            errors.append(
                checks.Error(
                    f"A model with an {kind} defines encryption_scope().",
                    obj=self,
                    id="pluform.E002",
                )
            )
        return errors

    def aad_for(self, instance) -> bytes:
        return self.aad_for_row(instance.pk)

    def aad_for_row(self, row_id) -> bytes:
        return aead.associated_data(self.model._meta.db_table, self.column, row_id)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text encrypted with AES-256-GCM under a data key"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, EncryptedDescriptor(self))

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        state = model_instance.__dict__.get(self.attname)
        if state is None:
            return None
        if not state.dirty and state.row is not None and state.row != model_instance.pk:
            # A copy saved under a new id: re-encrypt for the new row.
            state.plaintext = aead.open_text(state.ciphertext, self.aad_for_row(state.row))
            state.dirty = True
        if state.dirty:
            state.ciphertext = aead.seal_text(
                model_instance.encryption_scope(), state.plaintext, self.aad_for(model_instance)
            )
            state.dirty = False
        state.row = model_instance.pk
        return Sealed(state.ciphertext)

    def get_prep_value(self, value):
        if isinstance(value, _State):
            value = value.ciphertext
        return None if value is None else str(value)

    def value_from_object(self, obj):
        state = obj.__dict__.get(self.attname)
        return None if state is None else getattr(obj, self.attname)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None
