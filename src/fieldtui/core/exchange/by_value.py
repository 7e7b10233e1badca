"""Checking a table's rows value by value, where its model allows it: the verdict of checking each
row, with a fraction of the Python (a merge checks tens of thousands of sessions and marks a file).

A model whose fields are each validated on their own (no model validator, no field validator that
reads the other fields through `info`, no old-style validator, no `model_post_init`) accepts a row exactly when it
accepts each of the row's values. So each distinct value of each column is validated once, in
place of that field of a valid row of the table (`validate_assignment`: that field's validators
only), rather than once per row. For a refused value the caller checks the rows holding it row by
row, for the same message as without this.

`independent` is computed from the model itself: a validator added later that reads two fields
turns this off for that model without anyone remembering to. Ids are not validated here (the
model takes any text; rules.py checks every id in SQL, more strictly, before this runs).
"""

from __future__ import annotations

import inspect
import sqlite3
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

_BATCH = 2000


@cache
def independent(model: type[BaseModel]) -> bool:
    """True when the model validates each field on its own (see the module docstring)."""
    decorators = model.__pydantic_decorators__
    if decorators.model_validators or decorators.root_validators or decorators.validators:
        return False
    if any("model_post_init" in vars(c) for c in model.__mro__ if c is not BaseModel and issubclass(c, BaseModel)):
        return False  # code run on the whole model once it is built
    for decorator in decorators.field_validators.values():
        params = inspect.signature(decorator.func).parameters
        if decorator.info.mode == "wrap" or len(params) != 1:  # (v, info): it may read other fields
            return False
    return True


def refused_rows(conn: sqlite3.Connection, model: type[BaseModel], select: str,
                 base: dict[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """None when the model accepts every value of every column of `select`'s rows; else a
    condition (and its parameters) on `select`'s columns that picks the rows holding the first
    value refused. `base` is a row of `select` the model accepts whole."""
    instance = model.model_validate(base)
    validator = model.__pydantic_validator__
    for name in (c for c in base if c in model.model_fields and c != "id"):
        cur = conn.execute(f'SELECT DISTINCT "{name}" COLLATE BINARY, typeof("{name}") FROM ({select})')
        while batch := cur.fetchmany(_BATCH):
            for value, kind in batch:
                try:
                    validator.validate_assignment(instance, name, value)
                except (ValidationError, ValueError, TypeError, RecursionError):
                    return f'("{name}" COLLATE BINARY) IS ? AND typeof("{name}") = ?', (value, kind)
    return None
