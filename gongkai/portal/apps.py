from django.apps import AppConfig

from gongkai.agencies.roles import ROLE_PERMISSIONS, Role


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        editing = {
            "wagtailadmin.access_admin",
            "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
            "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        }
        for role in (Role.EDITOR, Role.REVIEWER, Role.CONFIDENTIALITY_REVIEWER, Role.SIGNER, Role.OFFICE_HEAD):
            ROLE_PERMISSIONS[role].update(editing)
        ROLE_PERMISSIONS[Role.SYSADMIN].update({"portal.view_portalsite", "portal.change_portalsite"})
        ROLE_PERMISSIONS[Role.OFFICE_HEAD].update({"portal.view_portalsite", "portal.change_portalsite"})
        ROLE_PERMISSIONS[Role.CONFIDENTIALITY_REVIEWER].update({"portal.view_scankeyword", "portal.add_scankeyword",
                                                                "portal.change_scankeyword", "portal.delete_scankeyword"})
        # app registry: the receivers import models; connecting them is ready()'s job
        from . import receivers  # noqa: F401
