"""State changes of the self-inspection: one action per verb (see `gongkai.core.domain`)."""

from .daily import inspection_record

__all__ = ["inspection_record"]
