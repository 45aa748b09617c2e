"""State changes of the self-inspection: one action per verb (see `gongkai.core.domain`).

`daily`: keep a day's inspection result; `newmedia`: the agency's 政务新媒体 accounts.
"""

from .daily import inspection_record
from .newmedia import newmedia_create, newmedia_read_feed, newmedia_record_update, newmedia_update

__all__ = ["inspection_record", "newmedia_create", "newmedia_read_feed", "newmedia_record_update", "newmedia_update"]
