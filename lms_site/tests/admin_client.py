"""Driving the admin as an admin clicks through it: messages, and django-import-export's import and export."""

import csv
import io
import re
from dataclasses import dataclass

import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

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


# Text a spreadsheet would run as a formula, as an export must never write it.
FORMULA_START = re.compile(r"[=+\-@\t\r]")


def exported_rows(content: bytes, file_format=CSV) -> list[list]:
    """An export's rows, header first. XLSX cells that hold a formula come back as `Formula(...)`."""
    if file_format == XLSX:
        sheet = load_workbook(io.BytesIO(content)).active
        return [
            [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in row]
            for row in sheet.rows
        ]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@dataclass(frozen=True)
class Formula:
    text: str


def assert_no_formulas(rows: list[list]) -> None:
    """No cell is a formula, or text a spreadsheet would take for one."""
    for row in rows:
        for cell in row:
            assert not isinstance(cell, Formula), cell
            assert not (isinstance(cell, str) and FORMULA_START.match(cell)), cell
