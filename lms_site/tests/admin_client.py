"""Driving the admin as an admin clicks through it: messages, and django-import-export's import."""

from dataclasses import dataclass

import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

CSV, XLSX = 0, 1  # the admin's format choices, in the order of every admin's `formats`


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


@dataclass(frozen=True)
class AdminImport:
    """One admin's import: `model` as in its URL names ("lms_site_user"), `headers` its columns."""

    model: str
    headers: list[str]

    def url(self, step: str) -> str:
        return reverse(f"admin:{self.model}_{step}")

    def rows(self, *values, headers=None) -> list[dict]:
        return [dict(zip(headers or self.headers, row, strict=True)) for row in values]

    def upload(self, *values, file_format="csv", headers=None) -> SimpleUploadedFile:
        content = tablib.Dataset(*values, headers=headers or self.headers).export(file_format)
        return SimpleUploadedFile(
            f"{self.model}.{file_format}", content.encode() if isinstance(content, str) else content
        )

    def preview(self, client, file, file_format=CSV):
        return client.post(self.url("import"), {"format": file_format, "import_file": file})

    def confirm(self, client, preview_response):
        form = preview_response.context["confirm_form"]
        return client.post(self.url("process_import"), {name: form[name].value() for name in form.fields})

    def through_admin(self, client, file, file_format=CSV):
        """Upload, then confirm the preview."""
        return self.confirm(client, self.preview(client, file, file_format))
