"""A module imported on first use."""
from __future__ import annotations

import importlib
import types


class _LazyModule(types.ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_module"] = None

    def __getattr__(self, attr: str):
        module = self.__dict__["_module"]
        if module is None:
            module = self.__dict__["_module"] = importlib.import_module(self.__name__)
        return getattr(module, attr)


def lazy_module(name: str) -> types.ModuleType:
    """`name`, imported the first time one of its attributes is read."""
    return _LazyModule(name)
