"""Sent after a year's holiday arrangement is loaded, changed or removed (after commit).

Apps whose stored cases have deadlines connect a receiver that calls their own
recompute action (e.g. applications recompute every open case).
"""

from django.dispatch import Signal

calendar_year_changed = Signal()  # kwargs: year (int), actor (user or None)
