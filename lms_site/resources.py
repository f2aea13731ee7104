"""Spreadsheet rows for the admin's export and import (django-import-export): users, and the
import resource every app's checked import builds on."""

from dataclasses import asdict

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.results import Error, Result, RowResult

from . import imports
from .errors import DomainError
from .models import User


class SpreadsheetResource(resources.ModelResource):
    """Every resource the admin exports or imports: cells a spreadsheet would run as formulas are written
    with a leading quote and read back without it (lms_site.imports.formula_escaped).

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (4.4) only deletes a leading
    "=", changing the data and leaving +, -, @, tab and CR as they are; it stays off.
    """

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [imports.formula_escaped(value) for value in row]

    def import_data(self, dataset, *args, **kwargs):
        return super().import_data(unescaped(dataset), *args, **kwargs)


def unescaped(dataset: tablib.Dataset) -> tablib.Dataset:
    """The rows of a file as they were before an export escaped their formulas."""
    return tablib.Dataset(
        *([imports.formula_unescaped(value) for value in row] for row in dataset), headers=dataset.headers
    )


class ServiceImportResult(Result):
    """Also carries the service's refusal, so the admin can report it after the confirm step."""

    refusal: DomainError | None = None


class ServiceImportResource(SpreadsheetResource):
    """An import whose rows go through a service, so the admin refuses exactly what the service refuses.

    The preview (dry run) only checks; the confirmed import writes every row or none. Errors are
    always reported in the result, never raised. Subclasses say which columns they read, how the
    rows are checked (`check_rows`) and written (`import_rows`), each giving one item per row, and
    what a row shows (`describe_row`). Imports that also update say what each row did
    (`import_type`) and which instance the admin logs for it (`instance_of`).
    """

    columns: tuple[str, ...] = ()

    def check_rows(self, rows) -> list:
        raise NotImplementedError

    def import_rows(self, rows, *, user) -> list:
        raise NotImplementedError

    def describe_row(self, item) -> list:
        raise NotImplementedError

    def import_type(self, item) -> str:
        return RowResult.IMPORT_TYPE_NEW

    def instance_of(self, item):
        return item

    def get_result_class(self):
        return ServiceImportResult

    def import_data(self, dataset, dry_run=False, *, user, **kwargs):
        result = self.get_result_class()()
        result.diff_headers = list(self.columns)
        result.total_rows = len(dataset)
        rows = unescaped(dataset).dict
        try:
            items = self.check_rows(rows) if dry_run else self.import_rows(rows, user=user)
        except imports.ImportRejected as refusal:
            result.refusal = refusal
            for number, errors in refusal.row_errors.items():
                result.append_invalid_row(number, rows[number - 1], ValidationError(errors))
        except DomainError as refusal:
            result.refusal = refusal
            result.append_base_error(Error(refusal))
        else:
            for item in items:
                instance = self.instance_of(item)
                row = RowResult()
                row.import_type = self.import_type(item)
                row.diff = self.describe_row(item)
                row.instance = instance  # the admin logs an addition or a change for each
                row.add_instance_info(instance)
                result.append_row_result(row)
                result.increment_row_result_total(row)
        return result


class ServiceEditResource(ServiceImportResource):
    """An import that also updates: `check` and `write` are its service's two functions, each giving one
    edit per row that says whether it `is_new`, whether it `changed` anything, and its `instance`. A row
    saying what is already there is skipped, so a file exported and imported again changes nothing."""

    check: staticmethod
    write: staticmethod

    def check_rows(self, rows):
        return self.check(rows=rows)

    def import_rows(self, rows, *, user):
        return self.write(rows=rows, imported_by=user)

    def import_type(self, item):
        if item.is_new:
            return RowResult.IMPORT_TYPE_NEW
        return RowResult.IMPORT_TYPE_UPDATE if item.changed else RowResult.IMPORT_TYPE_SKIP

    def instance_of(self, item):
        return item.instance


class UserResource(SpreadsheetResource):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "is_active", "date_joined")
        export_order = fields


class UserImportResource(ServiceImportResource, UserResource):
    """Accounts created through lms_site.imports: verified students or instructors, never admins."""

    columns = imports.COLUMNS

    class Meta(UserResource.Meta):
        fields = imports.COLUMNS

    def check_rows(self, rows):
        return [User(**asdict(account)) for account in imports.users_import_check(rows=rows)]

    def import_rows(self, rows, *, user):
        return imports.users_import(rows=rows, imported_by=user)

    def describe_row(self, instance):
        return [getattr(instance, name) for name in imports.COLUMNS]
