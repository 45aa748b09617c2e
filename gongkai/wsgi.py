"""WSGI entry point. Refuses to start with unsafe production settings, and says why."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from gongkai.core.environment import document_problems, unsafe_settings  # noqa: E402

_problems = unsafe_settings(settings.DEBUG, settings.SECRET_KEY, settings.DEV_SECRET_KEY, settings.ALLOWED_HOSTS)
if _problems:
    raise ImproperlyConfigured("拒绝启动 (refusing to start): " + " ".join(_problems))
for _message in document_problems():
    print(f"警告 (warning): {_message}", file=sys.stderr)

from django.core.wsgi import get_wsgi_application  # noqa: E402

from gongkai.portal.serving import StaticPublishApp  # noqa: E402

# Published pages are answered from the publish directory; everything else by Django.
application = StaticPublishApp(get_wsgi_application())
