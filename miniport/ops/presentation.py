"""How the desk shows numbers: money in yuan, personal numbers masked, days left."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from miniport.core import clock

_SECONDS_PER_DAY = 24 * 3600


def yuan(fen) -> str:
    if fen is None or fen == "":
        return ""
    return f"{Decimal(int(fen)) / 100:.2f}"


def days_left(deadline: datetime | None) -> int | None:
    """Whole days until the deadline, counting a started day as a day; 0 once it passed."""
    if deadline is None:
        return None
    seconds = (deadline - clock.now()).total_seconds()
    if seconds <= 0:
        return 0
    return math.ceil(seconds / _SECONDS_PER_DAY)
