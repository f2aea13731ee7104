"""Spreadsheet formulas in exported cells are kept as text (OWASP CSV injection) and read back unchanged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lms_site.imports import formula_escaped, formula_unescaped
from lms_site.models import User

from .admin_client import CSV, XLSX, AdminImport, assert_no_formulas, exported_rows
from .factories import StudentFactory

pytestmark = pytest.mark.django_db

# One of each start a spreadsheet runs: =, +, -, @, tab and carriage return.
FORMULAS = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMATS = pytest.mark.parametrize("file_format", [CSV, XLSX], ids=["csv", "xlsx"])
USERS = AdminImport("lms_site_user", ["email", "first_name", "last_name", "role"])


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_gets_a_leading_quote_that_reading_takes_away(text):
    assert formula_escaped(text) == f"'{text}"
    assert formula_unescaped(formula_escaped(text)) == text


@pytest.mark.parametrize("text", ["'=1+1", "''@SUM(A1)"])
def test_text_quoted_before_a_formula_comes_back_as_it_was(text):
    assert formula_escaped(text) == f"'{text}"
    assert formula_unescaped(formula_escaped(text)) == text


@pytest.mark.parametrize("value", ["Plain", "", "O'Brien", "'quoted", "a=b", 5, Decimal("-1"), None])
def test_other_values_are_written_and_read_as_they_are(value):
    assert formula_escaped(value) == value
    assert formula_unescaped(value) == value


@FORMATS
def test_user_export_keeps_formulas_as_text(admin_client, file_format):
    StudentFactory(email="-ann@example.com", first_name=FORMULAS[0], last_name=FORMULAS[3])

    rows = exported_rows(
        admin_client.post(reverse("admin:lms_site_user_export"), {"format": file_format}).content, file_format
    )

    assert_no_formulas(rows)
    assert ["'-ann@example.com", f"'{FORMULAS[0]}", f"'{FORMULAS[3]}"] in [row[:3] for row in rows]


@FORMATS
def test_user_import_reads_an_escaped_formula_back_as_it_was(admin_client, file_format):
    extension = "xlsx" if file_format == XLSX else "csv"
    upload = USERS.upload(["ann@example.com", f"'{FORMULAS[0]}", "''=Lee", "student"], file_format=extension)

    USERS.through_admin(admin_client, upload, file_format)

    assert User.objects.values_list("first_name", "last_name").get(email="ann@example.com") == (
        FORMULAS[0],
        "'=Lee",
    )
