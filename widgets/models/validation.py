"""Input validation shared by every model, and the declared valid ranges of the public API.

The promise the engine makes to anyone who calls it (lessons, panels, an instructor's own
notebook): a wrong *value* raises ``ValueError`` naming the parameter and its valid range; a
wrong *type* raises :class:`ArgumentTypeError` (a ``TypeError``, as Python's convention wants,
and also a ``ValueError``, so code that catches the engine's ``ValueError`` for bad input keeps
working) naming the parameter; inside its declared ranges a call returns finite numbers, or
the documented values it declares where a quantity does not exist (``nonfinite``), in
reasonable time; never a silent NaN, inf, clamp or hang.

How a public function keeps it, in one place: it declares each parameter's valid values with
:func:`validated`, which checks every call before the body runs::

    @validated(duration_ms=DURATION_RANGE_ms, seed=Integer(SEED_RANGE),
               conc_out_mM=Optional(Keyed(CONC_OUT_RANGES_mM)))
    def simulate(duration_ms=20.0, seed=0, conc_out_mM=None): ...

Classes declare themselves with :func:`input_type` (a constructor whose arguments are checked)
or :func:`result_type` (records the package builds; their properties are checked by the API
fuzz test). The declarations are data (``__api__``): ``tests/test_api_fuzz.py`` finds every
public function, method and class of :mod:`widgets.models`, draws arguments inside and just
outside the declared ranges and checks the promise; a public function without a declaration
fails that test.

Models also declare their ranges as :class:`ValidRange` constants; panels build their sliders
from the same constants, so a panel cannot produce an invalid value.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real

import numpy as np


class ArgumentTypeError(TypeError, ValueError):
    """A parameter of the wrong type. Both a ``TypeError`` and a ``ValueError``."""


def _short(value, limit: int = 60) -> str:
    """``repr(value)``, shortened (arrays and long strings can be huge)."""
    try:
        text = repr(value)
    except Exception:  # pragma: no cover - a repr that fails
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _is_real(value) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, Real | np.floating | np.integer)


@dataclass(frozen=True)
class ValidRange:
    """A closed interval ``[low, high]`` with its unit and a default (normal) value.

    ``low_open=True`` excludes ``low`` itself: ``(low, high]``. Infinite bounds mean
    "unbounded on that side" (the value itself must still be finite).
    """

    low: float
    high: float
    unit: str = ""
    default: float | None = None
    low_open: bool = field(default=False, kw_only=True)

    def __post_init__(self):
        for attr in ("low", "high"):
            v = getattr(self, attr)
            if not _is_real(v):
                raise ArgumentTypeError(f"ValidRange.{attr} must be a real number, "
                                        f"got {_short(v)}")
            if math.isnan(float(v)):
                raise ValueError(f"ValidRange.{attr} must not be NaN")
        if not self.low <= self.high:
            raise ValueError(f"ValidRange needs low <= high, got low={self.low!r}, "
                             f"high={self.high!r}")
        if not isinstance(self.unit, str):
            raise ArgumentTypeError(f"ValidRange.unit must be a str, got {_short(self.unit)}")
        if self.default is not None:
            if not _is_real(self.default) or not math.isfinite(float(self.default)):
                raise ValueError(f"ValidRange.default must be a finite real number or None, "
                                 f"got {_short(self.default)}")
            if not self.contains(self.default):
                raise ValueError(f"ValidRange.default {self.default!r} is outside "
                                 f"{self.describe()}")

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if math.isinf(self.low) and math.isinf(self.high):
            return f"any finite number{unit}"
        opening = "(" if self.low_open else "["
        return f"{opening}{_number(self.low)}, {_number(self.high)}]{unit}"

    def contains(self, value) -> bool:
        """True if the (finite) number ``value`` lies in the range."""
        above = value > self.low if self.low_open else value >= self.low
        return bool(above and value <= self.high)

    def check(self, name: str, value, arguments=None) -> float:
        """``value`` as a float, or ValueError naming ``name`` and this range."""
        return require_range(name, value, self)


def _number(x) -> str:
    """A bound as people write it: whole numbers in full (4294967295), others as ``:g``."""
    if math.isfinite(x) and float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


#: Any finite real number (no other bound).
ANY_FINITE = ValidRange(-math.inf, math.inf)


def _as_float(name: str, value, valid: ValidRange | None = None) -> float:
    if type(value) is float and math.isfinite(value):  # the common case, fast
        return value
    where = f" in {valid.describe()}" if valid is not None else ""
    finite = f"finite and in {valid.describe()}" if valid is not None else "finite"
    if not _is_real(value):
        raise ArgumentTypeError(f"{name} must be a real number{where}, got {_short(value)}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be {finite}, got {_short(value)} (too large)") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be {finite}, got {v!r}")
    return v


def require_finite(**named) -> None:
    """Raise ValueError unless every keyword value is a finite real number."""
    for name, value in named.items():
        _as_float(name, value)


def require_positive(**named) -> None:
    """Raise ValueError unless every keyword value is a finite number > 0."""
    positive = ValidRange(0.0, math.inf, low_open=True)
    for name, value in named.items():
        v = _as_float(name, value, positive)
        if v <= 0:
            raise ValueError(f"{name} must be > 0 (valid range (0, inf)), got {v!r}")


def require_range(name: str, value, valid: ValidRange | tuple[float, float]) -> float:
    """Return ``value`` as float, or raise ValueError naming ``name`` and its valid range."""
    if not isinstance(valid, ValidRange):
        valid = ValidRange(*valid)
    v = _as_float(name, value, valid)
    if not valid.contains(v):
        raise ValueError(f"{name} must be in {valid.describe()}, got {v!r}")
    return v


def require_int(name: str, value, valid: ValidRange | tuple[float, float]) -> int:
    """Return ``value`` as int, or raise ValueError naming ``name`` and its valid range.

    Accepts Python and numpy integers and integral floats (``3.0``); rejects bools,
    fractions, non-finite numbers and integers of any size outside the range (compared
    exactly, so ``10**400`` is a ValueError, not an ``OverflowError``).
    """
    if not isinstance(valid, ValidRange):
        valid = ValidRange(*valid)
    where = f"an integer in {valid.describe()}"
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool | np.bool_) or not _is_real(value):
        raise ArgumentTypeError(f"{name} must be {where}, got {_short(value)}")
    if isinstance(value, int | np.integer):
        v = int(value)
    else:
        f = float(value)
        if not math.isfinite(f) or not f.is_integer():
            raise ValueError(f"{name} must be {where}, got {_short(value)}")
        v = int(f)
    if not valid.contains(v):
        raise ValueError(f"{name} must be {where}, got {_short(v)}")
    return v


def require_array(name: str, values, valid: ValidRange | None = None, *,
                  ndim: tuple[int, ...] | int | None = None, min_size: int = 0,
                  max_size: int | None = None) -> np.ndarray:
    """``values`` as a float array, checked: real numbers, finite, in ``valid``, shape.

    ``ndim``: allowed numbers of dimensions (0 is a scalar); ``min_size``/``max_size``:
    allowed numbers of elements. Raises :class:`ArgumentTypeError` if ``values`` is not
    numeric, ValueError (naming ``name`` and the valid range) otherwise.
    """
    what = f"real numbers in {valid.describe()}" if valid is not None else "real numbers"
    if isinstance(values, str | bytes | Mapping) or values is None:
        raise ArgumentTypeError(f"{name} must be an array of {what}, got {_short(values)}")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ArgumentTypeError(f"{name} must be an array of {what}, got {_short(values)} "
                                f"({exc})") from None
    if raw.dtype.kind not in "iuf":
        raise ArgumentTypeError(f"{name} must be an array of {what}, got {_short(values)} "
                                f"(dtype {raw.dtype})")
    arr = raw.astype(float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            shape = " or ".join("a number" if d == 0 else f"a {d}-D array" for d in allowed)
            raise ValueError(f"{name} must be {shape} of {what}, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s), got {arr.size}")
    if max_size is not None and arr.size > max_size:
        raise ValueError(f"{name} must hold at most {max_size} values, got {arr.size}")
    bad = ~np.isfinite(arr)
    if np.any(bad):
        raise ValueError(f"{name} must contain only finite values ({what}), got "
                         f"{int(np.count_nonzero(bad))} non-finite")
    if valid is not None and arr.size:
        lo, hi = float(arr.min()), float(arr.max())
        if not (valid.contains(lo) and valid.contains(hi)):
            raise ValueError(f"{name} must be in {valid.describe()}, got values in "
                             f"[{lo:g}, {hi:g}]")
    return arr


def require_array_finite(name: str, values) -> np.ndarray:
    """Return ``values`` as a float array, or raise ValueError if any entry is not finite."""
    return require_array(name, values)


def require_instance(name: str, value, cls: type | tuple[type, ...], what: str = ""):
    """Return ``value`` if it is an instance of ``cls``, else an :class:`ArgumentTypeError`."""
    if not isinstance(value, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        hint = f" ({what})" if what else ""
        raise ArgumentTypeError(f"{name} must be a {names}{hint}, got "
                                f"{type(value).__name__} {_short(value, 40)}")
    return value


# =============================================================================================
# Parameter specifications: what a declared parameter accepts
# =============================================================================================
class Spec:
    """Base of the parameter specifications used by :func:`validated`."""

    def check(self, name: str, value, arguments: Mapping | None = None):
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def accepts_type(self, value) -> bool:
        """Whether ``value`` is of a type this spec handles (for :class:`AnyOf`)."""
        return True


@dataclass(frozen=True)
class Number(Spec):
    """Any real number, NaN and infinities included (for helpers that pass them through)."""

    def check(self, name, value, arguments=None) -> float:
        if not _is_real(value):
            raise ArgumentTypeError(f"{name} must be a real number, got {_short(value)}")
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{name} must be a real number within the float range, "
                             f"got {_short(value)}") from None

    def describe(self) -> str:
        return "a real number (NaN and inf allowed)"

    def accepts_type(self, value) -> bool:
        return _is_real(value)


@dataclass(frozen=True)
class Integer(Spec):
    """An integer in ``valid``. Integral floats such as ``3.0`` are accepted unless ``strict``."""

    valid: ValidRange
    strict: bool = False

    def check(self, name, value, arguments=None) -> int:
        if self.strict and not isinstance(value, int | np.integer):
            raise ArgumentTypeError(f"{name} must be {self.describe()}, got {_short(value)}")
        return require_int(name, value, self.valid)

    def describe(self) -> str:
        return f"an integer in {self.valid.describe()}"

    def accepts_type(self, value) -> bool:
        return _is_real(value)


@dataclass(frozen=True)
class Array(Spec):
    """A number or an array of numbers, every element in ``valid`` (see :func:`require_array`)."""

    valid: ValidRange | None = None
    ndim: tuple[int, ...] | None = (0, 1)
    min_size: int = 1
    max_size: int | None = None

    def check(self, name, value, arguments=None) -> np.ndarray:
        return require_array(name, value, self.valid, ndim=self.ndim, min_size=self.min_size,
                             max_size=self.max_size)

    def describe(self) -> str:
        what = self.valid.describe() if self.valid is not None else "any finite number"
        size = f", at most {self.max_size} values" if self.max_size is not None else ""
        dims = "any shape" if self.ndim is None else "/".join(map(str, self.ndim)) + "-D"
        return f"numbers in {what} ({dims}{size})"

    def accepts_type(self, value) -> bool:
        return _is_real(value) or isinstance(value, list | tuple | np.ndarray)


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of options (e.g. names of disorders)."""

    options: tuple

    def __init__(self, options):
        object.__setattr__(self, "options", tuple(options))

    def check(self, name, value, arguments=None):
        for option in self.options:
            if isinstance(option, str):
                if isinstance(value, str) and value == option:
                    return option
            elif type(value) is type(option) and value == option:
                return option
        raise ValueError(f"{name} must be one of {list(self.options)}, got {_short(value)}")

    def describe(self) -> str:
        return f"one of {list(self.options)}"

    def accepts_type(self, value) -> bool:
        return any(isinstance(value, type(o)) for o in self.options)


@dataclass(frozen=True)
class Optional(Spec):
    """``None`` or a value accepted by ``spec``."""

    spec: Spec | ValidRange

    def check(self, name, value, arguments=None):
        return None if value is None else self.spec.check(name, value, arguments)

    def describe(self) -> str:
        return f"None or {self.spec.describe()}"

    def accepts_type(self, value) -> bool:
        return value is None or _accepts_type(self.spec, value)


@dataclass(frozen=True)
class AnyOf(Spec):
    """A value accepted by the first of ``specs`` that handles its type."""

    specs: tuple

    def __init__(self, *specs):
        object.__setattr__(self, "specs", tuple(specs))

    def check(self, name, value, arguments=None):
        for spec in self.specs:
            if _accepts_type(spec, value):
                return spec.check(name, value, arguments)
        raise ArgumentTypeError(f"{name} must be {self.describe()}, got {_short(value)}")

    def describe(self) -> str:
        return " or ".join(s.describe() for s in self.specs)

    def accepts_type(self, value) -> bool:
        return any(_accepts_type(s, value) for s in self.specs)


def _accepts_type(spec, value) -> bool:
    if isinstance(spec, ValidRange):
        return _is_real(value)
    return spec.accepts_type(value)


@dataclass(frozen=True)
class Instance(Spec):
    """An instance of ``cls`` (a result object of the package, or a model object)."""

    cls: type
    what: str = ""

    def check(self, name, value, arguments=None):
        return require_instance(name, value, self.cls, self.what)

    def describe(self) -> str:
        return f"a {self.cls.__name__}"

    def accepts_type(self, value) -> bool:
        return isinstance(value, self.cls)


@dataclass(frozen=True)
class Flag(Spec):
    """``True`` or ``False``."""

    def check(self, name, value, arguments=None) -> bool:
        if not isinstance(value, bool | np.bool_):
            raise ArgumentTypeError(f"{name} must be True or False, got {_short(value)}")
        return bool(value)

    def describe(self) -> str:
        return "True or False"


@dataclass(frozen=True)
class Text(Spec):
    """A string (free text, such as a source citation or a unit)."""

    max_length: int = 10_000

    def check(self, name, value, arguments=None) -> str:
        if not isinstance(value, str):
            raise ArgumentTypeError(f"{name} must be a str, got {_short(value)}")
        if len(value) > self.max_length:
            raise ValueError(f"{name} must be at most {self.max_length} characters long")
        return value

    def describe(self) -> str:
        return "a str"

    def accepts_type(self, value) -> bool:
        return isinstance(value, str)


@dataclass(frozen=True)
class Function(Spec):
    """A callable. ``returns``: what it must return (checked by the caller that uses it)."""

    returns: ValidRange | None = None
    signature: str = "f(t_ms)"

    def check(self, name, value, arguments=None):
        if not callable(value):
            raise ArgumentTypeError(f"{name} must be a function {self.signature}, "
                                    f"got {_short(value)}")
        return value

    def describe(self) -> str:
        ret = f" returning {self.returns.describe()}" if self.returns is not None else ""
        return f"a function {self.signature}{ret}"

    def accepts_type(self, value) -> bool:
        return callable(value)


@dataclass(frozen=True)
class Keyed(Spec):
    """A dict whose keys are among ``specs`` (each value checked by its spec).

    Keys in ``required`` must be present. The checked copy (a plain dict) is passed on.
    """

    specs: Mapping
    required: tuple = ()
    allow_empty: bool = True

    def check(self, name, value, arguments=None) -> dict:
        what = "dict" if self.allow_empty else "non-empty dict"
        if not isinstance(value, Mapping):
            raise ArgumentTypeError(f"{name} must be a {what} with keys among "
                                    f"{list(self.specs)}, got {_short(value)}")
        if not value and not self.allow_empty:
            raise ValueError(f"{name} must be a {what} with keys among {list(self.specs)}")
        out = {}
        for key, v in value.items():
            if key not in self.specs:
                raise ValueError(f"{name} keys must be among {list(self.specs)}, got unknown "
                                 f"key {_short(key)}")
            out[key] = self.specs[key].check(f"{name}[{key!r}]", v, arguments)
        for key in self.required:
            if key not in out:
                raise ValueError(f"{name} must have a {key!r} entry")
        return out

    def describe(self) -> str:
        return "a dict: " + ", ".join(f"{k!r}: {s.describe()}" for k, s in self.specs.items())

    def accepts_type(self, value) -> bool:
        return isinstance(value, Mapping)


@dataclass(frozen=True)
class Sequence(Spec):
    """A list or tuple whose elements ``of`` accepts (``min_size`` to ``max_size`` of them)."""

    of: Spec
    min_size: int = 0
    max_size: int = 1000

    def check(self, name, value, arguments=None) -> list:
        if isinstance(value, str | bytes | Mapping) or not isinstance(
                value, list | tuple | np.ndarray):
            raise ArgumentTypeError(f"{name} must be a list of {self.of.describe()}, "
                                    f"got {_short(value)}")
        if not self.min_size <= len(value) <= self.max_size:
            raise ValueError(f"{name} must hold {self.min_size} to {self.max_size} items, "
                             f"got {len(value)}")
        return [self.of.check(f"{name}[{k}]", v, arguments) for k, v in enumerate(value)]

    def describe(self) -> str:
        return f"a list of up to {self.max_size} items, each {self.of.describe()}"

    def accepts_type(self, value) -> bool:
        return isinstance(value, list | tuple) and not isinstance(value, str)


@dataclass(frozen=True)
class Record(Spec):
    """A tuple of fixed length, one spec per position (named ``names``)."""

    names: tuple
    specs: tuple

    def check(self, name, value, arguments=None) -> tuple:
        if not isinstance(value, list | tuple) or len(value) != len(self.specs):
            raise ArgumentTypeError(f"{name} must be a tuple ({', '.join(self.names)}), "
                                    f"got {_short(value)}")
        return tuple(s.check(f"{name}.{n}", v, arguments)
                     for n, s, v in zip(self.names, self.specs, value, strict=True))

    def describe(self) -> str:
        return f"a tuple ({', '.join(self.names)})"

    def accepts_type(self, value) -> bool:
        return isinstance(value, list | tuple) and len(value) == len(self.specs)


@dataclass(frozen=True)
class Dependent(Spec):
    """A spec that depends on the other arguments: ``make(arguments) -> spec``.

    Used where a range is set by another argument (a unit index within a pool, a time within
    a result). Parameters are checked in signature order, so ``make`` sees checked values of
    the parameters before this one.
    """

    make: Callable
    text: str = ""

    def check(self, name, value, arguments=None):
        return self.make(arguments or {}).check(name, value, arguments)

    def describe(self) -> str:
        return self.text or "a value set by the other arguments"


@dataclass(frozen=True)
class Require:
    """A joint condition on several arguments (e.g. ``discard_ms < duration_ms``).

    ``test(arguments) -> bool``; when False, ValueError(``message``), where ``message`` is a
    string or a function of the arguments returning one. ``names`` lists the parameters it
    involves (they appear in the message).
    """

    names: tuple
    test: Callable
    message: str | Callable

    def check(self, arguments: Mapping) -> None:
        if not self.test(arguments):
            msg = self.message(arguments) if callable(self.message) else self.message
            raise ValueError(msg)


# =============================================================================================
# Declarations
# =============================================================================================
@dataclass(frozen=True)
class Api:
    """The declaration of one public callable: its parameters, joint conditions, documented
    non-finite outputs (``nonfinite``: path of the output -> when and why), and its cost."""

    qualname: str
    specs: Mapping
    requires: tuple = ()
    nonfinite: Mapping = field(default_factory=dict)
    cost: str = ""


@dataclass(frozen=True)
class ClassApi:
    """The declaration of a public class.

    ``kind``: "input" (built by callers; the constructor is checked) or "result" (built by
    the package). ``example``: a factory of a typical instance (used to test methods).
    ``nonfinite``: documented non-finite fields or properties (name -> when and why).
    """

    kind: str
    init: Api | None = None
    example: Callable | None = None
    nonfinite: Mapping = field(default_factory=dict)


def _declare(fn, specs, requires, nonfinite, cost, skip_self):
    sig = inspect.signature(fn)
    names = [n for n in sig.parameters if not (skip_self and n == "self")]
    missing = [n for n in names if n not in specs]
    unknown = [n for n in specs if n not in names]
    if missing or unknown:
        raise TypeError(f"declaration of {fn.__qualname__}: undeclared parameters {missing}, "
                        f"unknown {unknown}")
    ordered = {n: specs[n] for n in names}
    api = Api(fn.__qualname__, ordered, tuple(requires), dict(nonfinite or {}), cost)
    params = list(sig.parameters.values())
    simple = all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in params)
    positional = tuple(p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD)
    every = frozenset(sig.parameters)
    defaults = tuple((p.name, p.default) for p in params if p.default is not p.empty)
    n_required = sum(1 for p in params if p.default is p.empty)

    def bind(args, kwargs) -> dict:
        """The call's arguments by name, defaults filled in (a fast ``Signature.bind``)."""
        if simple and len(args) <= len(positional) and every.issuperset(kwargs):
            arguments = dict(zip(positional, args, strict=False))
            if len(arguments) + len(kwargs) >= n_required and arguments.keys().isdisjoint(
                    kwargs):
                arguments.update(kwargs)
                for name, default in defaults:
                    if name not in arguments:
                        arguments[name] = default
                if len(arguments) == len(every):
                    return arguments
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{fn.__qualname__}(): {exc}") from None
        bound.apply_defaults()
        return dict(bound.arguments)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        arguments = bind(args, kwargs)
        for name, spec in ordered.items():
            arguments[name] = spec.check(name, arguments[name], arguments)
        for condition in api.requires:
            condition.check(arguments)
        if simple:
            return fn(**arguments)
        bound = sig.bind_partial()
        bound.arguments.update(arguments)
        return fn(*bound.args, **bound.kwargs)

    wrapper.__api__ = api
    return wrapper


def validated(*, requires=(), nonfinite=None, cost: str = "", **specs):
    """Declare and check a public function's (or method's) parameters.

    ``specs``: one spec per parameter (a :class:`ValidRange`, :class:`Integer`,
    :class:`Array`, :class:`Choice`, :class:`Optional`, ...; ``self`` is not declared).
    ``requires``: :class:`Require` conditions on several parameters. ``nonfinite``: outputs
    that may be NaN or inf, with the documented reason (paths: ``""`` the return value,
    ``"[0]"`` a tuple item, ``".name"`` a field). Every call is checked before the body
    runs; the checked (converted) values are passed on.
    """
    def decorate(fn):
        return _declare(fn, specs, requires, nonfinite, cost, skip_self=True)
    return decorate


def input_type(*, requires=(), example=None, nonfinite=None, **specs):
    """Declare a class that callers build: its constructor's arguments are checked.

    With ``specs``, the class's ``__init__`` (e.g. a dataclass's) is wrapped by
    :func:`validated`; without, ``__init__`` must already be decorated with it.
    """
    def decorate(cls):
        if specs:
            cls.__init__ = _declare(cls.__init__, specs, requires, None, "", skip_self=True)
        init_api = getattr(cls.__init__, "__api__", None)
        if init_api is None:
            raise TypeError(f"{cls.__name__}: declare the constructor's parameters")
        cls.__api__ = ClassApi("input", init_api, example, dict(nonfinite or {}))
        return cls
    return decorate


def result_type(*, example=None, nonfinite=None):
    """Declare a class whose instances the package builds (results, reference records).

    ``example``: a factory of a typical instance (for testing its methods); ``nonfinite``:
    fields or properties that may be NaN or inf, with the documented reason.
    """
    def decorate(cls):
        cls.__api__ = ClassApi("result", None, example, dict(nonfinite or {}))
        return cls
    return decorate
