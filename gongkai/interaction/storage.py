"""Where writers' attachments live: outside MEDIA_ROOT, so the web server never serves them.

Staff who handle the case download them through a view that checks their role.
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
        raise ValueError("附件不公开，没有网址。")


private_storage = PrivateStorage()
