"""Load the admin's CSP-safe initialiser script on every admin page (see cspadmin.py)."""

from wagtail import hooks

from .cspadmin import script_tag


@hooks.register("insert_global_admin_js")
def csp_init_script():
    return script_tag()
