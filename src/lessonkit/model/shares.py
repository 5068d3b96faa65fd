"""Shares: one part as a percentage of a whole, for the share figures and calculators."""

from __future__ import annotations

from lessonkit.model.data import Fact


def share_percent(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (ValueError unless the whole is positive and the part is not negative)."""
    if whole <= 0:
        raise ValueError("the whole must be positive")
    if part < 0:
        raise ValueError("the part cannot be negative")
    return 100 * part / whole


def fact_share(part: Fact, whole: Fact) -> tuple[float, float, float]:
    """(low, central, high) of ``part`` as a percentage of ``whole``'s value (the same three for a single figure)."""
    total = whole.central
    low = float(part.low) if part.low is not None else part.central
    high = float(part.high) if part.high is not None else part.central
    return share_percent(low, total), share_percent(part.central, total), share_percent(high, total)


def percent_text(value: float) -> str:
    """'41.4%' (one decimal), '0.8%', '100%'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"
