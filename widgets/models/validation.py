"""Input validation shared by every model.

Every public model function checks its inputs with these helpers, so that bad input
raises ``ValueError`` naming the parameter and its valid range, never a NaN, a hang or a
silent clamp. Models declare their ranges as :class:`ValidRange` constants; panels build
their sliders from the same constants, so a panel cannot produce an invalid value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np


@dataclass(frozen=True)
class ValidRange:
    """A closed interval ``[low, high]`` with its unit and a default (normal) value."""

    low: float
    high: float
    unit: str = ""
    default: float | None = None

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"[{self.low:g}, {self.high:g}]{unit}"


def _as_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def require_finite(**named) -> None:
    """Raise ValueError unless every keyword value is a finite real number."""
    for name, value in named.items():
        _as_float(name, value)


def require_positive(**named) -> None:
    """Raise ValueError unless every keyword value is a finite number > 0."""
    for name, value in named.items():
        v = _as_float(name, value)
        if v <= 0:
            raise ValueError(f"{name} must be > 0 (valid range (0, inf)), got {v!r}")


def require_range(name: str, value, valid: ValidRange | tuple[float, float]) -> float:
    """Return ``value`` as float, or raise ValueError naming ``name`` and its valid range."""
    if not isinstance(valid, ValidRange):
        valid = ValidRange(*valid)
    v = _as_float(name, value)
    if not (valid.low <= v <= valid.high):
        raise ValueError(f"{name} must be in {valid.describe()}, got {v!r}")
    return v


def require_array_finite(name: str, values) -> np.ndarray:
    """Return ``values`` as a float array, or raise ValueError if any entry is not finite."""
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr
