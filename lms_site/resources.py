"""Users as spreadsheet rows for the admin's export and import (django-import-export)."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from import_export import resources
from import_export.results import Error, Result, RowResult

from . import imports
from .errors import DomainError
from .models import User


class UserResource(resources.ModelResource):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "is_active", "date_joined")
        export_order = fields


class UserImportResult(Result):
    """Also carries the service's refusal, so the admin can report it after the confirm step."""

    refusal: DomainError | None = None


class UserImportResource(UserResource):
    """Rows go through lms_site.imports, so the admin refuses exactly what the service refuses.

    The preview (dry run) only checks; the confirmed import creates every account or none.
    Errors are always reported in the result, never raised.
    """

    class Meta(UserResource.Meta):
        fields = imports.COLUMNS

    def get_result_class(self):
        return UserImportResult

    def import_data(self, dataset, dry_run=False, *, user, **kwargs):
        result = self.get_result_class()()
        result.diff_headers = list(imports.COLUMNS)
        result.total_rows = len(dataset)
        rows = dataset.dict
        try:
            if dry_run:
                users = [User(**asdict(account)) for account in imports.users_import_check(rows=rows)]
            else:
                users = imports.users_import(rows=rows, imported_by=user)
        except imports.ImportRejected as refusal:
            result.refusal = refusal
            for number, errors in refusal.row_errors.items():
                result.append_invalid_row(number, rows[number - 1], ValidationError(errors))
        except DomainError as refusal:
            result.refusal = refusal
            result.append_base_error(Error(refusal))
        else:
            for new_user in users:
                row = _new_row(new_user)
                result.append_row_result(row)
                result.increment_row_result_total(row)
        return result


def _new_row(user: User) -> RowResult:
    row = RowResult()
    row.import_type = RowResult.IMPORT_TYPE_NEW
    row.diff = [getattr(user, name) for name in imports.COLUMNS]
    row.instance = user  # the admin logs an addition for each
    row.add_instance_info(user)
    return row
