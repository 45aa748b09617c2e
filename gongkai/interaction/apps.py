from django.apps import AppConfig

from gongkai.agencies.roles import ROLE_PERMISSIONS, Role


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "互动交流"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        handling = {
            "interaction.view_message", "interaction.add_message", "interaction.change_message",
            "interaction.view_department", "interaction.add_department", "interaction.change_department",
            "interaction.view_messagesettings",
        }
        ROLE_PERMISSIONS[Role.MESSAGE_HANDLER].update(handling)
        ROLE_PERMISSIONS[Role.OFFICE_HEAD].update(
            handling | {"interaction.add_messagesettings", "interaction.change_messagesettings"}
        )
        # The supervising office reads counts and masked texts, never personal data.
        ROLE_PERMISSIONS[Role.SUPERVISOR].update(
            {"interaction.view_message", "interaction.view_department", "interaction.view_messagesettings"}
        )
        ROLE_PERMISSIONS[Role.SYSADMIN].update(
            {"interaction.view_department", "interaction.view_messagesettings"}
        )
