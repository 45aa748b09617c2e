"""The one Content-Security-Policy of the platform, as data (no Django import).

Used by settings.CONTENT_SECURITY_POLICY (django-csp, dynamic pages: adds a nonce when a
template asks for one), by gongkai/portal/serving.py for published files, and by the
generated deploy/nginx.conf (gongkai/portal/nginx.py). Nothing is loaded from another
host; no inline script runs (ours are files; the Wagtail admin's are rewritten by
gongkai/core/cspadmin.py); inline *style* stays allowed because the Wagtail admin and
Draftail set style attributes from script. frame-ancestors replaces X-Frame-Options.
"""

from __future__ import annotations

from csp.constants import NONCE, NONE, SELF

DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "media-src": [SELF],
    "frame-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}


def static_policy() -> str:
    """The header value for a response that carries no nonce (published files, nginx)."""
    return "; ".join(
        " ".join([name] + [v for v in values if v is not NONCE]) for name, values in DIRECTIVES.items()
    )
