"""Encryption of personal data at rest and keyed hashes to find it (《个人信息保护法》第五十一条).

One master key (setting `GONGKAI_FIELD_KEY`: 32 random bytes, URL-safe base64, the
format of `Fernet.generate_key()`) comes from the environment, never from the repository.
Two keys are derived from it with HKDF-SHA256, one per purpose:

* AES-256-GCM encrypts a value; the stored text is ``gk1$`` + base64(nonce ‖ ciphertext),
  so a fresh nonce makes two encryptions of one value differ;
* HMAC-SHA256 makes a "blind index" of a normalised value (an ID number, a phone), so
  exact look-ups (staff search, grouping one applicant's applications) need no decryption
  and the stored hash reveals nothing without the key.

A missing or malformed key is reported in Chinese by the system check below (at start-up)
and by `FieldKeyError` when used; data that the key cannot decrypt raises
`FieldDecryptError`, never garbage.

Command line (used by `make run` to create the demo's key once):
    python -m gongkai.core.crypto genkey var/field.key
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import sys
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.checks import Error, register

PREFIX = "gk1$"
NONCE_BYTES = 12
KEY_HELP = ("请设置环境变量 GONGKAI_FIELD_KEY 为32字节随机密钥的 URL 安全 Base64 编码（44个字符），"
            "可用 `python -m gongkai.core.crypto genkey 文件名` 生成；密钥丢失则已加密的个人信息无法恢复，请妥善备份。")


class FieldKeyError(RuntimeError):
    """The field key is missing or malformed (message in Chinese)."""


class FieldDecryptError(RuntimeError):
    """A stored value cannot be decrypted with the configured key (message in Chinese)."""


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def key_problem(raw: str | None) -> str | None:
    """Why `raw` is not a usable field key, in Chinese; None when it is fine."""
    if not raw:
        return "未配置个人信息加密密钥（GONGKAI_FIELD_KEY）。" + KEY_HELP
    try:
        decoded = base64.urlsafe_b64decode(raw.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "个人信息加密密钥 GONGKAI_FIELD_KEY 不是有效的 Base64 文本。" + KEY_HELP
    if len(decoded) != 32:
        return f"个人信息加密密钥 GONGKAI_FIELD_KEY 解码后为{len(decoded)}字节，应为32字节。" + KEY_HELP
    return None


@lru_cache(maxsize=8)
def _derived(raw: str) -> tuple[bytes, bytes]:
    problem = key_problem(raw)
    if problem:
        raise FieldKeyError(problem)
    master = base64.urlsafe_b64decode(raw.strip().encode("ascii"))

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    return derive(b"gongkai field encryption v1"), derive(b"gongkai blind index v1")


def _keys() -> tuple[bytes, bytes]:
    return _derived(getattr(settings, "GONGKAI_FIELD_KEY", "") or "")


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(value: str) -> str:
    enc_key, _ = _keys()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(enc_key).encrypt(nonce, value.encode("utf-8"), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not is_encrypted(token):
        raise FieldDecryptError("数据库中的个人信息字段不是加密格式（可能是未执行加密迁移的旧数据），"
                                "请运行 `python manage.py migrate` 完成加密后再使用。")
    enc_key, _ = _keys()
    try:
        blob = base64.urlsafe_b64decode(token[len(PREFIX):].encode("ascii"))
        return AESGCM(enc_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None).decode("utf-8")
    except (InvalidTag, ValueError, binascii.Error):
        raise FieldDecryptError("无法解密数据库中的个人信息：当前的 GONGKAI_FIELD_KEY 与加密时使用的密钥不一致，"
                                "请恢复原来的密钥（不要生成新密钥）。") from None


def blind_index(value: str, purpose: str) -> str:
    """Hex HMAC-SHA256 of an already normalised value; `purpose` keeps kinds apart."""
    _, mac_key = _keys()
    return hmac.new(mac_key, f"{purpose}\x1f{value}".encode("utf-8"), hashlib.sha256).hexdigest()


def _register_check() -> None:
    @register()
    def check_field_key(app_configs, **kwargs):
        problem = key_problem(getattr(settings, "GONGKAI_FIELD_KEY", "") or "")
        return [Error(problem, id="gongkai.E010")] if problem else []


_register_check()


def _genkey(path: str) -> int:
    """Write a new key to `path` (mode 0600) unless the file already exists."""
    if os.path.exists(path):
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(generate_key() + "\n")
    print(f"已生成个人信息加密密钥 {path}（请备份；丢失后已加密的数据无法恢复）。")
    return 0


if __name__ == "__main__":  # pragma: no cover - command line
    if len(sys.argv) == 3 and sys.argv[1] == "genkey":
        sys.exit(_genkey(sys.argv[2]))
    print("用法：python -m gongkai.core.crypto genkey 文件名", file=sys.stderr)
    sys.exit(2)
