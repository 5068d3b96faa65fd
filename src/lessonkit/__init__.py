"""lessonkit: sourced data, figures, maps, quizzes and prompts for the 1917 lessons.

The public API is small and imported lazily, so ``import lessonkit`` is cheap:

- ``Lesson(id)`` — the lesson's header, timeline, claim checks, quiz, prompts, sources
- ``show(fig)`` — display a figure with its text alternative
- ``dataset()`` / ``load_dataset(path)`` — validated facts, events, places and sources
- ``DataError`` — the one error a malformed data file raises
- ``DualDate``, ``dual(text)``, ``calendar_converter()`` — both calendars
- ``estimates_figure``, ``quantity_figure``, ``timeline_figure`` — figure builders
- ``RotationCalculator`` — the Red Guard calculator (lesson 07)
- ``europe_1914``, ``world_map``, ``petrograd_map``, ``route_map``, ``InsurrectionMap`` — offline maps
- ``TimelineExplorer`` — a timeline with an Old Style / New Style toggle and filters
- lesson centrepieces: ``PowerExplorer`` (01), ``ShareExplorer`` (02), ``FebruaryDays`` (03),
  ``DualPowerExplorer`` (04), ``PartyComparison`` (05),
  ``date_check_figure`` (08), ``share_figure`` (06, 08), ``MatchingActivity`` (09), ``ClaimBuilder`` (10)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from lessonkit._version import __version__ as __version__  # written once, in _version.py

_EXPORTS = {
    "Lesson": "lessonkit.lesson",
    "Bundle": "lessonkit.lesson",
    "show": "lessonkit.render.alt",
    "TextAlternative": "lessonkit.render.alt",
    "dataset": "lessonkit.model.data",
    "load_dataset": "lessonkit.model.data",
    "DataError": "lessonkit.model.schema",
    "DualDate": "lessonkit.model.calendar",
    "dual": "lessonkit.model.calendar",
    "calendar_converter": "lessonkit.widgets.converter",
    "estimates_figure": "lessonkit.render.figures",
    "quantity_figure": "lessonkit.render.figures",
    "timeline_figure": "lessonkit.render.timeline",
    "RotationCalculator": "lessonkit.explorers.calculators",
    "TimelineExplorer": "lessonkit.widgets.timeline_explorer",
    "europe_1914": "lessonkit.render.worldmaps",
    "world_map": "lessonkit.render.worldmaps",
    "petrograd_map": "lessonkit.render.citymap",
    "route_map": "lessonkit.render.worldmaps",
    "InsurrectionMap": "lessonkit.explorers.insurrection",
    "power_figure": "lessonkit.explorers.power",
    "PowerExplorer": "lessonkit.explorers.power",
    "DualPowerExplorer": "lessonkit.explorers.dualpower",
    "PartyComparison": "lessonkit.explorers.parties",
    "date_check_figure": "lessonkit.render.datecheck",
    "share_figure": "lessonkit.explorers.crowds",
    "MatchingActivity": "lessonkit.explorers.matching",
    "ShareExplorer": "lessonkit.explorers.workforce",
    "FebruaryDays": "lessonkit.explorers.february",
    "ClaimBuilder": "lessonkit.explorers.evidence",
    "DiscussionPrompt": "lessonkit.widgets.prompts",
    "Quiz": "lessonkit.widgets.quiz",
    # used by the lessons' own cells (notebooks import nothing but ``lessonkit as lk``)
    "event_year": "lessonkit.render.timeline",
    "offset_days": "lessonkit.model.calendar",
    "days_between": "lessonkit.model.calendar",
    "share_percent": "lessonkit.model.shares",
    "fact_share": "lessonkit.model.shares",
    "disagreements": "lessonkit.explorers.power",
    "load_power_grid": "lessonkit.explorers.power",
    "statements_table": "lessonkit.explorers.power",
    "ISSUES": "lessonkit.explorers.dualpower",
    "issue_facts": "lessonkit.explorers.dualpower",
    "strength_figure": "lessonkit.explorers.parties",
    "KM_PER_MILE": "lessonkit.render.worldmaps",
    "route_km": "lessonkit.render.worldmaps",
    "DateClaim": "lessonkit.render.datecheck",
    "claims_from_quantity": "lessonkit.render.datecheck",
    "claims_from_events": "lessonkit.render.datecheck",
    "month_band": "lessonkit.render.datecheck",
    "spread_days": "lessonkit.render.datecheck",
    "days_apart": "lessonkit.render.datecheck",
    "battalions": "lessonkit.explorers.calculators",
    "rotation": "lessonkit.explorers.calculators",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lessonkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
