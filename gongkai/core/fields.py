"""Model fields for personal data: encrypted text, and the keyed hash that finds it.

`EncryptedTextField` stores AES-GCM ciphertext (`gongkai.core.crypto`) and gives back
clear text in Python; it cannot be searched (only `isnull` and `= ""`), so every value
that must be found has a `BlindIndexField` beside it, computed on save from its source
field(s) by a normaliser. Neither needs code in `save()` or in the actions.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; the empty string stays empty (nothing to hide, and `blank` checks work)."""

    description = "Text encrypted at rest (AES-256-GCM)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedExact(Exact):
    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(f"加密字段 {self.lhs.target.name} 只能按是否为空查询；请按其哈希字段（*_hash）查找。")
        return self.rhs


def normalise_phone(value: str) -> str:
    """Digits only: "0379-6390 0000" and "037963900000" are the same phone."""
    return re.sub(r"\D", "", value or "")


def normalise_identity(id_type: str, id_number: str) -> str:
    number = re.sub(r"\s", "", id_number or "").upper()
    return f"{id_type}:{number}" if number else ""


def phone_hash(value: str) -> str:
    digits = normalise_phone(value)
    return crypto.blind_index(digits, "phone") if digits else ""


def identity_hash(id_type: str, id_number: str) -> str:
    key = normalise_identity(id_type, id_number)
    return crypto.blind_index(key, "identity") if key else ""


HASHERS = {"phone": phone_hash, "identity": identity_hash}


class BlindIndexField(models.CharField):
    """HMAC-SHA256 (hex) of other fields of the row, rewritten on every save.

    `kind` names the hasher in `HASHERS`, `sources` the fields passed to it in order.
    """

    def __init__(self, *args, kind: str = "phone", sources: tuple[str, ...] = ("phone",), **kwargs):
        self.kind, self.sources = kind, tuple(sources)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"], kwargs["sources"] = self.kind, self.sources
        for key, default in (("max_length", 64), ("blank", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def compute(self, instance) -> str:
        return HASHERS[self.kind](*(getattr(instance, s) or "" for s in self.sources))

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


# ---------------------------------------------------------------------------------------
# data migrations: run between "column altered to plain text" and "column altered to
# EncryptedTextField", so the historical model reads and writes the stored text as is.


def _clear(value):
    return crypto.decrypt(value) if crypto.is_encrypted(value) else (value or "")


def encrypt_rows(model, fields: tuple[str, ...], hashes: dict[str, tuple[str, tuple[str, ...]]]) -> int:
    """Encrypt the clear values of `fields` and fill each hash field {name: (kind, sources)}."""
    sources = {s for _, srcs in hashes.values() for s in srcs}
    count = 0
    for row in model._default_manager.values("pk", *sorted(set(fields) | sources)).iterator(chunk_size=500):
        update = {f: crypto.encrypt(row[f]) for f in fields if row[f] and not crypto.is_encrypted(row[f])}
        for name, (kind, srcs) in hashes.items():
            update[name] = HASHERS[kind](*(_clear(row[s]) for s in srcs))
        model._default_manager.filter(pk=row["pk"]).update(**update)
        count += 1
    return count


def decrypt_rows(model, fields: tuple[str, ...], hash_fields: tuple[str, ...]) -> int:
    """The reverse of `encrypt_rows`: clear text back, hashes emptied."""
    count = 0
    for row in model._default_manager.values("pk", *fields).iterator(chunk_size=500):
        update = {f: _clear(row[f]) for f in fields}
        update.update({h: "" for h in hash_fields})
        model._default_manager.filter(pk=row["pk"]).update(**update)
        count += 1
    return count
