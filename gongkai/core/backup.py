"""One-file backup and restore: the database (per-table JSON lines), uploads, the publish folder.

Archive (tar.gz)::

    manifest.json        format, version, time, database vendor, applied migrations,
                         row count and columns per table, SHA-256 and size of every file,
                         and a check value of the field-encryption key (a hash, never the key)
    db/<table>.jsonl     one JSON array per row, columns in the manifest's order
    media/...            MEDIA_ROOT (uploaded documents and images)
    publish/...          PUBLISH_ROOT (the static site, symlinks kept)

The database is read as stored (raw column values, so encrypted personal data stays
encrypted in the archive) inside one transaction (a consistent snapshot), and written back
the same way into a migrated installation of the same schema, on SQLite or PostgreSQL.
Values carry their type where JSON has none (datetimes, dates, decimals, bytes), so a dump
taken on one database loads into the other. Sessions are not backed up.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "gongkai-backup"
VERSION = 1
# Sessions are not worth keeping; Wagtail's SQLite full-text table is filled by triggers on
# wagtailsearch_indexentry as its rows are restored.
EXCLUDED_TABLES = {"django_session", "wagtailsearch_indexentry_fts"}
CHUNK = 1000

Progress = Callable[[str], None]


class BackupError(Exception):
    """Backup or restore refused; the message is Chinese and says what to do."""


def key_check() -> str:
    """A check value of the field-encryption key: SHA-256 of a label and the key, never the key."""
    key = (getattr(settings, "GONGKAI_FIELD_KEY", "") or "").strip()
    if not key:
        return ""
    return hashlib.sha256(b"gongkai-field-key-check\0" + key.encode("utf-8")).hexdigest()


def _tables(connection) -> list[tuple[str, list]]:
    """(table, concrete fields) of every model table that exists, sorted, sessions excluded."""
    existing = set(connection.introspection.table_names())
    found: dict[str, list] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in EXCLUDED_TABLES or meta.db_table not in existing:
            continue
        found.setdefault(meta.db_table, list(meta.local_concrete_fields))
    return sorted(found.items())


def _encode(value, field):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "UUIDField":
        return uuid.UUID(str(value)).hex
    if kind == "BooleanField":
        return bool(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return {"$dt": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, memoryview, bytearray)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (dict, list)):  # a JSON column a driver decoded
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def _decode(value, field, connection):
    if value is None:
        return None
    ops = connection.ops
    if isinstance(value, dict):
        if "$dt" in value:
            parsed = dt.datetime.fromisoformat(value["$dt"])
            if not settings.USE_TZ:
                parsed = parsed.replace(tzinfo=None)
            return ops.adapt_datetimefield_value(parsed)
        if "$d" in value:
            return ops.adapt_datefield_value(dt.date.fromisoformat(value["$d"]))
        if "$t" in value:
            return ops.adapt_timefield_value(dt.time.fromisoformat(value["$t"]))
        if "$dec" in value:
            return decimal.Decimal(value["$dec"])
        if "$b" in value:
            return base64.b64decode(value["$b"])
    kind = field.get_internal_type()
    if kind == "UUIDField":
        return field.get_db_prep_value(uuid.UUID(value), connection)
    if kind == "BooleanField":
        return bool(value)
    return value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(root: Path, prefix: str):
    """(archive name, path) of every entry below root; hidden temporary files and the lock skipped."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        for name in sorted(filenames) + [d for d in dirnames if (base / d).is_symlink()]:
            if name == ".lock" or name.endswith(".tmp") or name.endswith(".lnk"):
                continue
            path = base / name
            yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def applied_migrations(connection) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def create_backup(target: str | os.PathLike, *, using: str = "default", progress: Progress = print) -> dict:
    """Write the archive to `target` (atomically: a temporary file renamed at the end); return the manifest."""
    connection = connections[using]
    target = Path(target)
    tables: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp:
        tmp = Path(tmp)
        (tmp / "db").mkdir()
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":  # one snapshot for every table
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            listed = _tables(connection)
            for number, (table, fields) in enumerate(listed, 1):
                columns = [f.column for f in fields]
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                pk = fields[0].model._meta.pk
                order = connection.ops.quote_name(pk.column) if pk.column in columns else "1"
                count = 0
                with open(tmp / "db" / f"{table}.jsonl", "w", encoding="utf-8") as out, connection.cursor() as cursor:
                    cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY {order}")  # noqa: S608
                    while rows := cursor.fetchmany(CHUNK):
                        for row in rows:
                            out.write(json.dumps([_encode(v, f) for v, f in zip(row, fields)], ensure_ascii=False))
                            out.write("\n")
                        count += len(rows)
                tables[table] = {"rows": count, "columns": columns}
                progress(f"数据表 {number}/{len(listed)}：{table}（{count} 行）")
            migrations = applied_migrations(connection)
        files, links = {}, {}
        entries = list(_walk(Path(settings.MEDIA_ROOT), "media")) + list(_walk(Path(settings.PUBLISH_ROOT), "publish"))
        for name, path in entries:
            if path.is_symlink():
                links[name] = os.readlink(path)
            elif path.is_file():
                files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        progress(f"文件：{len(files)} 个，符号链接 {len(links)} 个")
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": connection.vendor, "migrations": migrations, "tables": tables,
            "files": files, "symlinks": links, "key_check": key_check(),
        }
        partial = target.parent / f".{target.name}.{os.getpid()}.part"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                tar.add(tmp / "db", arcname="db", recursive=True)
                for name, path in entries:
                    if name in files or name in links:
                        tar.add(path, arcname=name, recursive=False)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    progress(f"备份完成：{target}（{target.stat().st_size // 1024} KB）")
    return manifest


# --- Restore ------------------------------------------------------------------------------

FOREIGN = "不是 Gongkai 备份文件（缺少 manifest.json 或格式标识不符）。请确认文件来源，使用 gongkai backup 生成的 .tar.gz 文件。"


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (KeyError, AttributeError, ValueError, UnicodeError):
        raise BackupError(FOREIGN) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(FOREIGN)
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份文件格式版本为 {manifest.get('version')}，本系统只能恢复第 {VERSION} 版。请使用相应版本的 Gongkai 恢复。")
    return manifest


def database_has_data(using: str = "default") -> bool:
    """True when the installation already holds data of its own (users, agencies, audit events)."""
    models = (get_user_model(), apps.get_model("agencies", "Agency"), apps.get_model("audit", "AuditEvent"))
    return any(m.objects.using(using).exists() for m in models)


def _safe_name(name: str, prefix: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] != prefix:
        return None
    return PurePosixPath(*path.parts[1:]) if len(path.parts) > 1 else None


def _check_archive(tar: tarfile.TarFile, manifest: dict, progress: Progress) -> None:
    """Every table file and every file is there with the recorded row count / checksum."""
    corrupt = "备份文件已损坏：{}。请换用另一份备份。"
    for table, meta in manifest["tables"].items():
        try:
            fh = tar.extractfile(f"db/{table}.jsonl")
        except KeyError:
            raise BackupError(corrupt.format(f"缺少数据表 {table}")) from None
        count = sum(1 for _ in fh)
        if count != meta["rows"]:
            raise BackupError(corrupt.format(f"数据表 {table} 应有 {meta['rows']} 行，实有 {count} 行"))
    for name, meta in manifest["files"].items():
        try:
            fh = tar.extractfile(name)
        except KeyError:
            raise BackupError(corrupt.format(f"缺少文件 {name}")) from None
        digest = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
        if digest.hexdigest() != meta["sha256"]:
            raise BackupError(corrupt.format(f"文件 {name} 的校验值不符"))
    progress(f"备份文件校验通过：{len(manifest['tables'])} 个数据表，{len(manifest['files'])} 个文件")


def _load_database(tar, manifest, using: str, progress: Progress) -> None:
    connection = connections[using]
    current = dict(_tables(connection))
    missing = sorted(set(manifest["tables"]) - set(current))
    if missing:
        raise BackupError(f"本系统没有备份中的数据表：{'、'.join(missing[:5])}。请使用与备份时相同版本的 Gongkai 恢复。")
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # TRUNCATE refuses tables with pending deferred checks
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in connection.ops.sql_flush(no_style(), list(current), reset_sequences=False, allow_cascade=True):
                cursor.execute(sql)
            if connection.vendor == "postgresql":  # rows go in table by table; keys are checked at the end
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for number, (table, meta) in enumerate(sorted(manifest["tables"].items()), 1):
            by_column = {f.column: f for f in current[table]}
            unknown = [c for c in meta["columns"] if c not in by_column]
            if unknown:
                raise BackupError(f"数据表 {table} 的列 {'、'.join(unknown)} 在本系统中不存在。请使用与备份时相同版本的 Gongkai 恢复。")
            fields = [by_column[c] for c in meta["columns"]]
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
                connection.ops.quote_name(table), ", ".join(connection.ops.quote_name(c) for c in meta["columns"]),
                ", ".join(["%s"] * len(fields)))
            batch = []
            with connection.cursor() as cursor:
                for line in tar.extractfile(f"db/{table}.jsonl"):
                    row = json.loads(line)
                    batch.append([_decode(v, f, connection) for v, f in zip(row, fields)])
                    if len(batch) >= CHUNK:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
            progress(f"恢复数据表 {number}/{len(manifest['tables'])}：{table}（{meta['rows']} 行）")
        connection.check_constraints(table_names=list(manifest["tables"]))  # every foreign key resolves
        models = {f.model for fields in current.values() for f in fields[:1]}
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), sorted(models, key=lambda m: m._meta.db_table)):
                cursor.execute(sql)


def _restore_files(tar, manifest, progress: Progress) -> None:
    roots = {"media": Path(settings.MEDIA_ROOT), "publish": Path(settings.PUBLISH_ROOT)}
    publish = roots["publish"]
    if publish.is_dir():  # the static site is replaced, not merged
        for child in publish.iterdir():
            if child.name == ".lock":
                continue
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for prefix, root in roots.items():
        root.mkdir(parents=True, exist_ok=True)
    for name in manifest["files"]:
        prefix = name.split("/", 1)[0]
        rel = _safe_name(name, prefix) if prefix in roots else None
        if rel is None:
            raise BackupError(f"备份中的文件名“{name}”不安全，已拒绝恢复。")
        target = roots[prefix].joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(name) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    for name, link in manifest["symlinks"].items():
        prefix = name.split("/", 1)[0]
        rel = _safe_name(name, prefix) if prefix in roots else None
        if rel is None or os.path.isabs(link):
            raise BackupError(f"备份中的链接“{name}”不安全，已拒绝恢复。")
        target = roots[prefix].joinpath(*rel.parts)
        resolved = os.path.normpath(os.path.join(target.parent, link))
        if not resolved.startswith(str(roots[prefix]) + os.sep):
            raise BackupError(f"备份中的链接“{name}”指向备份目录之外，已拒绝恢复。")
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        os.symlink(link, target)
    progress(f"恢复文件：{len(manifest['files'])} 个，符号链接 {len(manifest['symlinks'])} 个")


def restore_backup(source: str | os.PathLike, *, force: bool = False, using: str = "default",
                   progress: Progress = print) -> dict:
    """Bring this (migrated) installation to the state in the archive; return the manifest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"找不到备份文件“{source}”，请检查路径。")
    try:
        tar = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError(f"“{source}”无法作为 tar.gz 打开：文件已损坏或不是 Gongkai 备份。请换用 gongkai backup 生成的文件。") from None
    with tar:
        try:
            manifest = read_manifest(tar)
            if manifest.get("key_check", "") != key_check():
                raise BackupError(
                    "备份时使用的个人信息加密密钥（GONGKAI_FIELD_KEY）与本系统当前配置的不同，恢复后加密的个人信息将无法解密，已拒绝恢复。"
                    "请把 GONGKAI_FIELD_KEY 设为备份时的密钥后重试。")
            mine = applied_migrations(connections[using])
            if manifest["migrations"] != mine:
                theirs = set(manifest["migrations"])
                differ = sorted(theirs ^ set(mine))[:5]
                raise BackupError("备份的数据库结构与本系统不一致（迁移不同：" + "、".join(differ) + "）。"
                                  "请先运行 gongkai migrate，并使用与备份时相同版本的 Gongkai 恢复。")
            if not force and database_has_data(using):
                raise BackupError("本系统的数据库中已有数据（用户、机构或审计记录）。恢复会覆盖全部现有数据；"
                                  "确需覆盖请加 --force，否则请在新安装（已迁移、无数据）的系统上恢复。")
            _check_archive(tar, manifest, progress)
            _load_database(tar, manifest, using, progress)
            _restore_files(tar, manifest, progress)
        except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise BackupError(f"备份文件已损坏，无法读取（{type(exc).__name__}）。请换用另一份备份。") from None

    ContentType.objects.clear_cache()
    return manifest
