"""Background work as rows of one durable table: enqueue, claim with a lease, retry with backoff."""
