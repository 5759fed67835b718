"""A search box's text as full-text queries: its words, each required, the last one also matching as a
prefix (the user may still be typing it).

Words are runs of letters and digits, as both databases' tokenizers cut them (SQLite's `unicode61`,
PostgreSQL's parser for ordinary words); everything else separates words, so no character of the text
reaches a query's syntax.
"""

from __future__ import annotations

import re

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")


def search_terms(text: str | None) -> list[str]:
    """The words of `text`, lower-cased (accents are the index's business), at most MAX_TERMS."""
    if not text:
        return []
    return [word[:MAX_TERM_LENGTH] for word in _WORD.findall(text.lower())[:MAX_TERMS]]


def fts5_query(terms: list[str]) -> str:
    """SQLite FTS5: `"ocean" "sun"*` (an implicit AND; quoted strings are plain words)."""
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms: list[str]) -> str:
    """PostgreSQL `to_tsquery` text: `'ocean' & 'sun':*`."""
    return tsquery_words(terms) + ":*"


def tsquery_words(terms: list[str]) -> str:
    """PostgreSQL `to_tsquery` text of whole words: `'ocean' & 'sun'`."""
    return " & ".join(f"'{term}'" for term in terms)


def tsquery_parts(terms: list[str]) -> tuple[str, str | None, str]:
    """(`tsquery(terms)`, the words before the last as `tsquery_words` — None when there are none —,
    the last word): what a PostgreSQL search expands its last word with (services/search/fulltext.py)."""
    return tsquery(terms), tsquery_words(terms[:-1]) if len(terms) > 1 else None, terms[-1]
