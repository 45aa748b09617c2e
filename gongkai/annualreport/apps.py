from django.apps import AppConfig

from gongkai.agencies.roles import ROLE_PERMISSIONS, Role


class AnnualReportConfig(AppConfig):
    name = "gongkai.annualreport"
    label = "annualreport"
    verbose_name = "政府信息公开工作年度报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        models = ("annualreport", "reportrevision", "activefigure", "previousyearreport", "warningexplanation")
        view = {f"annualreport.view_{m}" for m in models}
        change = {f"annualreport.{verb}_{m}" for m in models for verb in ("add", "change")}
        for role in (Role.OFFICE_HEAD, Role.APPLICATION_OFFICER, Role.EDITOR):
            ROLE_PERMISSIONS[role].update(view | change)
        ROLE_PERMISSIONS[Role.SUPERVISOR].update(view)
        ROLE_PERMISSIONS[Role.SYSADMIN].update(view)
