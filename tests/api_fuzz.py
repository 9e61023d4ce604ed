"""Machinery of the API fuzz test (``tests/test_api_fuzz.py``, ``tools/fuzz_api.py``).

It finds every public function, method and class of :mod:`widgets.models`, reads each one's
declaration (``__api__``, written by :func:`widgets.models.validation.validated`,
:func:`~widgets.models.validation.input_type` and
:func:`~widgets.models.validation.result_type`) and turns it into

* hypothesis strategies that draw arguments *inside* the declared ranges,
* deterministic lists of values just *outside* them (beyond each bound, NaN, inf, integers too
  large for a float, wrong types and shapes), one parameter at a time,

and it checks the outcome of a call against the promise of the engine:

* inside: no exception except a declared joint condition (``Require``), every number in the
  result finite unless the declaration documents it (``nonfinite``), every property of every
  result object readable and finite, and the call under a generous time bound;
* outside: ``ValueError`` (or ``ArgumentTypeError``, which is one) whose message names the
  parameter (and, for an out-of-range number, its valid range).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
import re
import signal
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

import widgets.models
from widgets.models import validation as v

#: Modules of widgets.models that are the validation mechanism itself (tested directly in
#: tests/test_validation.py), not model API.
MECHANISM_MODULES = ("validation",)
#: A call inside the declared ranges must return within this much CPU time (s). Generous: the
#: slowest declared corners take a few seconds. CPU time, not wall time, so that a machine
#: shared with other work does not make a call look slow; a call that runs on (in a Python
#: loop) is interrupted after ``HANG_S`` of CPU time.
DEADLINE_S = 20.0
HANG_S = 120.0


# =============================================================================================
# Discovery
# =============================================================================================
@dataclass(frozen=True)
class Target:
    """One public callable: a function, a method (called on an example instance) or a class."""

    name: str
    kind: str  # "function", "method", "constructor"
    api: v.Api
    func: object
    owner: type | None = None

    def __str__(self) -> str:
        return self.name

    def bind(self):
        """The callable to call with keyword arguments."""
        if self.kind == "method":
            return getattr(example(self.owner), self.func.__name__)
        return self.func


def model_modules():
    for info in sorted(pkgutil.iter_modules(widgets.models.__path__), key=lambda m: m.name):
        if info.name not in MECHANISM_MODULES:
            yield importlib.import_module(f"widgets.models.{info.name}")


def _public_members(mod):
    for name, obj in vars(mod).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield name, obj


def discover() -> tuple[list[Target], list[str]]:
    """Every declared public callable, and the public ones that lack a declaration."""
    targets, problems = [], []
    for mod in model_modules():
        short = mod.__name__.rsplit(".", 1)[-1]
        for name, obj in _public_members(mod):
            qual = f"{short}.{name}"
            if inspect.isfunction(obj):
                api = getattr(obj, "__api__", None)
                if api is None:
                    problems.append(f"{qual}: public function without declared ranges "
                                    "(decorate it with @validated)")
                else:
                    targets.append(Target(qual, "function", api, obj))
                continue
            capi = vars(obj).get("__api__")
            if not isinstance(capi, v.ClassApi):
                problems.append(f"{qual}: public class without a declaration "
                                "(@input_type or @result_type)")
                continue
            if capi.kind == "input":
                targets.append(Target(qual, "constructor", capi.init, obj))
            for mname, member in vars(obj).items():
                if mname.startswith("_") or not inspect.isfunction(member):
                    continue
                api = getattr(member, "__api__", None)
                if api is None:
                    problems.append(f"{qual}.{mname}: public method without declared ranges")
                    continue
                if capi.example is None:
                    problems.append(f"{qual}: has methods but no example instance to test "
                                    "them on (result_type(example=...))")
                    continue
                targets.append(Target(f"{qual}.{mname}", "method", api, member, obj))
            # properties need no declaration: they are read (and checked) on every instance
            # that a fuzzed call returns
    return targets, problems


def _properties(cls) -> list[str]:
    return [n for n, m in inspect.getmembers(cls) if isinstance(m, property)
            and not n.startswith("_")]


_EXAMPLES: dict[type, object] = {}


def example(cls):
    """The declared example instance of ``cls`` (built once)."""
    if cls not in _EXAMPLES:
        _EXAMPLES[cls] = cls.__api__.example()
    return _EXAMPLES[cls]


# =============================================================================================
# Inside: hypothesis strategies from the declarations
# =============================================================================================
def _finite_bounds(r: v.ValidRange):
    lo = None if math.isinf(r.low) else float(r.low)
    hi = None if math.isinf(r.high) else float(r.high)
    return lo, hi


def range_strategy(r: v.ValidRange):
    lo, hi = _finite_bounds(r)
    floats = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False,
                       exclude_min=r.low_open and lo is not None)
    points = [x for x in (lo, hi, r.default) if x is not None and r.contains(x)]
    if lo is not None and hi is not None:
        points.append(0.5 * (lo + hi))
    parts = [st.sampled_from(points)] if points else []
    if lo is not None and hi is not None and hi - lo >= 1 and hi - lo < 1e15:
        parts.append(st.integers(math.ceil(lo) + (1 if r.low_open and float(lo).is_integer()
                                                  else 0), math.floor(hi)))
    return st.one_of(*parts, floats)


def inside(spec, args: Mapping):
    """A strategy for values of ``spec`` inside its declared range (``args``: drawn so far)."""
    if isinstance(spec, v.ValidRange):
        return range_strategy(spec)
    if isinstance(spec, v.Integer):
        lo, hi = math.ceil(spec.valid.low), math.floor(spec.valid.high)
        if spec.valid.low_open and lo == spec.valid.low:
            lo += 1
        ints = st.one_of(st.sampled_from([lo, hi]), st.integers(lo, hi))
        if spec.strict:
            return ints
        return st.one_of(ints, ints.map(float), ints.map(np.int64))
    if isinstance(spec, v.Array):
        return _array_inside(spec)
    if isinstance(spec, v.Choice):
        return st.sampled_from(spec.options)
    if isinstance(spec, v.Optional):
        return st.one_of(st.none(), inside(spec.spec, args))
    if isinstance(spec, v.AnyOf):
        return st.one_of(*[inside(s, args) for s in spec.specs])
    if isinstance(spec, v.Instance):
        return st.just(example(spec.cls))
    if isinstance(spec, v.Flag):
        return st.booleans()
    if isinstance(spec, v.Text):
        return st.text(max_size=20)
    if isinstance(spec, v.Number):
        return st.floats()
    if isinstance(spec, v.Function):
        values = range_strategy(spec.returns) if spec.returns else st.floats(-1e3, 1e3)
        return values.map(_constant_function)
    if isinstance(spec, v.Keyed):
        req = {k: inside(spec.specs[k], args) for k in spec.required}
        opt = {k: inside(s, args) for k, s in spec.specs.items() if k not in spec.required}
        d = st.fixed_dictionaries(req, optional=opt)
        return d if spec.allow_empty else d.filter(bool)
    if isinstance(spec, v.Sequence):
        return st.lists(inside(spec.of, args), min_size=spec.min_size,
                        max_size=min(spec.max_size, max(spec.min_size, 4)))
    if isinstance(spec, v.Record):
        return st.tuples(*[inside(s, args) for s in spec.specs])
    if isinstance(spec, v.Dependent):
        return inside(spec.make(args), args)
    raise TypeError(f"no strategy for spec {spec!r}")


def _constant_function(c):
    def excitation(t):
        return np.full(np.shape(t), c)
    excitation.__qualname__ = f"constant({c!r})"
    return excitation


def _array_inside(spec: v.Array):
    elem = range_strategy(spec.valid) if spec.valid is not None else st.floats(
        allow_nan=False, allow_infinity=False)
    ndims = spec.ndim if spec.ndim is not None else (0, 1, 2)
    hi = min(spec.max_size if spec.max_size is not None else 6, max(spec.min_size, 6))
    options = []
    if 0 in ndims and spec.min_size <= 1:
        options.append(elem)
    if 1 in ndims:
        lists = st.lists(elem, min_size=spec.min_size, max_size=hi)
        options += [lists, lists.map(np.array)]
    if 2 in ndims:
        options.append(st.lists(st.lists(elem, min_size=2, max_size=2),
                                min_size=max(1, math.ceil(spec.min_size / 2)),
                                max_size=max(1, hi // 2)).map(np.array))
    return st.one_of(*options)


def draw_arguments(draw, api: v.Api, owner_instance=None) -> dict:
    """Draw every declared parameter inside its range, in signature order."""
    args = {} if owner_instance is None else {"self": owner_instance}
    for name, spec in api.specs.items():
        args[name] = draw(inside(spec, _checked(api, args)))
    args.pop("self", None)
    return args


def _checked(api: v.Api, args: dict) -> dict:
    """The arguments as the declaration passes them on (for Dependent specs and Requires)."""
    out = {}
    for name, value in args.items():
        spec = api.specs.get(name)
        out[name] = value if spec is None else spec.check(name, value, out)
    return out


# =============================================================================================
# Outside: deterministic invalid values for each parameter
# =============================================================================================
@dataclass(frozen=True)
class Bad:
    """An invalid value for a parameter, and what the error message must name."""

    value: object
    label: str
    name: str         # the parameter (or item) the message must name
    describe: str = ""  # the range the message must state ("" for type errors)


_WRONG_TYPES = (("None", None), ("str", "1.0"), ("bool", True), ("complex", 1 + 1j),
                ("object", object()))
_HUGE = 10**400


def _range_bad(r: v.ValidRange, name: str, *, integer=False, strict=False):
    out = []
    desc = r.describe()
    if math.isfinite(r.low):
        if r.low_open:
            out.append(Bad(r.low, "at the open lower bound", name, desc))
        below = r.low - 1 if integer else float(np.nextafter(float(r.low), -np.inf))
        out.append(Bad(below, "just below", name, desc))
        out.append(Bad(int(r.low) - abs(int(r.low)) - 10 if integer
                       else r.low - abs(r.low) - 1.0, "far below", name, desc))
    if math.isfinite(r.high):
        above = r.high + 1 if integer else float(np.nextafter(float(r.high), np.inf))
        out.append(Bad(above, "just above", name, desc))
        out.append(Bad(int(r.high) + abs(int(r.high)) + 10 if integer
                       else r.high + abs(r.high) + 1.0, "far above", name, desc))
    out += [Bad(math.nan, "NaN", name), Bad(math.inf, "inf", name), Bad(-math.inf, "-inf", name),
            Bad(_HUGE, "10**400", name), Bad(-_HUGE, "-10**400", name)]
    if integer:
        mid = r.low + 0.5 if math.isfinite(r.low) else 0.5
        if r.contains(mid):
            out.append(Bad(mid, "not an integer", name))
        if strict and math.isfinite(r.low):
            out.append(Bad(float(r.low) + (1.0 if r.low_open else 0.0), "float for a strict "
                           "integer", name))
    out += [Bad(val, f"wrong type ({label})", name) for label, val in _WRONG_TYPES]
    out.append(Bad([1.0], "a list for a number", name))
    return out


def outside(spec, name: str, args: Mapping) -> list[Bad]:
    """Invalid values of one parameter (``args``: checked inside values of the others)."""
    if isinstance(spec, v.ValidRange):
        return _range_bad(spec, name)
    if isinstance(spec, v.Integer):
        return _range_bad(spec.valid, name, integer=True, strict=spec.strict)
    if isinstance(spec, v.Array):
        return _array_bad(spec, name)
    if isinstance(spec, v.Choice):
        return [Bad("no such option", "unknown option", name), Bad(None, "None", name),
                Bad(3, "a number", name), Bad(["x"], "a list", name)]
    if isinstance(spec, v.Optional):
        return [b for b in outside(spec.spec, name, args) if b.value is not None]
    if isinstance(spec, v.AnyOf):
        return _anyof_bad(spec, name, args)
    if isinstance(spec, v.Instance):
        return [Bad(None, "None", name), Bad(object(), "an object", name),
                Bad(1.0, "a number", name), Bad("result", "a str", name)]
    if isinstance(spec, v.Flag):
        return [Bad(1, "int", name), Bad("yes", "str", name), Bad(None, "None", name)]
    if isinstance(spec, v.Text):
        return [Bad(1, "int", name), Bad(None, "None", name), Bad(b"x", "bytes", name)]
    if isinstance(spec, v.Number):
        return [Bad("1", "str", name), Bad(None, "None", name), Bad(_HUGE, "10**400", name),
                Bad([1.0], "list", name)]
    if isinstance(spec, v.Function):
        return [Bad("f", "a str", name), Bad(None, "None", name)]
    if isinstance(spec, v.Keyed):
        return _keyed_bad(spec, name, args)
    if isinstance(spec, v.Sequence):
        bad = [Bad(3.0, "a number", name), Bad("abc", "a str", name), Bad(None, "None", name)]
        if spec.max_size <= 2000:
            item = _typical(spec.of, args)
            bad.append(Bad([item] * (spec.max_size + 1), "too many items", name))
        for b in outside(spec.of, f"{name}[0]", args)[:8]:
            bad.append(Bad([b.value], f"item {b.label}", name))
        return bad
    if isinstance(spec, v.Record):
        bad = [Bad(tuple(range(len(spec.specs) + 1)), "wrong length", name)]
        typical = [_typical(s, args) for s in spec.specs]
        for k, (n, s) in enumerate(zip(spec.names, spec.specs, strict=True)):
            for b in outside(s, f"{name}.{n}", args)[:4]:
                val = list(typical)
                val[k] = b.value
                bad.append(Bad(tuple(val), f"{n} {b.label}", name))
        return bad
    if isinstance(spec, v.Dependent):
        return outside(spec.make(args), name, args)
    raise TypeError(f"no outside values for spec {spec!r}")


def _array_bad(spec: v.Array, name: str) -> list[Bad]:
    valid = spec.valid or v.ANY_FINITE
    good = _typical(valid, {})
    n = max(spec.min_size, 1)
    bad = []
    ndims = spec.ndim if spec.ndim is not None else None
    for b in _range_bad(valid, name):
        if isinstance(b.value, float) and (math.isnan(b.value) or math.isinf(b.value) or
                                           not valid.contains(b.value)):
            bad.append(Bad([good] * (n - 1) + [b.value], f"array with {b.label}", name,
                           b.describe))
    bad += [Bad("abc", "a str", name), Bad([None] * n, "None items", name),
            Bad({"a": 1.0}, "a dict", name), Bad(None, "None", name),
            Bad([good, "x"], "a str item", name), Bad([1 + 1j] * n, "complex items", name),
            Bad([_HUGE] * n, "10**400 items", name)]
    if spec.min_size >= 1:
        bad.append(Bad([], "empty", name))
    if spec.max_size is not None and spec.max_size < 100_000:
        bad.append(Bad(np.full(spec.max_size + 1, good), "too many values", name))
    if ndims is not None:
        if 2 not in ndims:
            bad.append(Bad(np.full((2, 2), good), "2-D", name))
        if 0 not in ndims:
            bad.append(Bad(good, "a scalar", name))
    return bad


def _anyof_bad(spec: v.AnyOf, name: str, args) -> list[Bad]:
    out = []
    for alt in spec.specs:
        for b in outside(alt, name, args):
            rejected = True
            for other in spec.specs:
                try:
                    other.check(name, b.value, args)
                    rejected = False
                except ValueError:
                    pass
            if rejected:
                # which alternative's message applies is the spec's choice: ask only for the name
                out.append(Bad(b.value, b.label, b.name))
    return out


def _keyed_bad(spec: v.Keyed, name: str, args) -> list[Bad]:
    bad = [Bad({"no such key": 1.0}, "unknown key", name), Bad([("K", 1.0)], "a list", name),
           Bad("K", "a str", name), Bad(3.0, "a number", name), Bad(None, "None", name)]
    if not spec.allow_empty:
        bad.append(Bad({}, "empty", name))
    for key, s in spec.specs.items():
        for b in outside(s, f"{name}[{key!r}]", args)[:6]:
            bad.append(Bad({key: b.value}, f"[{key!r}] {b.label}", b.name, b.describe))
    return bad


def _typical(spec, args):
    """A deterministic valid value of ``spec`` (its default, or a point inside)."""
    if isinstance(spec, v.ValidRange):
        if spec.default is not None:
            return spec.default
        lo, hi = _finite_bounds(spec)
        if lo is not None and hi is not None:
            return 0.5 * (lo + hi)
        return hi if lo is None and hi is not None and hi <= 0 else (
            lo + 1.0 if lo is not None else 0.0)
    if isinstance(spec, v.Integer):
        d = spec.valid.default
        return int(d) if d is not None else int(math.ceil(spec.valid.low)) + (
            1 if spec.valid.low_open else 0)
    if isinstance(spec, v.Array):
        x = _typical(spec.valid or v.ANY_FINITE, args)
        ndims = spec.ndim if spec.ndim is not None else (1,)
        return [x] * max(spec.min_size, 1) if 1 in ndims or 0 not in ndims else x
    if isinstance(spec, v.Choice):
        return spec.options[0]
    if isinstance(spec, v.Optional):
        return None
    if isinstance(spec, v.AnyOf):
        return _typical(spec.specs[0], args)
    if isinstance(spec, v.Instance):
        return example(spec.cls)
    if isinstance(spec, v.Flag):
        return True
    if isinstance(spec, v.Text):
        return "text"
    if isinstance(spec, v.Number):
        return 1.0
    if isinstance(spec, v.Function):
        return _constant_function(_typical(spec.returns, args) if spec.returns else 1.0)
    if isinstance(spec, v.Keyed):
        return {k: _typical(s, args) for k, s in spec.specs.items()}
    if isinstance(spec, v.Sequence):
        return [_typical(spec.of, args)] * spec.min_size
    if isinstance(spec, v.Record):
        return tuple(_typical(s, args) for s in spec.specs)
    if isinstance(spec, v.Dependent):
        return _typical(spec.make(args), args)
    raise TypeError(f"no typical value for spec {spec!r}")


def typical_arguments(target: Target) -> dict:
    """Deterministic valid arguments: the defaults of the signature, else typical values."""
    sig = inspect.signature(target.func)
    args = {"self": example(target.owner)} if target.kind == "method" else {}
    for name, spec in target.api.specs.items():
        default = sig.parameters[name].default
        args[name] = default if default is not inspect.Parameter.empty else _typical(
            spec, _checked(target.api, args))
    args.pop("self", None)
    return args


def outside_cases(target: Target):
    """(parameter, Bad, arguments) for every invalid value of every parameter."""
    base = typical_arguments(target)
    pre = {"self": example(target.owner)} if target.kind == "method" else {}
    checked = _checked(target.api, {**pre, **base})
    for name, spec in target.api.specs.items():
        for bad in outside(spec, name, checked):
            yield name, bad, {**base, name: bad.value}


def _states_range(msg: str, describe: str) -> bool:
    """Whether ``msg`` states the range ``describe`` (both its finite bounds, as numbers)."""
    bounds = re.findall(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf)", describe.split("]")[0])
    return all(b in msg for b in bounds if b != "inf")


def check_rejected(target: Target, bad: Bad, args: dict) -> str | None:
    """Call with an invalid argument; a problem description, or None if the promise holds."""
    try:
        target.bind()(**args)
    except ValueError as exc:
        msg = str(exc)
        if bad.name not in msg:
            return f"{bad.label}: ValueError does not name {bad.name!r}: {msg!r}"
        if bad.describe and not _states_range(msg, bad.describe):
            return f"{bad.label}: ValueError does not state the range {bad.describe!r}: {msg!r}"
        return None
    except Exception as exc:  # noqa: BLE001 - any other exception breaks the promise
        return f"{bad.label}: {type(exc).__name__} instead of ValueError: {exc}"
    return f"{bad.label}: accepted {v._short(bad.value)} without an error"


# =============================================================================================
# Checking a call inside the declared ranges
# =============================================================================================
class CallTimeout(Exception):
    pass


class NumericWarning(Exception):
    """A numpy RuntimeWarning (overflow, invalid value, division by zero) during a call."""


def _alarm(signum, frame):
    raise CallTimeout


def timed_call(func, args: dict, hang_s: float = HANG_S):
    """``(result, CPU seconds)``; a call still running (in Python code) after ``hang_s`` of
    CPU time is interrupted (a profiling timer: it counts this process's CPU time only)."""
    use_alarm = hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")
    if use_alarm:
        old = signal.signal(signal.SIGPROF, _alarm)
        signal.setitimer(signal.ITIMER_PROF, hang_s)
    t0 = time.process_time()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            result = func(**args)
        numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if numeric:
            raise NumericWarning(str(numeric[0].message))
        return result, time.process_time() - t0
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_PROF, 0.0)
            signal.signal(signal.SIGPROF, old)


def _allowed(path: str, allowed: Mapping) -> bool:
    return any(path == p or path.startswith(p + ".") or path.startswith(p + "[")
               for p in allowed)


def nonfinite_problems(value, allowed: Mapping, path: str = "", depth: int = 0) -> list[str]:
    """Non-finite numbers in ``value`` at paths not in ``allowed``; broken properties."""
    if depth > 6:
        return []
    if isinstance(value, bool | np.bool_ | str | bytes) or value is None:
        return []
    if isinstance(value, int | float | np.integer | np.floating):
        if not math.isfinite(value) and not _allowed(path, allowed):
            return [f"result{path} = {value!r} (undocumented)"]
        return []
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.all(np.isfinite(value)) \
                and not _allowed(path, allowed):
            return [f"result{path} has {int(np.count_nonzero(~np.isfinite(value)))} "
                    "non-finite values (undocumented)"]
        if value.dtype.kind == "O":
            return [p for k, x in enumerate(value.ravel()[:50])
                    for p in nonfinite_problems(x, allowed, f"{path}[{k}]", depth + 1)]
        return []
    if isinstance(value, tuple | list):
        return [p for k, x in enumerate(value[:200])
                for p in nonfinite_problems(x, allowed, f"{path}[{k}]", depth + 1)]
    if isinstance(value, Mapping):
        return [p for k, x in list(value.items())[:200]
                for p in nonfinite_problems(x, allowed, f"{path}[{k!r}]", depth + 1)]
    return _object_problems(value, allowed, path, depth)


def _object_problems(value, allowed, path, depth) -> list[str]:
    cls = type(value)
    capi = getattr(cls, "__api__", None)
    own = dict(capi.nonfinite) if isinstance(capi, v.ClassApi) else {}
    sub = {**{f"{path}.{k}": r for k, r in own.items()}, **allowed}
    problems = []
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            problems += nonfinite_problems(getattr(value, f.name), sub, f"{path}.{f.name}",
                                           depth + 1)
    for prop in _properties(cls):
        try:
            x = getattr(value, prop)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"result{path}.{prop} raised {type(exc).__name__}: {exc}")
            continue
        problems += nonfinite_problems(x, sub, f"{path}.{prop}", depth + 1)
    return problems


def failed_requirement(api: v.Api, args: dict, owner_instance=None):
    """The first declared joint condition that ``args`` violate (or None)."""
    pre = {"self": owner_instance} if owner_instance is not None else {}
    checked = _checked(api, {**pre, **args})
    for r in api.requires:
        if not r.test(checked):
            return r, checked
    return None, checked


def check_accepted(target: Target, args: dict, deadline_s: float = DEADLINE_S):
    """Call with valid arguments: ``(problems, seconds)``."""
    owner = example(target.owner) if target.kind == "method" else None
    req, checked = failed_requirement(target.api, args, owner)
    func = target.bind()
    try:
        result, seconds = timed_call(func, args)
    except CallTimeout:
        return [f"still running after {HANG_S:g} s of CPU time for {v._short(args, 300)}"], \
            math.inf
    except NumericWarning as exc:
        return [f"RuntimeWarning inside the declared ranges: {exc} (arguments "
                f"{v._short(args, 300)})"], 0.0
    except ValueError as exc:
        if req is not None:  # a declared joint condition: the error must name its parameters
            if any(name in str(exc) for name in req.names):
                return [], 0.0
            return [f"joint condition on {req.names} violated, but the error names none of "
                    f"them: {exc!r}"], 0.0
        return [f"ValueError inside the declared ranges: {exc} (arguments "
                f"{v._short(args, 300)})"], 0.0
    except Exception as exc:  # noqa: BLE001
        return [f"{type(exc).__name__} inside the declared ranges: {exc} (arguments "
                f"{v._short(args, 300)})"], 0.0
    problems = []
    if req is not None:
        what = req.message if isinstance(req.message, str) else "see its declaration"
        problems.append(f"joint condition on {req.names} violated ({what}), but the call "
                        "succeeded")
    problems += nonfinite_problems(result, target.api.nonfinite)
    if seconds > deadline_s:
        problems.append(f"took {seconds:.1f} s of CPU time (> {deadline_s:g} s)")
    return [f"{p} for {v._short(args, 300)}" for p in problems], seconds
