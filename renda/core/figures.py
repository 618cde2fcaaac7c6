"""Rates as the statistics pages and reports show them: one decimal, rounded half up, "—" when there
is nothing to divide (shared by the opinions' and the suggestions' figures)."""

from decimal import ROUND_HALF_UP, Decimal

PERCENT = Decimal("0.1")
DASH = "—"


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage with one decimal (half up); None when nothing to divide.

    0 answered → None (shown "—"), never a division by zero. A numerator outside 0..denominator is a
    bug in the caller's counting and raises ValueError rather than showing 120%.
    """
    if not denominator:
        return None
    if denominator < 0 or numerator < 0 or numerator > denominator:
        raise ValueError(f"rate({numerator}, {denominator}): numerator must be within 0..denominator")
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    return DASH if value is None else f"{value}%"


def average(total: int, n: int) -> Decimal | None:
    """total / n with one decimal (half up); None when n is 0."""
    if not n:
        return None
    if n < 0 or total < 0:
        raise ValueError(f"average({total}, {n}): negative input")
    return (Decimal(total) / Decimal(n)).quantize(PERCENT, rounding=ROUND_HALF_UP)
