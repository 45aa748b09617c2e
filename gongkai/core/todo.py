"""今日待办: one panel per app on the admin's start page, each item linking to the screen that settles it.

Each app registers its panel with Wagtail's `construct_homepage_panels` hook and fills it
from its own selectors (applications: steps the system took by itself that no handler has
read yet, and cases overdue or due within 3 working days;
interaction: messages past 3 months, overdue or near their limit, and waiting for triage;
annualreport: the report's state and the days left to its deadline). An item a person must
act on today is `urgent` (shown in red). A supervising office's items name their agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.admin.ui.components import Component


@dataclass
class TodoItem:
    text: str
    url: str
    urgent: bool = False
    agency: str = ""  # shown when the panel spans several agencies


@dataclass
class TodoPanel(Component):
    name: str
    heading: str
    items: list[TodoItem] = field(default_factory=list)
    empty: str = "今天没有待办事项。"
    more_url: str = ""
    more_text: str = ""
    order: int = 50
    limit: int = 8

    template_name = "core/admin/todo_panel.html"

    def get_context_data(self, parent_context=None):
        return {"panel": self, "shown": self.items[:self.limit], "hidden": max(0, len(self.items) - self.limit),
                "urgent": sum(1 for item in self.items if item.urgent)}
