"""Admin menu items shown only to users holding a given permission, or to the installation's administrators."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem

from gongkai.agencies.scope import is_global


class PermMenuItem(MenuItem):
    def __init__(self, *args, perm: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return request.user.has_perm(self.perm)


class AdministratorMenuItem(MenuItem):
    """Shown to the installation's administrators only (the admin guard refuses such pages to others)."""

    def is_shown(self, request):
        return is_global(request.user)
