"""ActivityPub federation: PeerTube's dialect (peertube-internals §5).

`urls` names every object, `context` gives JSON-LD contexts, `signatures`/`ld_signatures` sign and
verify, `fetch` reads remote documents (SSRF-safe), `remote_actors` stores remote actors, `audience`
picks recipients, `outbox.delivery` queues signed deliveries, `inbox` verifies and dispatches
incoming activities to the `process_*` modules, `routes` serves the AP documents.
"""
