from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

_counted: ContextVar[list | None] = ContextVar("counted_mail", default=None)


@contextmanager
def mail_counted():
    """Mail sent inside goes to the files only and is counted: commands that send a lot (seed_demo)
    print a summary instead of every message."""
    sent: list = []
    token = _counted.set(sent)
    try:
        yield sent
    finally:
        _counted.reset(token)


class ConsoleAndFileEmailBackend(BaseEmailBackend):
    """Development mail: shown in the terminal and kept as files to reopen later."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._console = ConsoleBackend(**kwargs)
        self._file = FileBackend(**kwargs)

    def send_messages(self, email_messages):
        sent = self._file.send_messages(email_messages)
        counted = _counted.get()
        if counted is None:
            self._console.send_messages(email_messages)
        else:
            counted.extend(email_messages)
        return sent
