"""Staff pages for data: the ticket import (upload) and the statistics page."""

from __future__ import annotations

from .admin_views import StaffView


class ImportView(StaffView):
    template_name = "interaction/admin/import.html"
    page_title = "导入工单"
    permission = "interaction.add_message"


class StatsView(StaffView):
    template_name = "interaction/admin/stats.html"
    page_title = "留言统计"
