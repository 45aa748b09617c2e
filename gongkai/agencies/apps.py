from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from .roles import ensure_role_groups


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    label = "agencies"
    verbose_name = "机构与人员"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_refresh_role_groups)


def _refresh_role_groups(sender, app_config=None, **kwargs):
    """Keep each role's group in step with ROLE_PERMISSIONS after every migrate.

    Runs once, after the last app's permissions have been created.
    """
    if app_config is not list(apps.get_app_configs())[-1]:
        return
    ensure_role_groups()
