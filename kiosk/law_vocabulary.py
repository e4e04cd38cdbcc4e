"""The vocabulary of law records, declared once: levels (效力级别) and statuses (时效性).

They are stored in the content database (``Law.level``, ``Law.status``) and carried by the sync
packages, and every layer reads them: the importers set them, the search engine indexes and weighs
them, the services sort and explain them, the screens badge them. So they live here, in a foundation
module below every layer (like ``kiosk.paths``), as the plain strings the data holds. Tables that
give a level or a status a weight, a code or a colour stay with their users, keyed by these names.
"""

from __future__ import annotations

# --- Levels, from the top of the hierarchy down ---------------------------------------------------

CONSTITUTION = "宪法"
LAW = "法律"
ADMINISTRATIVE_REGULATION = "行政法规"
JUDICIAL_INTERPRETATION = "司法解释"
DEPARTMENTAL_RULE = "部门规章"
LOCAL_REGULATION = "地方性法规"
OTHER_LEVEL = "其他"

LAW_LEVELS = (
    CONSTITUTION,
    LAW,
    ADMINISTRATIVE_REGULATION,
    JUDICIAL_INTERPRETATION,
    DEPARTMENTAL_RULE,
    LOCAL_REGULATION,
    OTHER_LEVEL,
)
#: Made nationally: every level but the local regulations.
NATIONAL_LEVELS = tuple(level for level in LAW_LEVELS if level != LOCAL_REGULATION)

# --- Statuses ---------------------------------------------------------------------------------------

IN_FORCE = "现行有效"
AMENDED = "已修改"
REPEALED = "已废止"
NOT_YET_IN_FORCE = "尚未生效"

LAW_STATUSES = (IN_FORCE, AMENDED, REPEALED, NOT_YET_IN_FORCE)
#: What a resident gets unless they ask for more: the law that applies now, or soon.
IN_FORCE_STATUSES = (IN_FORCE, NOT_YET_IN_FORCE)
