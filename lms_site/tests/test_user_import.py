"""Users in and out of spreadsheets: the import service, and the admin's import and export on top of it."""

import io
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from openpyxl import load_workbook

from lms_site import imports
from lms_site.errors import NotAllowed, ValidationFailed
from lms_site.models import AccountEvent, Role, User

from .admin_client import CSV, XLSX, AdminImport, messages_of
from .factories import activate_authenticator_app

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:lms_site_user_import")
EXPORT_URL = reverse("admin:lms_site_user_export")
HEADERS = ["email", "first_name", "last_name", "role"]
ADA = ["ada@example.com", "Ada", "Lovelace", "student"]
ALAN = ["alan@example.com", "Alan", "Turing", "instructor"]


USERS = AdminImport("lms_site_user", HEADERS)
rows_of, upload, preview, import_through_admin = USERS.rows, USERS.upload, USERS.preview, USERS.through_admin


def test_service_creates_verified_students_and_instructors_in_their_groups(admin):
    ada, alan = imports.users_import(rows=rows_of(ADA, ALAN), imported_by=admin)

    assert [(user.email, user.first_name, user.role) for user in (ada, alan)] == [
        ("ada@example.com", "Ada", Role.STUDENT),
        ("alan@example.com", "Alan", Role.INSTRUCTOR),
    ]
    assert [set(user.groups.values_list("name", flat=True)) for user in (ada, alan)] == [
        {"Students"},
        {"Instructors", f"Library {alan.pk}"},
    ]
    assert set(
        EmailAddress.objects.filter(user__in=[ada, alan]).values_list("email", "verified", "primary")
    ) == {
        ("ada@example.com", True, True),
        ("alan@example.com", True, True),
    }


def test_imported_accounts_have_no_usable_password(admin):
    [ada] = imports.users_import(rows=rows_of(ADA), imported_by=admin)

    assert not ada.has_usable_password()


def test_imported_instructor_role_is_recorded_as_given_by_the_importing_admin(admin):
    [alan] = imports.users_import(rows=rows_of(ALAN), imported_by=admin)

    event = AccountEvent.objects.get(user=alan)
    assert (event.actor, event.from_value, event.to_value) == (admin, Role.STUDENT, Role.INSTRUCTOR)


def test_blank_role_imports_a_student(admin):
    [user] = imports.users_import(rows=rows_of(["sam@example.com", "", "", ""]), imported_by=admin)

    assert user.role == Role.STUDENT


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["root@example.com", "", "", "admin"], "role", "Admins cannot be imported"),
        (["x@example.com", "", "", "superuser"], "role", "“superuser” is not a role an import can give"),
        (["not-an-email", "", "", "student"], "email", "Enter a valid email address."),
        (["", "Nobody", "", "student"], "email", "This field cannot be blank."),
        (["long@example.com", "x" * 151, "", "student"], "first_name", "at most 150 characters"),
    ],
    ids=["admin-role", "unknown-role", "invalid-email", "no-email", "long-name"],
)
def test_bad_row_is_refused_with_its_reason(admin, row, field, message):
    with pytest.raises(imports.ImportRejected) as refusal:
        imports.users_import(rows=rows_of(ADA, row), imported_by=admin)

    [text] = refusal.value.row_errors[2][field]
    assert message in text
    assert not User.objects.exclude(pk=admin.pk).exists()


def test_known_email_in_other_case_is_refused_and_its_account_left_alone(admin, student):
    first_name = student.first_name
    row = [student.email.upper(), "Changed", "Name", "instructor"]

    with pytest.raises(imports.ImportRejected) as refusal:
        imports.users_import(rows=rows_of(row), imported_by=admin)

    assert refusal.value.row_errors == {1: {"email": [f"An account with {student.email} already exists."]}}
    student.refresh_from_db()
    assert (student.first_name, student.role) == (first_name, Role.STUDENT)
    assert not AccountEvent.objects.exists()


def test_email_repeated_in_the_file_is_refused_naming_the_first_row(admin):
    again = ["ADA@example.com", "Ada", "Again", "student"]

    with pytest.raises(imports.ImportRejected) as refusal:
        imports.users_import(rows=rows_of(ADA, ALAN, again), imported_by=admin)

    assert refusal.value.row_errors == {3: {"email": ["ada@example.com is already on row 1."]}}


def test_one_bad_row_among_several_writes_nothing_and_names_the_row(admin):
    rows = rows_of(ADA, ["bad@", "", "", "student"], ALAN)

    with pytest.raises(imports.ImportRejected) as refusal:
        imports.users_import(rows=rows, imported_by=admin)

    assert list(refusal.value.row_errors) == [2]
    assert refusal.value.details == {"row 2": ["Row 2: Enter a valid email address."]}
    assert list(User.objects.all()) == [admin]
    assert not EmailAddress.objects.exclude(user=admin).exists()


def test_file_without_an_email_column_is_refused(admin):
    with pytest.raises(ValidationFailed, match="The file has no “email” column"):
        imports.users_import(rows=rows_of(ADA, headers=["Email", *HEADERS[1:]]), imported_by=admin)


def test_only_admins_may_import(instructor):
    with pytest.raises(NotAllowed):
        imports.users_import(rows=rows_of(ADA), imported_by=instructor)

    assert not User.objects.filter(email=ADA[0]).exists()


def test_extra_columns_cannot_raise_privileges(admin):
    rows = rows_of([*ADA, "1", "1"], headers=[*HEADERS, "is_staff", "is_superuser"])

    [ada] = imports.users_import(rows=rows, imported_by=admin)

    assert (ada.is_staff, ada.is_superuser) == (False, False)


def test_admin_csv_import_creates_the_accounts_through_the_service(admin_client, admin):
    response = import_through_admin(admin_client, upload(ADA, ALAN))

    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", "Import finished: 2 new, 0 updated, 0 deleted and 0 skipped users.")
    ]
    alan = User.objects.get(email="alan@example.com")
    assert (alan.role, alan.has_usable_password()) == (Role.INSTRUCTOR, False)
    assert AccountEvent.objects.get(user=alan).actor == admin


def test_admin_import_preview_writes_nothing(admin_client):
    response = preview(admin_client, upload(ADA, ALAN))

    assert response.context["confirm_form"] is not None
    assert [row.diff for row in response.context["result"].valid_rows()] == [ADA, ALAN]
    assert not User.objects.filter(email__in=[ADA[0], ALAN[0]]).exists()


def test_admin_import_preview_shows_the_bad_row_and_offers_no_confirmation(admin_client):
    response = preview(admin_client, upload(ADA, ["root@example.com", "", "", "admin"], ALAN))

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    assert "Admins cannot be imported" in invalid.field_specific_errors["role"][0]
    assert "Admins cannot be imported" in response.text
    assert not User.objects.filter(email__in=[ADA[0], ALAN[0]]).exists()


def test_admin_confirmation_reports_an_address_registered_since_the_preview(admin_client):
    checked = preview(admin_client, upload(ADA, ALAN))
    User.objects.create_user(ALAN[0])

    response = USERS.confirm(admin_client, checked)

    assert (response.status_code, response["Location"]) == (302, IMPORT_URL)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert f"Row 2: An account with {ALAN[0]} already exists." in text
    assert not User.objects.filter(email=ADA[0]).exists()


def test_admin_xlsx_import_and_export_round_trip(admin_client):
    import_through_admin(admin_client, upload(ADA, ALAN, file_format="xlsx"), XLSX)

    response = admin_client.post(f"{EXPORT_URL}?role__exact=instructor", {"format": XLSX})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == ("email", "first_name", "last_name", "role", "is_active", "date_joined")
    assert [row[:5] for row in rows] == [(*ALAN, True)]


def test_admin_csv_export_has_the_resource_columns(admin_client, student):
    response = admin_client.post(EXPORT_URL, {"format": CSV})

    header, *lines = response.content.decode().splitlines()
    assert header == "email,first_name,last_name,role,is_active,date_joined"
    assert any(
        line.startswith(f"{student.email},{student.first_name},{student.last_name},student,1,")
        for line in lines
    )


def test_user_list_offers_import_and_export_to_admins(admin_client):
    html = admin_client.get(reverse("admin:lms_site_user_changelist")).text

    assert f'href="{IMPORT_URL}"' in html
    assert f'href="{EXPORT_URL}?' in html  # keeps the list's filters


def test_import_page_lists_only_the_columns_an_import_reads(admin_client):
    response = admin_client.get(IMPORT_URL)

    assert [columns for _resource, columns in response.context["fields_list"]] == [HEADERS]


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_staff_who_is_not_an_admin_cannot_import_or_export(client, student, url):
    User.objects.filter(pk=student.pk).update(is_staff=True)
    activate_authenticator_app(student)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(student)

    assert client.get(url).status_code == 403
    assert client.post(url, {"format": CSV, "import_file": upload(ADA)}).status_code == 403
    assert not User.objects.filter(email=ADA[0]).exists()


# Invitations


def invitation_link(mailoutbox, email) -> str:
    [message] = [message for message in mailoutbox if message.to == [email]]
    assert message.subject == "Your account is ready: set your password"
    return re.search(r"http://\S+/account/invitation/\S+/", message.body).group()


def test_imported_people_are_invited_to_set_a_password_and_sign_in(
    admin, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        imports.users_import(rows=rows_of(ADA, ALAN), imported_by=admin)
    link = urlsplit(invitation_link(mailoutbox, ADA[0])).path
    assert invitation_link(mailoutbox, ALAN[0])

    assert "Set your password" in client.get(link).text
    response = client.post(
        link, {"new_password1": "A long new secret 42", "new_password2": "A long new secret 42"}
    )

    assert response.url == reverse("account_login")
    assert User.objects.get(email=ADA[0]).check_password("A long new secret 42")
    assert "has expired or was used already" in client.get(link).text  # good for one use


def test_an_invitation_link_expires(admin, client, mailoutbox, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        imports.users_import(rows=rows_of(ADA), imported_by=admin)
    link = urlsplit(invitation_link(mailoutbox, ADA[0])).path
    settings.PASSWORD_RESET_TIMEOUT = -1  # any age is past it

    client.post(link, {"new_password1": "A long new secret 42", "new_password2": "A long new secret 42"})

    assert "has expired or was used already" in client.get(link).text
    assert not User.objects.get(email=ADA[0]).has_usable_password()


def test_a_forged_invitation_link_sets_nothing(client, student):
    link = reverse("lms_site:invitation", args=["bm90LWEtdXVpZA", "1-forged"])

    assert client.post(link, {"new_password1": "Xx1" * 7, "new_password2": "Xx1" * 7}).status_code == 200
    assert not User.objects.get(pk=student.pk).check_password("Xx1" * 7)


def test_import_preview_says_each_new_account_is_invited(admin_client):
    response = preview(admin_client, upload(ADA))

    assert ("info", "Each new account is emailed a link to set its password; the link works for 3 days.") in (
        messages_of(response)
    )
