"""Authentication: passwords, OAuth tokens, roles and rights, two-factor codes."""
