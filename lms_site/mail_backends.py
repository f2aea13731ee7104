from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileEmailBackend(BaseEmailBackend):
    """Development mail: shown in the terminal and kept as files to reopen later."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._backends = [ConsoleBackend(**kwargs), FileBackend(**kwargs)]

    def send_messages(self, email_messages):
        sent = 0
        for backend in self._backends:
            sent = backend.send_messages(email_messages)
        return sent
