"""Airflow's face of the notify step: a sender (``pressdx.jobs.notify.Sender``) on Airflow's SMTP hook.

The connection ``pressdx_smtp`` is looked up only when a notice is to be sent; without it the task is
skipped (logged: nobody is told of the rejections until it is defined), intake and build go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ingest.notices import Notice
from pressdx.airflow import config
from pressdx.jobs.notify import Send

SMTP_CONN_ID = "pressdx_smtp"


class SmtpSender:
    """Sends each notice's HTML form, with its ``X-Pressdx-*`` headers, through one SMTP session."""

    needs_recipients = True

    def __init__(self, conn_id: str = SMTP_CONN_ID) -> None:
        self.conn_id = conn_id

    @contextmanager
    def session(self) -> Iterator[Send]:
        with self._hook() as hook:
            def send(n: Notice) -> None:
                hook.send_email_smtp(to=n.to, subject=n.subject, html_content=n.html, custom_headers=n.headers)

            yield send

    def _hook(self):
        """Airflow's SMTP hook on the connection; skips the task when the connection is not defined."""
        if not config.in_airflow():
            raise config.PermanentError(f"sending e-mail needs Airflow's SMTP connection {self.conn_id!r}")
        from airflow.providers.smtp.hooks.smtp import SmtpHook
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSkipException

        try:
            Connection.get(self.conn_id)
        except AirflowNotFoundException:
            raise AirflowSkipException(f"no Airflow connection {self.conn_id!r}: rejection notices not sent "
                                       "(docs/airflow.md)") from None
        return SmtpHook(smtp_conn_id=self.conn_id)
