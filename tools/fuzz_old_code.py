"""Run this branch's API fuzz tests against the models of an older commit (issue 15).

    .venv/bin/python tools/fuzz_old_code.py main [pytest arguments...]
    .venv/bin/python tools/fuzz_old_code.py main --exhaustive [tools/fuzz_api.py arguments...]

Shows what the new tests report on code that predates them. It exports the older commit's
tree into a temporary folder, copies this branch's ``widgets/models`` there as
``widgets_new.models`` (for its declarations and spec classes only) and the fuzz tests
(``tests/api_fuzz.py``, ``tests/test_api_fuzz.py``, ``tests/test_panels_sequences.py``), then
attaches each declaration to the older commit's function, method or class of the same name
*without* the checking wrapper: the older code runs as it was, with its own checks or their
absence. To test the older code's own promises, not the new ones:

* a range the fix narrowed or renamed is replaced by the older module's constant where it
  had one (``RANGE_ALIASES``; e.g. the noisy-run durations up to 3600 s);
* NaN or inf results count as documented only where the older docstrings documented them
  (``UNDOCUMENTED_IN_OLD`` lists the callables whose non-finite results were not).

The older panels are tested as they are. Nothing here changes the repository.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OVERLAY = r'''
"""Attach widgets_new's declarations to the older widgets.models (no checking wrapper)."""
import dataclasses
import importlib
import inspect
import pkgutil
import types

import widgets.models as old_pkg
import widgets_new.models as new_pkg
from widgets_new.models import validation as nv

def _squid_duration(old):  # the older code took (0, 10000] ms, checking > 0 separately
    return nv.ValidRange(0.0, old.DURATION_RANGE_ms.high, "ms", low_open=True)


RANGE_ALIASES = {
    ("squid_axon", "RHEOBASE_DURATION_RANGE_ms"): _squid_duration,
    ("squid_axon", "ONSET_DURATION_RANGE_ms"): _squid_duration,
    ("ectopic", "DURATION_RANGE_ms"):
        lambda old: nv.ValidRange(1.0, 1e3 * old.DURATION_RANGE_s.high, "ms"),
}
UNDOCUMENTED_IN_OLD = {"motor_axon.strength_duration", "motor_axon.recovery_cycle",
                       "motor_axon.threshold_readouts", "base_rates.PopulationTree"}


def _old_range(short, new_mod, old_mod, spec):
    for name, val in vars(new_mod).items():
        if val is spec:
            alias = RANGE_ALIASES.get((short, name), name)
            if callable(alias):
                return alias(old_mod)
            old = getattr(old_mod, alias, None)
            if old is not None and hasattr(old, "low") and hasattr(old, "high"):
                low_open = spec.low_open if old.low == spec.low else False
                return nv.ValidRange(old.low, old.high, old.unit, old.default,
                                     low_open=low_open)
    return spec


def _rebind(f, new_mod, old_mod):
    if not isinstance(f, types.FunctionType):
        return f
    g = dict(vars(new_mod))
    g.update(vars(old_mod))
    return types.FunctionType(f.__code__, g, f.__name__, f.__defaults__, f.__closure__)


def _old_class(cls):
    mod = importlib.import_module(cls.__module__.replace("widgets_new", "widgets", 1))
    return getattr(mod, cls.__name__)


def _convert(spec, short, new_mod, old_mod):
    c = lambda s: _convert(s, short, new_mod, old_mod)  # noqa: E731
    if not isinstance(spec, nv.ValidRange) and type(spec).__name__ == "ValidRange":
        return nv.ValidRange(spec.low, spec.high, spec.unit, spec.default)  # an older one
    if isinstance(spec, nv.ValidRange):
        return _old_range(short, new_mod, old_mod, spec)
    if isinstance(spec, nv.Integer):
        return nv.Integer(c(spec.valid), spec.strict)
    if isinstance(spec, nv.Array):
        return dataclasses.replace(spec, valid=c(spec.valid) if spec.valid else None)
    if isinstance(spec, nv.Optional):
        return nv.Optional(c(spec.spec))
    if isinstance(spec, nv.AnyOf):
        return nv.AnyOf(*[c(s) for s in spec.specs])
    if isinstance(spec, nv.Sequence):
        return dataclasses.replace(spec, of=c(spec.of))
    if isinstance(spec, nv.Record):
        return nv.Record(spec.names, tuple(c(s) for s in spec.specs))
    if isinstance(spec, nv.Keyed):
        return dataclasses.replace(spec, specs={k: c(s) for k, s in spec.specs.items()})
    if isinstance(spec, nv.Instance):
        return nv.Instance(_old_class(spec.cls), spec.what)
    if isinstance(spec, nv.Dependent):
        make = _rebind(spec.make, new_mod, old_mod)
        return nv.Dependent(lambda a, make=make: c(make(a)), spec.text)
    if isinstance(spec, nv.Function):
        return nv.Function(c(spec.returns) if spec.returns else None, spec.signature)
    return spec


def _api(api, qual, short, new_mod, old_mod):
    requires = tuple(nv.Require(r.names, _rebind(r.test, new_mod, old_mod),
                                _rebind(r.message, new_mod, old_mod)) for r in api.requires)
    nonfinite = {} if qual in UNDOCUMENTED_IN_OLD else api.nonfinite
    return nv.Api(api.qualname, {k: _convert(s, short, new_mod, old_mod)
                                 for k, s in api.specs.items()}, requires, nonfinite, api.cost)


ATTACHED = []
for info in pkgutil.iter_modules(new_pkg.__path__):
    if info.name == "validation":
        continue
    short = info.name
    new_mod = importlib.import_module(f"widgets_new.models.{short}")
    try:
        old_mod = importlib.import_module(f"widgets.models.{short}")
    except ImportError:
        continue
    for name, obj in vars(new_mod).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != new_mod.__name__:
            continue
        old = getattr(old_mod, name, None)
        if old is None:
            continue
        if inspect.isfunction(obj) and hasattr(obj, "__api__") and inspect.isfunction(old):
            old.__api__ = _api(obj.__api__, f"{short}.{name}", short, new_mod, old_mod)
            ATTACHED.append(f"{short}.{name}")
        elif inspect.isclass(obj) and isinstance(vars(obj).get("__api__"), nv.ClassApi):
            capi = obj.__api__
            init = None
            if capi.kind == "input":
                init = _api(capi.init, f"{short}.{name}", short, new_mod, old_mod)
                old.__init__.__api__ = init
            nonfinite = {} if f"{short}.{name}" in UNDOCUMENTED_IN_OLD else capi.nonfinite
            old.__api__ = nv.ClassApi(capi.kind, init, _rebind(capi.example, new_mod, old_mod),
                                      nonfinite)
            ATTACHED.append(f"{short}.{name}")
            for mname, member in vars(obj).items():
                om = vars(old).get(mname)
                if hasattr(member, "__api__") and inspect.isfunction(om):
                    om.__api__ = _api(member.__api__, f"{short}.{name}.{mname}", short,
                                      new_mod, old_mod)
'''


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    rev, pytest_args = argv[0], argv[1:]
    exhaustive = bool(pytest_args) and pytest_args[0] == "--exhaustive"
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-old-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        new = tmp / "widgets_new"
        shutil.copytree(ROOT / "widgets" / "models", new / "models")
        (new / "__init__.py").write_text("")
        for py in (new / "models").glob("*.py"):
            text = re.sub(r"\bwidgets\.models\b", "widgets_new.models", py.read_text())
            py.write_text(text)
        tests = tmp / "tests"
        for name in ("test_api_fuzz.py", "test_panels_sequences.py"):
            shutil.copy(ROOT / "tests" / name, tests / name)
        fuzz = (ROOT / "tests" / "api_fuzz.py").read_text()
        fuzz = fuzz.replace("from widgets.models import validation as v",
                            "from tests import overlay_declarations  # noqa: F401\n"
                            "from widgets_new.models import validation as v")
        (tests / "api_fuzz.py").write_text(fuzz)
        (tests / "overlay_declarations.py").write_text(OVERLAY)
        if exhaustive:
            (tmp / "tools").mkdir(exist_ok=True)
            shutil.copy(ROOT / "tools" / "fuzz_api.py", tmp / "tools" / "fuzz_api.py")
            cmd = [sys.executable, "tools/fuzz_api.py", *pytest_args[1:]]
        else:
            cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--rootdir",
                   str(tmp), *pytest_args, "tests/test_api_fuzz.py",
                   "tests/test_panels_sequences.py"]
        env = {**__import__("os").environ, "PYTHONPATH": str(tmp)}
        print(f"older tree {rev} in {tmp}", flush=True)
        return subprocess.run(cmd, cwd=tmp, env=env).returncode
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
