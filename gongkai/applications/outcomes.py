"""Reply types under the names the applications app used for them; the table is `gongkai.law.replies`.

Nothing is defined here: codes, labels (from the report format's spec.yaml), articles,
letter titles and default bases all live in the legal core. Import from there; these names
remain only until the last callers have switched.
"""

from __future__ import annotations

from gongkai.law.replies import DECISION_REPLY_TYPES as DECISION_OUTCOMES
from gongkai.law.replies import PART_REASONS
from gongkai.law.replies import PETITION as PETITION_OUTCOME
from gongkai.law.replies import REPLY_TYPES as OUTCOMES

__all__ = ["DECISION_OUTCOMES", "OUTCOMES", "PART_REASONS", "PETITION_OUTCOME"]
