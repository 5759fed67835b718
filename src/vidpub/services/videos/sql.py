"""SQL constructs the video queries need, with one spelling per database where the planners differ."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class NotInSubquery(ColumnElement):
    """`column NOT IN (subquery)` for an uncorrelated subquery, written `column <> ALL (ARRAY(subquery))`
    on PostgreSQL: the same rows, but an init plan the planner costs once. With NOT IN, it costs the
    subquery's hash for every probe of a nested loop (e.g. each match of a full-text search joined
    with its video) and picks a sequential scan of the whole video table instead (45 ms instead of 5
    at 100,000 videos)."""
    type = sa.Boolean()
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("subquery", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, subquery: sa.Select):
        self.column = column
        self.subquery = subquery


@compiles(NotInSubquery)
def _not_in(element, compiler, **kw):
    return compiler.process(element.column.not_in(element.subquery), **kw)


@compiles(NotInSubquery, "postgresql")
def _not_in_postgresql(element, compiler, **kw):
    return (f"{compiler.process(element.column, **kw)} <> ALL (ARRAY("
            f"{compiler.process(element.subquery, asfrom=False, **kw)}))")
