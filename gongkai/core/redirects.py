"""Wagtail's redirects for the public site only.

Editors' redirects (旧网址 → 新网址) are for visitors of the portal; a 404 inside the admin or
the staff log-in is never an old public address, so it is answered at once instead of
looking up the site and the redirect table (which cost about half of every admin 404).
"""

from __future__ import annotations

from django.conf import settings
from wagtail.contrib.redirects.middleware import RedirectMiddleware

STAFF_PREFIXES = (getattr(settings, "GONGKAI_ADMIN_PREFIX", "/admin/"), "/accounts/")


class PublicRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(STAFF_PREFIXES):
            return response
        return super().process_response(request, response)
