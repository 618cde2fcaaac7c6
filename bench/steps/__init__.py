"""Generator steps. Every module in this package is imported, so a new file is a new step."""

import importlib
import pkgutil


def load_all() -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")
