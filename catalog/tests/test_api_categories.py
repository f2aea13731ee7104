"""Categories over HTTP: anyone reads them with their published-course counts; only admins change them."""

import pytest
from django.urls import reverse

from ..models import Category, CourseStatus
from .factories import CategoryFactory, build_course, course_in

pytestmark = pytest.mark.django_db

LIST = reverse("api:category-list")


def detail(category):
    return reverse("api:category-detail", args=[category.slug])


def test_anyone_lists_categories_counting_only_published_courses(api_client, admin):
    published = course_in(CourseStatus.PUBLISHED, admin=admin)
    build_course(category=published.category)  # a draft in the same category
    CategoryFactory(name="Empty")

    response = api_client.get(LIST)

    assert response.status_code == 200
    counts = {category["slug"]: category["course_count"] for category in response.json()["data"]["results"]}
    assert counts == {published.category.slug: 1, "empty": 0}


def test_anyone_reads_one_category(api_client):
    category = CategoryFactory(name="Design", icon="palette")

    data = api_client.get(detail(category)).json()["data"]

    assert data == {
        "name": "Design",
        "slug": "design",
        "icon": "palette",
        "description": "A subject.",
        "course_count": 0,
    }


def test_admin_creates_a_category_with_a_slug_from_its_name(client_for, admin):
    response = client_for(admin).post(LIST, {"name": "Data Science", "icon": "analytics"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["data"]["slug"] == "data-science"
    assert response.json()["data"]["course_count"] == 0
    assert Category.objects.filter(slug="data-science", icon="analytics").exists()


def test_duplicate_category_name_is_400(client_for, admin):
    CategoryFactory(name="Music")

    response = client_for(admin).post(LIST, {"name": "Music"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["error"]["details"]


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_non_admins_cannot_create_categories(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).post(LIST, {"name": "Mine"}, format="json")

    assert response.status_code == 403
    assert not Category.objects.exists()


def test_anonymous_cannot_create_categories(api_client):
    assert api_client.post(LIST, {"name": "Mine"}, format="json").status_code == 401


def test_admin_renames_a_category(client_for, admin):
    category = CategoryFactory(name="Programing")

    response = client_for(admin).patch(detail(category), {"name": "Programming"}, format="json")

    assert response.status_code == 200
    category.refresh_from_db()
    assert (category.name, category.slug) == ("Programming", "programing")


def test_instructor_cannot_edit_a_category(client_for, instructor):
    category = CategoryFactory(name="Art")

    assert client_for(instructor).patch(detail(category), {"name": "Mine"}, format="json").status_code == 403
    category.refresh_from_db()
    assert category.name == "Art"


def test_admin_deletes_an_empty_category(client_for, admin):
    category = CategoryFactory()

    assert client_for(admin).delete(detail(category)).status_code == 204
    assert not Category.objects.filter(pk=category.pk).exists()


def test_deleting_a_category_that_holds_courses_is_409(client_for, admin):
    course = build_course()

    response = client_for(admin).delete(detail(course.category))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Category.objects.filter(pk=course.category_id).exists()
