"""Server-rendered pages and the non-API routes PeerTube serves (discovery, static files)."""
