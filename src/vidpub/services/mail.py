"""Outgoing mail. Through SMTP when `smtp.hostname` is set; otherwise every message is appended to
`<storage.logs>/emails.log` (one JSON object per line) where the admin can read it."""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.jobs.queue import enqueue
from vidpub.schemas.common import iso_millis

log = logging.getLogger("vidpub.mail")

MAIL_LOG_NAME = "emails.log"


def queue_email(session: AsyncSession, config: Config, to: list[str], subject: str, text: str) -> None:
    """Send later through the `email` job, in the caller's transaction."""
    prefix = config.email.subject.prefix
    full_subject = f"{prefix} {subject}" if prefix else subject
    body = f"{text.rstrip()}\n\n-- \n{config.email.body.signature}\n"
    enqueue(session, "email", {"to": to, "subject": full_subject, "text": body})


def smtp_enabled(config: Config) -> bool:
    return bool(config.smtp.hostname) or (config.smtp.transport == "sendmail" and bool(config.smtp.sendmail))


async def deliver(config: Config, to: list[str], subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = config.smtp.from_address
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config.webserver.hostname)
    message.set_content(text)
    if config.smtp.transport == "sendmail" and config.smtp.sendmail:
        await _sendmail(config.smtp.sendmail, message)
    elif config.smtp.hostname:
        await _smtp(config, message)
    else:
        _append_to_log(config, to, subject, text)


async def _smtp(config: Config, message: EmailMessage) -> None:
    smtp = config.smtp
    context = ssl.create_default_context(cafile=smtp.ca_file) if smtp.ca_file else None
    await aiosmtplib.send(
        message, hostname=smtp.hostname, port=int(smtp.port), username=smtp.username, password=smtp.password,
        use_tls=bool(smtp.tls), start_tls=False if (smtp.tls or smtp.disable_starttls) else None,
        tls_context=context, timeout=30)


async def _sendmail(binary: str, message: EmailMessage) -> None:
    process = await asyncio.create_subprocess_exec(binary, "-t", "-i", stdin=asyncio.subprocess.PIPE)
    await process.communicate(message.as_bytes())
    if process.returncode != 0:
        raise RuntimeError(f"sendmail exited with {process.returncode}")


def mail_log_path(config: Config):
    return config.storage_path("logs") / MAIL_LOG_NAME


def _append_to_log(config: Config, to: list[str], subject: str, text: str) -> None:
    path = mail_log_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"date": iso_millis(utcnow()), "to": to, "subject": subject, "text": text})
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    log.info("no SMTP server configured: mail to %s written to %s", ", ".join(to), path)
