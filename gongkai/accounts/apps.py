from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "登录与安全"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # app registry: the receivers import models; connecting them is ready()'s job
        from . import receivers  # noqa: F401  (login audit)
