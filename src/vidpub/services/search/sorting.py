"""ORDER BY of the search lists: relevance (`match`) or one of their columns; ties by id."""

from __future__ import annotations

import sqlalchemy as sa


def relevance_order(sort: str, relevance: sa.ColumnElement | None, columns: dict, newest_first: sa.ColumnElement,
                    id_column: sa.ColumnElement) -> list:
    """`sort` is `[-]match` or a key of `columns`. Without words there is no relevance: `match` then
    lists the newest first."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    if column == "match":
        if relevance is None:
            return [newest_first.desc(), id_column.asc()]
        return [relevance.desc() if descending else relevance.asc(), newest_first.desc(), id_column.asc()]
    expression = columns[column]
    return [expression.desc() if descending else expression.asc(), id_column.asc()]
