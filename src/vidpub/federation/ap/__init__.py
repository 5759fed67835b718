"""Mappers between our rows and ActivityPub objects, one module per object type (`to_ap` builds the
document we publish, `from_ap` validates a received document into plain values)."""
