"""Messages: the writer's phone and e-mail encrypted at rest, the phone found by a keyed hash.

Steps: add the hash; turn both columns into plain text; encrypt existing rows and fill
the hash (reversible: decrypts); then declare the columns encrypted (no schema change).
Needs GONGKAI_FIELD_KEY when rows exist.
"""

import django.core.validators
from django.db import migrations, models

import gongkai.core.fields

FIELDS = ("writer_phone", "writer_email")
HASHES = {"writer_phone_hash": ("phone", ("writer_phone",))}


def encrypt(apps, schema_editor):
    gongkai.core.fields.encrypt_rows(apps.get_model("interaction", "Message"), FIELDS, HASHES)


def decrypt(apps, schema_editor):
    gongkai.core.fields.decrypt_rows(apps.get_model("interaction", "Message"), FIELDS, tuple(HASHES))


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0001_initial"),
        ("interaction", "0002_conversion_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="message", name="writer_phone_hash",
            field=gongkai.core.fields.BlindIndexField(kind="phone", sources=("writer_phone",),
                                                      verbose_name="联系电话哈希"),
        ),
        *[migrations.AlterField(model_name="message", name=name, field=models.TextField(blank=True))
          for name in FIELDS],
        migrations.RunPython(encrypt, decrypt),
        migrations.AlterField(
            model_name="message", name="writer_email",
            field=gongkai.core.fields.EncryptedTextField(
                blank=True, max_length=254, validators=[django.core.validators.EmailValidator()],
                verbose_name="电子邮箱"),
        ),
        migrations.AlterField(
            model_name="message", name="writer_phone",
            field=gongkai.core.fields.EncryptedTextField(blank=True, max_length=30, verbose_name="联系电话"),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["agency", "writer_phone_hash"], name="interaction_message_phone_idx"),
        ),
    ]
