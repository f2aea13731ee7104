"""Accounts created in bulk from a spreadsheet. Every row is checked before any is written."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from . import services
from .errors import Conflict, NotAllowed, ValidationFailed
from .models import Role, User

COLUMNS = ("email", "first_name", "last_name", "role")
IMPORTABLE_ROLES = (Role.STUDENT, Role.INSTRUCTOR)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class NewAccount:
    email: str
    first_name: str
    last_name: str
    role: str


class ImportRejected(ValidationFailed):
    """Rows that cannot be imported, by row number; nothing was written."""

    def __init__(self, row_errors: dict[int, dict[str, list[str]]]):
        self.row_errors = row_errors
        super().__init__(
            _("Nothing was imported; correct these rows and try again."),
            details={
                f"row {number}": [
                    _("Row %(number)d: %(message)s") % {"number": number, "message": message}
                    for messages in fields.values()
                    for message in messages
                ]
                for number, fields in row_errors.items()
            },
        )


def users_import_check(*, rows: Sequence[Row]) -> list[NewAccount]:
    """The accounts the rows describe, or ImportRejected naming every bad row.

    Rows are numbered from 1 without the header line, as django-import-export numbers them.
    """
    if rows and "email" not in rows[0]:
        raise ValidationFailed(_("The file has no “email” column."))
    emails = [cell_text(row.get("email")).lower() for row in rows]
    taken = _taken_emails(emails)
    first_row_of: dict[str, int] = {}
    accounts, row_errors = [], {}
    for number, (row, email) in enumerate(zip(rows, emails, strict=True), 1):
        try:
            account = _check_row(row, email)
        except ValidationError as error:
            row_errors[number] = error.message_dict
            continue
        if email in taken:
            row_errors[number] = {
                "email": [_("An account with %(email)s already exists.") % {"email": email}]
            }
        elif email in first_row_of:
            message = _("%(email)s is already on row %(row)d.") % {"email": email, "row": first_row_of[email]}
            row_errors[number] = {"email": [message]}
        else:
            first_row_of[email] = number
            accounts.append(account)
    if row_errors:
        raise ImportRejected(row_errors)
    return accounts


@transaction.atomic
def users_import(*, rows: Sequence[Row], imported_by: User) -> list[User]:
    """Create verified students and instructors without passwords; each is emailed an invitation to set
    one (lms_site.services.invitation_send), sent once the import commits.

    Existing accounts are never touched, and no row can make an admin.
    """
    check_importer(imported_by, _("Only admins can import users."))
    accounts = users_import_check(rows=rows)
    try:
        with transaction.atomic():
            users = [_create(account, imported_by) for account in accounts]
    except IntegrityError as exc:  # someone signed up with one of the addresses since the check
        raise Conflict(_("An address in the file was registered meanwhile; nothing was imported.")) from exc
    for user in users:
        services.invitation_send(user=user, invited_by=imported_by)
    return users


def cell_text(value) -> str:
    """A spreadsheet cell as text: empty for an empty cell."""
    return "" if value is None else str(value).strip()


# Text a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection), perhaps
# after quotes. Escaping adds one leading single quote; reading removes exactly that one, so a file
# exported and imported again changes nothing, even for text that began with quotes.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def formula_escaped(value):
    """A cell to write: text starting as a formula would (=, +, -, @, tab, CR) gets a leading quote, so
    spreadsheets show it as text; other values are left as they are."""
    return f"'{value}" if isinstance(value, str) and _FORMULA.match(value) else value


def formula_unescaped(value):
    """A cell read back: the quote `formula_escaped` added is taken away again."""
    return value[1:] if isinstance(value, str) and _ESCAPED_FORMULA.match(value) else value


def check_importer(user: User, refusal: str) -> None:
    """Only active admins import, whatever the file."""
    if not (user.is_active and user.role == Role.ADMIN):
        raise NotAllowed(refusal)


def _taken_emails(emails: list[str]) -> set[str]:
    """Addresses already in use, as a login or as any account's other address; one query each."""
    wanted = {email for email in emails if email}
    logins = User.objects.annotate(key=Lower("email")).filter(key__in=wanted).values_list("key", flat=True)
    others = (
        EmailAddress.objects.annotate(key=Lower("email")).filter(key__in=wanted).values_list("key", flat=True)
    )
    return {*logins, *others}


def _check_row(row: Row, email: str) -> NewAccount:
    """The model's own field rules, plus the roles an import may give."""
    errors: dict[str, list[str]] = {}
    values = {
        "email": email,
        "first_name": cell_text(row.get("first_name")),
        "last_name": cell_text(row.get("last_name")),
    }
    for name, value in values.items():
        try:
            User._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            errors[name] = error.messages
    role = cell_text(row.get("role")).lower() or Role.STUDENT
    if role == Role.ADMIN:
        errors["role"] = [_("Admins cannot be imported; give the role to an existing account instead.")]
    elif role not in IMPORTABLE_ROLES:
        errors["role"] = [
            _("“%(role)s” is not a role an import can give; use student or instructor.") % {"role": role}
        ]
    if errors:
        raise ValidationError(errors)
    return NewAccount(role=role, **values)


def _create(account: NewAccount, imported_by: User) -> User:
    """Made a student first, so an instructor's role is granted, and audited, by the role service."""
    user = User.objects.create_user(account.email, first_name=account.first_name, last_name=account.last_name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if account.role == Role.STUDENT:
        return services.user_sync_role(user=user)
    return services.user_change_role(
        user=user,
        role=account.role,
        changed_by=imported_by,
        reason=_("Imported by %(admin)s.") % {"admin": imported_by},
    )
