from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "平台"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # system checks are registered in ready() (Django idiom)
        from . import checks  # noqa: F401  (registers system checks)
        # app registry: cspadmin imports Wagtail's chooser widgets, which import models
        from .cspadmin import patch_choosers

        patch_choosers()  # Wagtail's chooser widgets without inline script (Content-Security-Policy)
