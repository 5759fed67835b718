"""Mail through a real SMTP server: the password reset link arrives by SMTP, not in the mail log."""

from __future__ import annotations

import email
import email.policy
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.support.mail_links import link_query
from tests.support.postgres import free_port


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@pytest.fixture(scope="module")
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mailing_server(server_factory, smtp_inbox):
    _, port = smtp_inbox
    return server_factory(config={"smtp": {"hostname": "127.0.0.1", "port": port, "tls": False,
                                           "disable_starttls": True, "from_address": "videos@example.org"}})


def test_password_reset_link_arrives_by_smtp(mailing_server, smtp_inbox, unique):
    inbox, _ = smtp_inbox
    server = mailing_server
    name = f"smtp{unique}"
    address = f"{name}@example.com"
    server.create_user(name)

    asked = server.anonymous.post("/api/v1/users/ask-reset-password", json={"email": address})
    assert asked.status_code == 204, asked.text

    [message] = server.wait_for(lambda: inbox.to(address))
    assert message["From"] == "videos@example.org"
    assert "Reset your account password" in message["Subject"]
    query = link_query(message.get_content(), "/reset-password")
    body = {"verificationString": query["verificationString"], "password": "by-smtp-1"}
    reset = server.anonymous.post(f"/api/v1/users/{query['userId']}/reset-password", json=body)
    assert reset.status_code == 204, reset.text
    assert server.anonymous.login(name, "by-smtp-1").get("/api/v1/users/me").status_code == 200
    assert server.mail_log() == []  # with SMTP configured nothing goes to the log


def test_user_created_without_password_chooses_it_from_the_mail(mailing_server, smtp_inbox, unique):
    inbox, _ = smtp_inbox
    server = mailing_server
    name = f"nopw{unique}"
    address = f"{name}@example.com"
    created = server.root.post("/api/v1/users", json={"username": name, "email": address, "role": 2})
    assert created.status_code == 200, created.text
    assert server.anonymous.token_request(name, "").status_code == 400

    [message] = server.wait_for(lambda: inbox.to(address))
    query = link_query(message.get_content(), "/reset-password")
    assert query["isCreation"] == "true"
    body = {"verificationString": query["verificationString"], "password": "chosen-1"}
    chosen = server.anonymous.post(f"/api/v1/users/{query['userId']}/reset-password", json=body)
    assert chosen.status_code == 204, chosen.text
    assert server.anonymous.login(name, "chosen-1").get("/api/v1/users/me").status_code == 200
