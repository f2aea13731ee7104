"""Categories in and out of spreadsheets through the unfold admin (django-import-export)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lms_site.models import User
from lms_site.tests.admin_client import CSV, XLSX, AdminImport, messages_of
from lms_site.tests.factories import activate_authenticator_app

from ..models import Category, CourseStatus
from .factories import CategoryFactory, course_in

pytestmark = pytest.mark.django_db

CATEGORIES_URL = reverse("admin:catalog_category_changelist")
IMPORT_URL = reverse("admin:catalog_category_import")
EXPORT_URL = reverse("admin:catalog_category_export")
HEADERS = ["name", "slug", "icon", "description"]
PYTHON = ["Python", "python", "code", "The language."]
DESIGN = ["Design", "design", "palette", "Colour and type."]


CATEGORIES = AdminImport("catalog_category", HEADERS)
upload, preview, confirm, import_through_admin = (
    CATEGORIES.upload,
    CATEGORIES.preview,
    CATEGORIES.confirm,
    CATEGORIES.through_admin,
)


def categories():
    return sorted(Category.objects.values_list("name", "slug", "icon", "description"))


def test_category_added_in_the_admin_is_created(admin_client):
    response = admin_client.post(
        reverse("admin:catalog_category_add"), dict(zip(HEADERS, PYTHON, strict=True))
    )

    assert (response.status_code, response["Location"]) == (302, CATEGORIES_URL)
    assert categories() == [tuple(PYTHON)]


def test_category_edited_in_the_admin_is_updated(admin_client):
    category = CategoryFactory(name="Py", slug="python")

    admin_client.post(
        reverse("admin:catalog_category_change", args=[category.pk]), dict(zip(HEADERS, PYTHON, strict=True))
    )

    assert categories() == [tuple(PYTHON)]


def test_category_holding_courses_is_not_deleted(admin_client, admin):
    course = course_in(CourseStatus.DRAFT, admin=admin)

    response = admin_client.post(
        reverse("admin:catalog_category_delete", args=[course.category_id]), {"post": "yes"}
    )

    assert response.status_code == 200
    assert Category.objects.filter(pk=course.category_id).exists()


def test_category_list_counts_published_courses(admin_client, admin):
    published = course_in(CourseStatus.PUBLISHED, admin=admin)
    course_in(CourseStatus.DRAFT, admin=admin, category=published.category)

    response = admin_client.get(CATEGORIES_URL)

    [category] = response.context["cl"].result_list
    assert category.course_count == 1


def test_category_list_shows_import_and_export_to_admins(admin_client):
    html = admin_client.get(CATEGORIES_URL).text

    assert f'href="{IMPORT_URL}"' in html
    assert f'href="{EXPORT_URL}?' in html


def test_csv_import_creates_new_categories(admin_client):
    response = import_through_admin(admin_client, upload(PYTHON, DESIGN))

    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", "Import finished: 2 new, 0 updated, 0 deleted and 0 skipped categories.")
    ]
    assert categories() == sorted([tuple(DESIGN), tuple(PYTHON)])


def test_csv_import_updates_the_category_with_the_same_slug(admin_client):
    existing = CategoryFactory(name="Py", slug="python", icon="", description="")

    import_through_admin(admin_client, upload(PYTHON))

    existing.refresh_from_db()
    assert (existing.name, existing.icon, existing.description) == ("Python", "code", "The language.")
    assert Category.objects.count() == 1


def test_import_preview_writes_nothing(admin_client):
    response = preview(admin_client, upload(PYTHON))

    assert response.context["confirm_form"] is not None
    assert not Category.objects.exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["", "nameless", "", ""], "name", "This field cannot be blank."),
        (["Bad slug", "bad slug!", "", ""], "slug", "Enter a valid “slug”"),
        (["Python", "python-again", "", ""], "name", "Category with this Name already exists."),
    ],
    ids=["missing-name", "invalid-slug", "duplicate-name"],
)
def test_one_bad_row_writes_nothing_and_is_named(admin_client, row, field, message):
    response = preview(admin_client, upload(PYTHON, DESIGN, row))

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 3
    assert message in invalid.field_specific_errors[field][0]
    assert message in response.text
    assert not Category.objects.exists()


def test_bad_row_found_at_confirmation_writes_nothing_and_is_named(admin_client):
    """The data can change between preview and confirmation: then the whole file is still refused."""
    checked = preview(admin_client, upload(PYTHON, DESIGN))
    CategoryFactory(name="Design", slug="graphic-design")

    response = confirm(admin_client, checked)

    assert (response.status_code, response["Location"]) == (302, IMPORT_URL)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Row 2: name: Category with this Name already exists." in text
    assert list(Category.objects.values_list("slug", flat=True)) == ["graphic-design"]


def test_csv_export_has_the_resource_columns(admin_client):
    CategoryFactory(name="Python", slug="python", icon="code", description="The language.")

    response = admin_client.post(EXPORT_URL, {"format": CSV})

    assert response.content.decode().splitlines() == [
        "name,slug,icon,description",
        "Python,python,code,The language.",
    ]


def test_xlsx_export_then_import_leaves_the_categories_unchanged(admin_client):
    CategoryFactory(name="Python", slug="python", icon="code", description="The language.")
    CategoryFactory(name="Design", slug="design", icon="", description="")
    before = categories()
    exported = admin_client.post(EXPORT_URL, {"format": XLSX}).content
    assert [cell.value for cell in load_workbook(io.BytesIO(exported)).active[1]] == HEADERS

    response = import_through_admin(
        admin_client, SimpleUploadedFile("categories.xlsx", exported), file_format=XLSX
    )

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 2 skipped categories.")
    ]
    assert categories() == before


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_staff_who_is_not_an_admin_cannot_import_or_export(client, student, url):
    User.objects.filter(pk=student.pk).update(is_staff=True)
    activate_authenticator_app(student)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(student)

    assert client.get(url).status_code == 403
    assert client.post(url, {"format": CSV, "import_file": upload(PYTHON)}).status_code == 403
    assert not Category.objects.exists()
