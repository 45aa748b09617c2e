"""Django system checks: production safety (errors) and document dependencies (warnings)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .environment import document_problems, unsafe_settings


@register(Tags.security, deploy=False)
def check_production_settings(app_configs, **kwargs):
    return [
        Error(message, id="gongkai.E001")
        for message in unsafe_settings(settings.DEBUG, settings.SECRET_KEY, settings.DEV_SECRET_KEY,
                                       settings.ALLOWED_HOSTS)
    ]


@register()
def check_document_dependencies(app_configs, **kwargs):
    return [Warning(message, id="gongkai.W001") for message in document_problems()]
