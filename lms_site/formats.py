"""Figures as every screen shows them, so one rate reads the same in each panel."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

NONE_YET = "\N{EM DASH}"  # a rate or average with nothing to divide by


def percent(rate: float | Decimal | None) -> str:
    """A rate from 0 to 1 as a whole percentage, halves rounded up (2/3 is 67%, as people round)."""
    if rate is None:
        return NONE_YET
    whole = (Decimal(str(rate)) * 100).quantize(Decimal("1"), ROUND_HALF_UP)
    return f"{number_format(whole, 0)}%"
