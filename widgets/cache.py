"""An on-disk memo for slow, deterministic model functions, switched on by ``make live``.

A lesson's first cell often draws a static twin that runs the noisy axon model for tens of
simulated seconds (5-15 s of computing). The results depend only on the arguments (every
generator is seeded) and on the model's code, so ``make live`` computes them before class, in the
background, and a lesson's cells read them back (see ``tools/live.py``).

The memo is active only when ``TWITCH_CACHE_DIR`` names a folder; otherwise a decorated function
runs as if undecorated (tests, nbval and the book build always compute). A result is stored
under a key made of the function's name, its arguments (dictionaries sorted) and a hash of the
source of every module in :mod:`widgets.models`, so any change to a model invalidates it.
Exceptions are never stored: invalid arguments raise their ``ValueError`` every time.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import tempfile
from pathlib import Path

ENV = "TWITCH_CACHE_DIR"


@functools.lru_cache(maxsize=1)
def models_digest() -> str:
    """Hash of the source of every module of :mod:`widgets.models` (and numpy's version)."""
    import numpy as np

    h = hashlib.sha256(np.__version__.encode())
    for path in sorted((Path(__file__).parent / "models").glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return repr(value)


def disk_cached(fn):
    """Decorator: memoize ``fn`` on disk in ``$TWITCH_CACHE_DIR`` (a no-op when it is unset)."""
    signature = inspect.signature(fn)
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        folder = os.environ.get(ENV)
        if not folder:
            return fn(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = hashlib.sha256(repr((name, models_digest(), _canonical(bound.arguments)))
                             .encode()).hexdigest()
        path = Path(folder) / f"{name}-{key[:32]}.pkl"
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        result = fn(*args, **kwargs)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
                pickle.dump(result, f)
            os.replace(f.name, path)
        except OSError:  # a read-only or full disk only costs speed
            pass
        return result

    wrapper.uncached = fn
    return wrapper
