"""The page of a channel or playlist search: the rows matching the words and the conditions, counted,
ordered by relevance (`match`) or one of their columns; ties by id."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.services.search import fulltext


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


async def ranked_ids(session: AsyncSession, model, index: fulltext.FullTextIndex, *, words: list[str],
                     fuzzy: bool, conditions: list, sort: str, sorts: dict, start: int,
                     count: int) -> tuple[int, list[int]]:
    """(total, the ids of the page) of `model`'s rows under `conditions` whose text in `index` holds
    `words` (every row when there are none)."""
    ids_query, count_query = sa.select(model.id), sa.select(sa.func.count()).select_from(model)
    relevance = None
    if words:
        matched = fulltext.matched(session.bind.dialect.name, index, words, fuzzy=fuzzy)
        ids_query = ids_query.join(matched, matched.c.id == model.id)
        count_query = count_query.join(matched, matched.c.id == model.id)
        relevance = matched.c.rank
    total = (await session.execute(count_query.where(*conditions))).scalar_one()
    if not count or total <= start:
        return total, []
    order = relevance_order(sort, relevance, sorts, model.created_at, model.id)
    ids = await session.execute(ids_query.where(*conditions).order_by(*order).offset(start).limit(count))
    return total, list(ids.scalars())
