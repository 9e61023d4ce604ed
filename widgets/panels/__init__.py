"""ipywidgets panels (controls wired to models and figures) and their static twins.

Every panel and twin is importable from here, e.g. ``from widgets.panels import
electrolyte_panel``; the submodule is imported on first use, so ``import widgets.panels``
stays cheap.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "membrane_panel": "membrane", "membrane_twin": "membrane",
    "action_potential_panel": "action_potential", "action_potential_twin": "action_potential",
    "electrolyte_panel": "electrolytes", "electrolyte_twin": "electrolytes",
    "axon_channels_panel": "axon_channels", "axon_channels_twin": "axon_channels",
    "motor_unit_pool_panel": "motor_units", "motor_unit_pool_twin": "motor_units",
    "twitch_summation_panel": "motor_units", "twitch_summation_twin": "motor_units",
    "emg_panel": "emg", "emg_twin": "emg",
    "exercise_panel": "exercise", "exercise_twin": "exercise",
    "denervation_panel": "denervation", "denervation_twin": "denervation",
    "base_rate_panel": "base_rates", "base_rate_twin": "base_rates",
    "classification_panel": "classify", "classification_twin": "classify",
    "mechanism_panel": "hyperexcitable", "mechanism_twin": "hyperexcitable",
    "generator_panel": "differential", "generator_twin": "differential",
    "evidence_panel": "differential", "evidence_twin": "differential",
    "threshold_tracking_panel": "threshold_tracking",
    "threshold_tracking_twin": "threshold_tracking",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
