"""The validation helpers and declarations themselves (widgets/models/validation.py).

The API fuzz test (test_api_fuzz.py) relies on these helpers; here each helper is checked on
its own against the cases of issue 15 (overflowing and infinite integers, wrong types, arrays
of the wrong shape, joint conditions, undeclared parameters).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.models import validation as v

R = v.ValidRange(1.0, 10.0, "ms", 2.0)


@pytest.mark.parametrize("value", [1.0, 10.0, 2, np.float32(5.0), np.int64(3), np.array(4.0)])
def test_require_range_accepts_numbers_in_range(value):
    assert v.require_range("x", value, R) == pytest.approx(float(value))


@pytest.mark.parametrize("value, kind, text", [
    (0.999, ValueError, r"x must be in \[1, 10\] ms, got 0.999"),
    (math.nan, ValueError, r"x must be finite and in \[1, 10\] ms, got nan"),
    (math.inf, ValueError, "finite"),
    (10**400, ValueError, r"too large"),
    (True, v.ArgumentTypeError, "real number"),
    ("3", v.ArgumentTypeError, "real number"),
    (None, v.ArgumentTypeError, "real number"),
    (1 + 2j, v.ArgumentTypeError, "real number"),
])
def test_require_range_rejects(value, kind, text):
    with pytest.raises(kind, match=text):
        v.require_range("x", value, R)


def test_argument_type_error_is_both_type_and_value_error():
    with pytest.raises(TypeError):
        v.require_range("x", "3", R)
    with pytest.raises(ValueError):
        v.require_range("x", "3", R)


def test_open_lower_bound():
    r = v.ValidRange(0.0, 5.0, "s", low_open=True)
    assert r.describe() == "(0, 5] s"
    assert v.require_range("t", 1e-300, r) == 1e-300
    with pytest.raises(ValueError, match=r"t must be in \(0, 5\] s, got 0.0"):
        v.require_range("t", 0.0, r)


@pytest.mark.parametrize("low, high, default, text", [
    (math.nan, 1.0, None, "NaN"), (2.0, 1.0, None, "low <= high"),
    (0.0, 1.0, 2.0, "outside"), (0.0, 1.0, math.nan, "finite"), ("a", 1.0, None, "real"),
])
def test_valid_range_rejects_bad_declarations(low, high, default, text):
    with pytest.raises(ValueError, match=text):
        v.ValidRange(low, high, "", default)


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (np.int32(7), 7), (10, 10)])
def test_require_int_accepts(value, expected):
    out = v.require_int("n", value, v.ValidRange(1, 10))
    assert out == expected and type(out) is int


@pytest.mark.parametrize("value, text", [
    (10**400, r"n must be an integer in \[1, 10\], got 1000"),
    (-10**400, "integer"), (math.inf, "integer"), (math.nan, "integer"),
    (2.5, "integer"), (0, "integer"), (11, "integer"), (True, "integer"), ("2", "integer"),
])
def test_require_int_rejects_with_valueerror_naming_the_parameter(value, text):
    with pytest.raises(ValueError, match=text) as info:
        v.require_int("n", value, v.ValidRange(1, 10))
    assert not isinstance(info.value, OverflowError)


@pytest.mark.parametrize("values, kwargs, text", [
    ([1.0, math.nan], {}, "finite"), ([[1.0, 2.0]], {"ndim": 1}, "1-D array"),
    ([], {"min_size": 1}, "at least 1"), ([1.0] * 4, {"max_size": 3}, "at most 3"),
    ([1.0, "a"], {}, "real numbers"), ("abc", {}, "real numbers"), (None, {}, "real numbers"),
    ([True, False], {}, "real numbers"), ([[1.0], [1.0, 2.0]], {}, "real numbers"),
    ([10**400], {}, "real numbers"), ([0.5, 2.0], {"valid": R}, r"values in \[0.5, 2\]"),
])
def test_require_array_rejects(values, kwargs, text):
    kw = dict(kwargs)
    valid = kw.pop("valid", None)
    with pytest.raises(ValueError, match=text):
        v.require_array("a", values, valid, **kw)


def test_require_array_returns_float_arrays_of_the_same_shape():
    out = v.require_array("a", [1, 2, 3], R, ndim=(1,))
    assert out.dtype == float and out.shape == (3,)
    assert v.require_array("a", 4.0, R, ndim=(0, 1)).shape == ()


def test_keyed_checks_keys_and_values():
    spec = v.Keyed({"K": R, "Na": R})
    assert spec.check("conc", {"K": 2}) == {"K": 2.0}
    with pytest.raises(ValueError, match=r"conc keys must be among \['K', 'Na'\], got unknown"):
        spec.check("conc", {"Zn": 2.0})
    with pytest.raises(ValueError, match=r"conc\['K'\] must be in \[1, 10\] ms"):
        spec.check("conc", {"K": 20.0})
    with pytest.raises(TypeError, match="conc must be a dict"):
        spec.check("conc", [("K", 2.0)])


def test_choice_optional_anyof_instance_sequence_record():
    assert v.Choice(["a", "b"]).check("kind", "b") == "b"
    with pytest.raises(ValueError, match=r"kind must be one of \['a', 'b'\], got 'c'"):
        v.Choice(["a", "b"]).check("kind", "c")
    with pytest.raises(ValueError, match="kind must be one of"):
        v.Choice(["a", "b"]).check("kind", ["a"])  # unhashable: still a ValueError
    assert v.Optional(R).check("x", None) is None
    either = v.AnyOf(R, v.Function())
    assert either.check("e", 3.0) == 3.0 and callable(either.check("e", abs))
    with pytest.raises(TypeError, match="e must be"):
        either.check("e", "x")
    with pytest.raises(TypeError, match="pool must be a ValidRange"):
        v.Instance(v.ValidRange).check("pool", None)
    seq = v.Sequence(v.Record(("a", "b"), (R, R)), max_size=2)
    assert seq.check("s", [(1, 2)]) == [(1.0, 2.0)]
    with pytest.raises(ValueError, match=r"s\[0\].b must be in"):
        seq.check("s", [(1, 20)])
    with pytest.raises(ValueError, match="s must hold 0 to 2 items"):
        seq.check("s", [(1, 2)] * 3)


def test_validated_checks_every_call_and_passes_checked_values():
    @v.validated(x=R, n=v.Integer(v.ValidRange(0, 5)),
                 requires=[v.Require(("x", "n"), lambda a: a["x"] > a["n"], "x must exceed n")])
    def f(x, n=1):
        return x, n

    assert f(2, 1.0) == (2.0, 1) and type(f(2, 1.0)[1]) is int
    assert f(n=0, x=1) == (1.0, 0)
    with pytest.raises(ValueError, match="x must exceed n"):
        f(3.0, 4)
    with pytest.raises(ValueError, match="n must be an integer"):
        f(3.0, 10**400)
    with pytest.raises(TypeError, match="missing a required argument"):
        f()
    with pytest.raises(TypeError, match="unexpected keyword"):
        f(2.0, y=1)
    assert f.__api__.specs["x"] is R and f.__wrapped__(0.0, 9) == (0.0, 9)


def test_a_declaration_must_cover_every_parameter():
    with pytest.raises(TypeError, match=r"undeclared parameters \['n'\]"):
        @v.validated(x=R)
        def f(x, n):
            return x
    with pytest.raises(TypeError, match=r"unknown \['y'\]"):
        @v.validated(x=R, y=R)
        def g(x):
            return x


def test_declared_classes():
    @v.input_type(low=R, high=R,
                  requires=[v.Require(("low", "high"), lambda a: a["low"] <= a["high"],
                                      "need low <= high")])
    class Interval:
        def __init__(self, low, high):
            self.low, self.high = low, high

    assert Interval(1, 2).high == 2.0
    with pytest.raises(ValueError, match="need low <= high"):
        Interval(3, 2)
    with pytest.raises(ValueError, match="high must be finite"):
        Interval(1, math.inf)
    assert Interval.__api__.kind == "input"

    @v.result_type(nonfinite={"x": "why"})
    class Out:
        pass

    assert Out.__api__.kind == "result" and Out.__api__.nonfinite == {"x": "why"}
