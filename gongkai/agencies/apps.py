from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    label = "agencies"
    verbose_name = "机构与人员"
    default_auto_field = "django.db.models.BigAutoField"
