"""Full-text matching and relevance as SQL expressions, one spelling per database.

The indexes are migration 0007's: FTS5 tables on SQLite (rowid = the indexed row's id), tables of
weighted `tsvector`s on PostgreSQL (plus the folded name, trigram-indexed when `pg_trgm` exists), except
that the videos' documents are in the video rows there (migration 0018). The
expressions below are correlated with the indexed table's id column, so that a list query filters and
orders by them like by any column, and each compiles for the database it runs on. Their bound values
are parameters: one compiled statement serves every search of the same shape.

Fuzzy matching (trigram similarity of names, for typos) exists on PostgreSQL with `pg_trgm` only; the
search services use it as a second chance when the words match nothing.

Three forms: `matches()`, a condition on an id column that compiles for either database (for queries
built without knowing it); `matched()`, the matches with their relevance as a derived table, which the
lists join to filter and order by relevance in one pass; and, where the documents are in the indexed
rows, `in_row()`, a condition and a relevance on those rows, which the lists use instead of the join.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from vidpub.services.search.terms import fts5_query, tsquery_parts

# pg_trgm present in this process's database: asked once (an extension comes with a migration)
_trigram_available: dict[str, bool] = {}
# PostgreSQL: a last word that is the prefix of at most this many lexemes is searched as those lexemes;
# one that stands for more (a letter or two) stays a prefix query
MAX_PREFIX_LEXEMES = 32


@dataclass(frozen=True)
class FullTextIndex:
    table: str
    key: str  # the PostgreSQL table's column naming the indexed row
    bm25_weights: tuple[float, ...]  # SQLite: weight of each FTS5 column (PostgreSQL: setweight A/B/C)
    # PostgreSQL: where the documents are, (table, its column naming the indexed row, document column):
    # the full-text table's, or the indexed rows themselves (videos, migration 0018)
    documents: tuple[str, str, str] | None = None

    @property
    def document_at(self) -> tuple[str, str, str]:
        return self.documents or (self.table, self.key, "document")


VIDEOS = FullTextIndex("video_fts", "video_id", (10.0, 4.0, 1.0),                       # name, tags, description
                       documents=("video", "id", "search_document"))
CHANNELS = FullTextIndex("video_channel_fts", "channel_id", (8.0, 10.0, 1.0))           # handle, display name, description
PLAYLISTS = FullTextIndex("video_playlist_fts", "playlist_id", (10.0, 1.0))              # name, description
_INDEXES = {index.table: index for index in (VIDEOS, CHANNELS, PLAYLISTS)}


class _FullTextExpression(ColumnElement):
    inherit_cache = True
    _traverse_internals = [
        ("id_column", InternalTraversal.dp_clauseelement),
        ("table", InternalTraversal.dp_string),
        ("fts5", InternalTraversal.dp_clauseelement),
        ("tsquery", InternalTraversal.dp_clauseelement),
        ("ts_head", InternalTraversal.dp_clauseelement),
        ("ts_prefix", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, id_column, index: FullTextIndex, terms: list[str]):
        self.id_column = id_column
        self.table = index.table
        self.fts5 = sa.bindparam(None, fts5_query(terms), type_=sa.String())
        query, head, prefix = tsquery_parts(terms)
        self.tsquery = sa.bindparam(None, query, type_=sa.String())
        self.ts_head = sa.bindparam(None, head, type_=sa.String()) if head is not None else None
        self.ts_prefix = sa.bindparam(None, prefix, type_=sa.String())

    @property
    def index(self) -> FullTextIndex:
        return _INDEXES[self.table]


class Matches(_FullTextExpression):
    """`id_column` names a row whose indexed text holds every word (the last as a prefix too)."""
    type = sa.Boolean()
    inherit_cache = True


def _once(expression: str) -> str:
    """`expression` (of the search's parameters only) as an uncorrelated scalar subquery: PostgreSQL
    evaluates it once per execution (an InitPlan), where the bare expression would be evaluated for
    every candidate row of a generic plan. Its value also stays unknown to the planner, so searches
    get a generic plan rather than being planned again on every request: measured on 100,000 videos,
    a two-word search went from 7.2 ms (1.9 ms of it planning) to 4.9 ms in PostgreSQL."""
    return f"(SELECT {expression})"


# tsquery input, not parsed again: a lexeme quoted, its quotes and backslashes doubled
_QUOTED_LEXEME = "'''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''''"


def _expanded_tsquery(query: str, head: str | None, prefix: str) -> str:
    """The search's `tsquery` (once per execution, like `_once`), its last word turned into the lexemes
    of the vocabulary (migration 0016) it is a prefix of: `'ocean' & ('sunset' | 'sunsets')` rather
    than `'ocean' & 'sunset':*`, which the GIN index answers in a third of the time (for a prefix it
    first gathers the rows of every lexeme into a bitmap). The prefix query stays when the last word is
    the prefix of no lexeme or of more than MAX_PREFIX_LEXEMES, or is not one word to the parser.

    `query`, `head` and `prefix` are SQL for the text of the whole query (`'ocean' & 'sun':*`), of the
    words before the last (None: there are none) and of the last word."""
    start = f"lower(vidpub_unaccent({prefix}))"
    # byte order (the vocabulary's collation): U+10FFFF sorts after every continuation of the prefix
    candidates = (f"SELECT lexeme FROM fulltext_lexeme WHERE lexeme >= {start} AND lexeme < {start} || chr(1114111) "
                  f"ORDER BY lexeme LIMIT {MAX_PREFIX_LEXEMES + 1}")
    expansion = (f"(SELECT count(*) AS found, string_agg({_QUOTED_LEXEME}, ' | ')::tsquery AS alternatives "
                 f"FROM ({candidates}) AS candidates) AS expansion")
    words = f"to_tsquery('simple', vidpub_unaccent({head})) && " if head is not None else ""
    one_word = f"numnode(to_tsquery('simple', vidpub_unaccent({prefix}))) = 1"
    return (f"(SELECT CASE WHEN expansion.found BETWEEN 1 AND {MAX_PREFIX_LEXEMES} AND {one_word} "
            f"THEN {words}expansion.alternatives ELSE to_tsquery('simple', vidpub_unaccent({query})) END "
            f"FROM {expansion})")


def _tsquery_sql(element, compiler, **kw) -> str:
    head = compiler.process(element.ts_head, **kw) if element.ts_head is not None else None
    return _expanded_tsquery(compiler.process(element.tsquery, **kw), head, compiler.process(element.ts_prefix, **kw))


@compiles(Matches, "sqlite")
def _matches_sqlite(element, compiler, **kw):
    table = element.table
    return (f"{compiler.process(element.id_column, **kw)} IN "
            f"(SELECT rowid FROM {table} WHERE {table} MATCH {compiler.process(element.fts5, **kw)})")


@compiles(Matches, "postgresql")
def _matches_postgresql(element, compiler, **kw):
    table, key, document = element.index.document_at
    return (f"{compiler.process(element.id_column, **kw)} IN (SELECT {key} FROM {table} "
            f"WHERE {table}.{document} @@ {_tsquery_sql(element, compiler, **kw)})")


def matches(id_column, index: FullTextIndex, terms: list[str]) -> ColumnElement:
    return Matches(id_column, index, terms)


class _InRowMatch(_FullTextExpression):
    """The document in the row of `id_column` holds the words (PostgreSQL, documents in their rows)."""
    type = sa.Boolean()
    inherit_cache = True


class _InRowRank(_FullTextExpression):
    """The relevance of the document in the row of `id_column` (PostgreSQL, documents in their rows)."""
    type = sa.Float()
    inherit_cache = True


def _row_document(element, compiler) -> str:
    return f"{compiler.preparer.quote(element.id_column.table.name)}.{element.index.document_at[2]}"


@compiles(_InRowMatch, "postgresql")
def _in_row_match_postgresql(element, compiler, **kw):
    return f"{_row_document(element, compiler)} @@ {_tsquery_sql(element, compiler, **kw)}"


@compiles(_InRowRank, "postgresql")
def _in_row_rank_postgresql(element, compiler, **kw):
    # ts_rank (weights, then how often the words occur), not ts_rank_cd (cover density: where they
    # occur): measured on the 438 matches of a two-word search, 0.14 ms against 0.5 ms of ranking
    return f"ts_rank({_row_document(element, compiler)}, {_tsquery_sql(element, compiler, **kw)})"


def in_row(dialect: str, index: FullTextIndex, terms: list[str], id_column, *, fuzzy: bool = False,
           ranked: bool = True) -> tuple[ColumnElement, ColumnElement | None] | None:
    """(condition, relevance — None unless `ranked`) on the rows of `id_column` themselves, where the
    database keeps the documents in those rows (PostgreSQL, videos): a list filters and ranks its
    matches as it reads them, with no join. None elsewhere: join `matched()` instead."""
    if dialect != "postgresql" or fuzzy or index.documents is None:
        return None
    return _InRowMatch(id_column, index, terms), _InRowRank(id_column, index, terms) if ranked else None


def matched(dialect: str, index: FullTextIndex, terms: list[str], *, fuzzy: bool = False,
            ranked: bool = True) -> sa.Subquery:
    """The rows matching `terms` with their relevance, as a derived table `(id, rank)` to join (the
    higher the rank, the better). `fuzzy` (PostgreSQL with pg_trgm only): trigram similarity of names.
    Not `ranked` (a search sorted by another column): `rank` is 0, and no relevance is computed."""
    table, key = index.table, index.key
    if dialect == "sqlite":
        # bm25() is lower for better matches, and only exists within the MATCH query itself
        weights = ", ".join(str(weight) for weight in index.bm25_weights)
        rank = f"-bm25({table}, {weights})" if ranked else "0.0"
        # LIMIT -1 (no limit) is a fence: SQLite must not flatten the matches into the outer join. Flattened,
        # its planner may walk the video table and probe the full-text index once per row, the very
        # plan it picked on a database without statistics: above 3 s for 100,000 videos, against 3 ms.
        sql = f"SELECT rowid AS id, {rank} AS rank FROM {table} WHERE {table} MATCH :fts_query LIMIT -1"
        parameters = [sa.bindparam("fts_query", fts5_query(terms), type_=sa.String())]
    elif fuzzy:
        words = _once("lower(vidpub_unaccent(:fts_words))")
        rank = f"similarity(name, {words})" if ranked else "0.0"
        sql = f"SELECT {key} AS id, {rank} AS rank FROM {table} WHERE name % {words}"
        parameters = [sa.bindparam("fts_words", " ".join(terms), type_=sa.String())]
    else:
        table, key, document = index.document_at
        whole, head, prefix = tsquery_parts(terms)
        query = _expanded_tsquery(":fts_query", ":fts_head" if head is not None else None, ":fts_prefix")
        rank = f"ts_rank({document}, {query})" if ranked else "0.0"  # ts_rank: see _in_row_rank_postgresql
        sql = f"SELECT {key} AS id, {rank} AS rank FROM {table} WHERE {document} @@ {query}"
        parameters = [sa.bindparam("fts_query", whole, type_=sa.String()),
                      sa.bindparam("fts_prefix", prefix, type_=sa.String())]
        if head is not None:
            parameters.append(sa.bindparam("fts_head", head, type_=sa.String()))
    if dialect != "sqlite":
        # a fence: PostgreSQL must not fold the matches into the outer query, where it would rather walk
        # a list's index in order and probe each row (every row, since searches count their matches)
        sql += " OFFSET 0"
    return sa.text(sql).bindparams(*parameters).columns(id=sa.Integer(), rank=sa.Float()).subquery("matched")


async def fuzzy_available(session: AsyncSession) -> bool:
    """Whether fuzzy matching exists here: PostgreSQL with the pg_trgm extension."""
    dialect = session.bind.dialect.name
    if dialect != "postgresql":
        return False
    url = str(session.bind.url)
    if url not in _trigram_available:
        found = (await session.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))).first()
        _trigram_available[url] = found is not None
    return _trigram_available[url]
