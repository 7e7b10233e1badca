"""Modules imported on first attribute access, so what a screen does not use costs no memory.

The validation models (pydantic) are ~15 MiB of RSS and a fifth of start-up (benchmarks/): the
home, list and summary screens never validate anything, so they hold the models module lazily
and only a form (or a save in the store) loads it.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any


def lazy_module(name: str) -> Any:
    """`name`, imported on its first attribute access (importlib's LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
