"""Put the events written before the hash chain existed into it, oldest first."""

from django.db import migrations


def hash_existing(apps, schema_editor):
    from gongkai.audit.chain import FIELDS, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    prev_hash, seq = "", 0
    for event in AuditEvent.objects.using(db).order_by("at", "id").iterator(chunk_size=2000):
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        values = {name: getattr(event, name) for name in FIELDS}
        prev_hash = event_hash(values)
        AuditEvent.objects.using(db).filter(pk=event.pk).update(seq=seq, prev_hash=event.prev_hash, hash=prev_hash)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_hash_chain_fields"),
    ]

    operations = [
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
