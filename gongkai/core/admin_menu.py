"""Admin menu items shown only to users holding a given permission."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem


class PermMenuItem(MenuItem):
    def __init__(self, *args, perm: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return request.user.has_perm(self.perm)
