"""The hash chain over audit events: canonical content, the hash, and the check of the whole chain.

Each event stores ``seq`` (1, 2, 3, … without gaps), ``prev_hash`` (the previous event's
hash; empty for the first) and ``hash`` = SHA-256 over its canonical content and
``prev_hash``. Editing a stored event changes its hash; deleting one leaves a gap in
``seq`` and a ``prev_hash`` that no longer matches. Migrations use `event_hash`, so the
canonical form must never change (add a version field to the content instead).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FIELDS = ("seq", "at", "agency_id", "actor_id", "actor_label", "action", "subject_type", "subject_id",
          "subject_label", "old", "new", "ip_address", "prev_hash")
PURGE_ACTION = "audit.purge"


def _at(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite without time zone support: stored as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes that are hashed: the event's fields as sorted, compact JSON (UTF-8)."""
    content = {name: values.get(name) for name in FIELDS}
    content["at"] = _at(values["at"])
    content["v"] = 1
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def values_of(event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in FIELDS}


@dataclass(frozen=True)
class Broken:
    event_id: int
    seq: int | None
    reason: str

    def describe(self) -> str:
        return f"第 {self.seq} 号审计记录（数据库编号 {self.event_id}）{self.reason}"


@dataclass(frozen=True)
class Result:
    count: int
    last_seq: int | None
    last_hash: str
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(rows, purge_anchors: dict[int, str]) -> Result:
    """Walk events in ``seq`` order (dicts with FIELDS, ``id`` and ``hash``); stop at the first break.

    ``purge_anchors`` maps the last purged ``seq`` to the hash of that purged event, as
    recorded (in the chain) by each purge: the first remaining event may start there.
    """
    count = 0
    prev_seq: int | None = None
    prev_hash = ""
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq is None or not row["hash"]:
            return Result(count, prev_seq, prev_hash, Broken(row["id"], seq, "没有哈希值（未纳入哈希链）。"))
        if prev_seq is None:
            if seq == 1:
                if row["prev_hash"] != "":
                    return Result(count, prev_seq, prev_hash,
                                  Broken(row["id"], seq, "是第一条记录，但“前一条哈希”不为空，可能被篡改。"))
            elif purge_anchors.get(seq - 1) != row["prev_hash"]:
                return Result(count, prev_seq, prev_hash,
                              Broken(row["id"], seq, f"之前的第 1—{seq - 1} 号记录缺失，且没有相应的到期清理记录，可能被删除。"))
        else:
            if seq != prev_seq + 1:
                missing = f"第 {prev_seq + 1} 号" if seq == prev_seq + 2 else f"第 {prev_seq + 1}—{seq - 1} 号"
                return Result(count, prev_seq, prev_hash,
                              Broken(row["id"], seq, f"之前的{missing}记录缺失，可能被删除。"))
            if row["prev_hash"] != prev_hash:
                return Result(count, prev_seq, prev_hash,
                              Broken(row["id"], seq, "的“前一条哈希”与上一条记录不符，记录可能被删除或替换。"))
        if event_hash(row) != row["hash"]:
            return Result(count, prev_seq, prev_hash,
                          Broken(row["id"], seq, "的内容与其哈希值不符，记录在写入后被修改过。"))
        prev_seq, prev_hash = seq, row["hash"]
    return Result(count, prev_seq, prev_hash, None)
