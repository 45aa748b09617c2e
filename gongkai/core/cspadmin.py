"""The Wagtail admin under a Content-Security-Policy without 'unsafe-inline' for scripts.

Wagtail 8 still writes a few initialisers as inline <script> (chooser widgets, date and
time pickers, inline panels). Each is rewritten as an inert placeholder,
`<script type="application/json" data-gk-init="..." data-...>`, run by one external file,
`gongkai/csp-init.js` (loaded on every admin page by wagtail_hooks.py), once the page has
loaded and whenever Wagtail inserts new ones. The templates live in gongkai/core/templates/wagtailadmin/
(gongkai.core comes first in INSTALLED_APPS, so they win for both the page and the form
renderer); the chooser widgets, which build their script in Python, are patched here.
A browser test (tests/security/test_web_hardening_browser.py) fails on any CSP violation.
"""

from __future__ import annotations

import json

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

SCRIPT = "gongkai/csp-init.js"


def init_script(kind: str, **data) -> str:
    """An inert `<script type=application/json data-gk-init=kind data-...>`; dict/list values as JSON."""
    attrs = "".join(
        format_html(' data-{}="{}"', name.replace("_", "-"),
                    json.dumps(value) if isinstance(value, (dict, list)) else value)
        for name, value in data.items()
    )
    return format_html('<script type="application/json" data-gk-init="{}"{}></script>', kind, mark_safe(attrs))


def script_tag() -> str:
    return format_html('<script src="{}"></script>', static(SCRIPT))


def patch_choosers() -> None:
    if getattr(BaseChooser, "_gongkai_csp", False):
        return
    standard_js_init = BaseChooser.render_js_init

    def render(self, name, value, attrs=None, renderer=None):
        try:
            id_ = attrs["id"]
        except (KeyError, TypeError) as e:
            raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
        value_data = self.get_value_data(value)
        widget_html = self.render_html(name, value_data, attrs)
        if isinstance(self, AdminTaskChooser):
            script = init_script("task-chooser", id=id_)
        elif type(self).render_js_init is standard_js_init:
            script = init_script("chooser", js_class=self.js_constructor, id=id_,
                                 options=self.get_js_init_options(id_, name, value_data))
        else:  # an initialiser we do not know: keep Wagtail's (the browser test reports it)
            script = format_html("<script>{}</script>", mark_safe(self.render_js_init(id_, name, value_data)))
        return mark_safe(widget_html + script)  # noqa: S308 - widget_html is Wagtail's own escaped markup

    BaseChooser.render = render
    BaseChooser._gongkai_csp = True
