"""`gongkai backup -o FILE` and `gongkai restore FILE`: the whole installation in one archive.

Why: an agency must be able to bring its platform back after a disk failure or move it to
another server (等保 8.1.4.9 数据备份恢复). The archive holds the database, the uploads
and the static site, with row counts, checksums and a check value of the personal-data
key, so a damaged archive or a wrong key is refused before anything is overwritten.
Exit codes: 0 done, 1 refused (wrong key, non-empty database, damaged or foreign archive),
2 unusable arguments.
"""

from __future__ import annotations

import sys

from ._django import setup


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="备份：数据库、上传文件、静态网站写入一个文件",
                              description="把数据库、上传的文件（MEDIA_ROOT）和静态网站（PUBLISH_ROOT）备份到一个 .tar.gz 文件。"
                                          "个人信息保持加密状态；请把加密密钥另行妥善保管。")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="备份文件，如 gongkai-20250101.tar.gz")
    p.set_defaults(func=cmd_backup)
    p = subparsers.add_parser("restore", help="从备份文件恢复",
                              description="在新安装（已运行 migrate、尚无数据）的系统上恢复备份。先校验备份文件和加密密钥，再覆盖数据。")
    p.add_argument("file", metavar="FILE", help="gongkai backup 生成的 .tar.gz 文件")
    p.add_argument("--force", action="store_true", help="数据库中已有数据时仍然恢复（覆盖全部现有数据）")
    p.set_defaults(func=cmd_restore)


def _progress(message: str) -> None:
    print(message, flush=True)


def cmd_backup(args) -> int:
    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.core.backup import BackupError, create_backup

    try:
        create_backup(args.output, progress=_progress)
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法写入“{args.output}”（{exc.strerror}）。", file=sys.stderr)
        return 2
    return 0


def cmd_restore(args) -> int:
    setup()
    # CLI before setup(): Django and the apps are imported only once it has run
    from gongkai.core.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(args.file, force=args.force, progress=_progress)
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    after_restore(manifest)
    print("恢复完成。")
    return 0


def after_restore(manifest: dict) -> None:
    """Rebuild what is derived (search indexes) and record the restore in the audit chain."""
    # CLI: called after setup(); Django and the apps are imported only once it has run
    from gongkai.audit.record import record
    from gongkai.portal.search.indexing import reindex_all

    _progress(f"重建检索索引：{reindex_all()} 个页面")
    record("core.backup_restore", actor_label="命令行",
           new={"created_at": manifest.get("created_at"), "database": manifest.get("database"),
                "tables": len(manifest.get("tables", {})), "files": len(manifest.get("files", {}))})
