"""Start-up checks that do not need Django: unsafe settings, fonts, HarfBuzz subsetting.

Documents depend on two Debian packages whose absence fails silently: without
fonts-noto-cjk every Chinese character prints as a box, and without
libharfbuzz-subset0 WeasyPrint takes ~10 s a page. So we look for both and say so.
"""

from __future__ import annotations

import ctypes.util
import glob
import shutil
import subprocess

APT_LINE = "apt-get install -y fonts-noto-cjk libharfbuzz-subset0"


def unsafe_settings(debug: bool, secret_key: str, dev_key: str, allowed_hosts: list[str]) -> list[str]:
    """Problems that make a production (DEBUG off) start unsafe; empty when fine."""
    problems = []
    if debug:
        return problems
    if not secret_key or secret_key == dev_key:
        problems.append("生产环境（DEBUG=0）不能使用内置的开发密钥：请设置环境变量 SECRET_KEY 为一个随机的长字符串。")
    elif len(secret_key) < 32:
        problems.append("SECRET_KEY 太短：生产环境请使用至少32个字符的随机字符串。")
    if not allowed_hosts:
        problems.append("生产环境（DEBUG=0）必须设置 ALLOWED_HOSTS，例如 ALLOWED_HOSTS=gongkai.example.gov.cn。")
    return problems


def cjk_font_present() -> bool:
    if glob.glob("/usr/share/fonts/opentype/noto/NotoSansCJK*") or glob.glob("/usr/share/fonts/opentype/noto/NotoSerifCJK*"):
        return True
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return False
        return "Noto" in out and "CJK" in out
    return False


def harfbuzz_subset_present() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def document_problems() -> list[str]:
    problems = []
    if not cjk_font_present():
        problems.append(f"未找到中文字体 fonts-noto-cjk：生成的 PDF 中文会显示为方框。请安装：{APT_LINE}")
    if not harfbuzz_subset_present():
        problems.append(f"未找到 libharfbuzz-subset0：生成 PDF 会非常慢（每页约10秒）。请安装：{APT_LINE}")
    return problems
