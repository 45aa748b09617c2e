from django.apps import AppConfig

from gongkai.agencies.roles import ROLE_PERMISSIONS, Role


class InspectionConfig(AppConfig):
    name = "gongkai.inspection"
    label = "inspection"
    verbose_name = "网站自查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        own = {"inspection.view_siteinspection", "inspection.view_newmediaaccount"}
        manage = {"inspection.add_newmediaaccount", "inspection.change_newmediaaccount"}
        ROLE_PERMISSIONS[Role.OFFICE_HEAD].update(own | manage)
        ROLE_PERMISSIONS[Role.EDITOR].update(own | manage)
        ROLE_PERMISSIONS[Role.MESSAGE_HANDLER].update(own)
        ROLE_PERMISSIONS[Role.SUPERVISOR].update(own)
