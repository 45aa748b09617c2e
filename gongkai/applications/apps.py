from django.apps import AppConfig

from gongkai.agencies.roles import ROLE_PERMISSIONS, Role
from gongkai.calendars.signals import calendar_year_changed


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # app registry: the receivers import the actions and their models
        from .receivers import on_calendar_year_changed

        # Cases change only through the case pages (actions); the record lists are read-only.
        officer = {f"applications.view_{m}" for m in ("application", "applicant", "reconsideration", "litigation")}
        officer |= {"applications.add_application", "applications.change_application"}
        ROLE_PERMISSIONS[Role.APPLICATION_OFFICER].update(officer)
        ROLE_PERMISSIONS[Role.OFFICE_HEAD].update(officer)
        ROLE_PERMISSIONS[Role.SUPERVISOR].update(
            {f"applications.view_{m}" for m in ("application", "applicant", "reconsideration", "litigation")}
        )
        ROLE_PERMISSIONS[Role.SYSADMIN].update(
            {f"applications.{verb}_{m}" for verb in ("view", "add", "change") for m in ("lettertemplate", "letternumberpattern")}
        )
        # The head of the disclosure office sets the agency's 文号 patterns.
        ROLE_PERMISSIONS[Role.OFFICE_HEAD].update(
            {f"applications.{verb}_letternumberpattern" for verb in ("view", "add", "change")}
        )
        calendar_year_changed.connect(on_calendar_year_changed, dispatch_uid="applications.recompute")
