"""Applicants: one row per application (no unique identity), personal data encrypted at rest.

Steps: drop the unique identity; add the keyed hashes; turn the four columns into plain
text; encrypt existing rows and fill the hashes (reversible: decrypts); then declare the
columns encrypted (no schema change). Needs GONGKAI_FIELD_KEY when rows exist.
"""

import django.core.validators
from django.db import migrations, models

import gongkai.core.fields

FIELDS = ("id_number", "phone", "email", "address")
HASHES = {"identity_hash": ("identity", ("id_type", "id_number")), "phone_hash": ("phone", ("phone",))}


def encrypt(apps, schema_editor):
    gongkai.core.fields.encrypt_rows(apps.get_model("applications", "Applicant"), FIELDS, HASHES)


def decrypt(apps, schema_editor):
    gongkai.core.fields.decrypt_rows(apps.get_model("applications", "Applicant"), FIELDS, tuple(HASHES))


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0001_initial"),
        ("applications", "0002_cheap_clock_cache"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="applicant", name="applicant_unique_identity"),
        migrations.AddField(
            model_name="applicant", name="identity_hash",
            field=gongkai.core.fields.BlindIndexField(kind="identity", sources=("id_type", "id_number"),
                                                      verbose_name="证件哈希"),
        ),
        migrations.AddField(
            model_name="applicant", name="phone_hash",
            field=gongkai.core.fields.BlindIndexField(kind="phone", sources=("phone",), verbose_name="联系电话哈希"),
        ),
        *[migrations.AlterField(model_name="applicant", name=name, field=models.TextField(blank=True))
          for name in FIELDS],
        migrations.RunPython(encrypt, decrypt),
        migrations.AlterField(
            model_name="applicant", name="address",
            field=gongkai.core.fields.EncryptedTextField(blank=True, max_length=200, verbose_name="通信地址"),
        ),
        migrations.AlterField(
            model_name="applicant", name="email",
            field=gongkai.core.fields.EncryptedTextField(
                blank=True, max_length=254, validators=[django.core.validators.EmailValidator()],
                verbose_name="电子邮箱"),
        ),
        migrations.AlterField(
            model_name="applicant", name="id_number",
            field=gongkai.core.fields.EncryptedTextField(max_length=40, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="applicant", name="phone",
            field=gongkai.core.fields.EncryptedTextField(max_length=20, verbose_name="联系电话"),
        ),
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(fields=["agency", "identity_hash"], name="applicant_identity_idx"),
        ),
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(fields=["agency", "phone_hash"], name="applicant_phone_idx"),
        ),
    ]
