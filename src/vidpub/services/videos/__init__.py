"""Video use cases: lookup and access, creation, updates, state changes."""
