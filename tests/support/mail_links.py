"""Mails a test server sent (its mail log, when no SMTP server is configured) and the links in them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tests.support.server import ServerProcess

_URL = re.compile(r"https?://\S+")


def wait_for_mail(server: ServerProcess, to: str, subject_contains: str = "") -> dict:
    """The latest mail to `to` whose subject contains the text, waiting for the email job to run."""

    def find():
        matching = [mail for mail in server.mail_log()
                    if to in mail["to"] and subject_contains.lower() in mail["subject"].lower()]
        return matching[-1] if matching else None

    return server.wait_for(find)


def mails_to(server: ServerProcess, to: str) -> list[dict]:
    return [mail for mail in server.mail_log() if to in mail["to"]]


def link_query(text: str, path: str) -> dict[str, str]:
    """The query parameters of the first link to `path` in a mail body."""
    for url in _URL.findall(text):
        parts = urlsplit(url)
        if parts.path == path:
            return {key: values[0] for key, values in parse_qs(parts.query).items()}
    raise AssertionError(f"no link to {path} in:\n{text}")
