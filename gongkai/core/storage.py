"""Where private files live (writers' attachments, a case's release files): outside MEDIA_ROOT.

The web server never serves them; staff (and, for released files, the applicant through a
signed short-lived link) download them through views that check who asks.
The location is read from settings at use time (``GONGKAI_PRIVATE_ROOT``, default
``var/private``), so tests can point it at a temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return Path(getattr(settings, "GONGKAI_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # never public
        raise ValueError("非公开文件没有网址。")


private_storage = PrivateStorage()
