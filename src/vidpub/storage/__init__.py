"""Where files live and under which URL they are served. Only the local filesystem for now; object
storage (S3) will be a second backend behind the same functions."""
