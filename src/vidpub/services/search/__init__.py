"""Search: full-text matching with relevance on SQLite and PostgreSQL, and the search API's use cases
(videos, channels, playlists; handles and URLs resolving the object they name)."""
