"""Keyset pagination shared by the long lists (opinions, suggestions).

A page is "the N newest rows older than the cursor" on (-submitted_at, -id), so page 1,000 costs
what page 1 costs (an index on (…, -submitted_at, -id) drives it); no OFFSET and no COUNT(*) over
the whole table: the count shown is capped (COUNT over a LIMIT cap+1 subquery).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Cursor:
    submitted_at: datetime.datetime
    id: int

    def encode(self) -> str:
        """"<microseconds since the epoch>_<id>": plain, but validated on the way back in."""
        # Not timestamp(): it goes through a float and can lose the last microsecond.
        delta = self.submitted_at - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micros}_{self.id}"

    @classmethod
    def decode(cls, value) -> "Cursor | None":
        """None for anything that is not a well-formed cursor (the list then starts at page 1)."""
        if not isinstance(value, str) or len(value) > 40:
            return None
        micros, sep, pk = value.partition("_")
        if not sep or not micros.isdigit() or not pk.isdigit():
            return None
        try:
            at = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(microseconds=int(micros))
        except OverflowError:
            return None
        pk = int(pk)
        if pk <= 0 or pk > 2**62:
            return None
        return cls(submitted_at=at, id=pk)

    def older_q(self, field: str = "submitted_at") -> Q:
        """Rows after this cursor in (-field, -id) order."""
        return Q(**{f"{field}__lt": self.submitted_at}) | Q(**{field: self.submitted_at, "id__lt": self.id})


def count_capped(qs: QuerySet, cap: int) -> int:
    """COUNT over at most cap+1 rows (a sliced subquery): cheap at any table size."""
    return qs.order_by().values("pk")[: cap + 1].count()
