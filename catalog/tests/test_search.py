"""Catalog search: full text through the course's own index, ranked, word prefixes, hostile input."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .. import services
from ..models import CourseLifecycle, CoursePage, CourseStatus
from ..search import SEARCH_CONFIG, search_courses
from .factories import course_in

pytestmark = pytest.mark.django_db
LIST = reverse("api:course-list")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full text needs PostgreSQL")


def found(api_client, text, **params):
    response = api_client.get(LIST, {"search": text, **params})
    assert response.status_code == 200, response.json()
    return [card["title"] for card in response.json()["data"]["results"]]


@pytest.fixture
def courses(admin):
    return {
        title: course_in(CourseStatus.PUBLISHED, admin=admin, title=title, **fields)
        for title, fields in {
            "Gardening basics": {"description": "Soil, seeds and a little python of the garden kind."},
            "Python for data": {"subtitle": "Pandas and plots"},
            "Knitting": {"subtitle": "Scarves, one stitch at a time"},
        }.items()
    }


def test_words_match_as_prefixes_in_any_order(api_client, courses):
    assert found(api_client, "pand pyth") == ["Python for data"]
    assert found(api_client, "stitch scar") == ["Knitting"]


@postgresql_only
def test_a_title_ranks_above_a_description(api_client, courses):
    assert found(api_client, "python") == ["Python for data", "Gardening basics"]


def test_an_explicit_ordering_wins_over_rank(api_client, courses):
    assert found(api_client, "python", ordering="title") == ["Gardening basics", "Python for data"]


@pytest.mark.parametrize(
    "text",
    ["'python", 'python"', "python & | !", "python:*", "!python", "(python", "python <-> data", "python\\:A"],
)
def test_operators_typed_are_read_as_plain_words(api_client, courses, text):
    assert "Python for data" in found(api_client, text)


@pytest.mark.parametrize("text", ["!", "&|:", "'\"", "___"])
def test_input_without_a_word_finds_nothing(api_client, courses, text):
    assert found(api_client, text) == []


def test_an_edit_is_searchable_at_once_and_the_old_title_is_gone(courses, admin):
    course = CoursePage.objects.get(pk=courses["Knitting"].pk)
    services.course_unpublish(course=course, user=admin)
    course = CoursePage.objects.get(pk=course.pk)
    services.course_update(course=course, user=course.owner, title="Crochet")
    every = CoursePage.objects.all()

    assert list(search_courses(every, "crochet")) == [course]
    assert not search_courses(every, "knitting").exists()


def test_the_site_catalog_searches_too(client, courses):
    html = client.get("/courses/?q=knit").content.decode()

    assert "Knitting" in html
    assert "Gardening basics" not in html


@postgresql_only
def test_search_matches_on_the_courses_index_and_never_on_page_text(api_client, courses):
    """Sections and lessons share Wagtail's page table with courses: the search puts no LIKE on it,
    matching only the course's indexed vector, which its GIN index answers."""
    with CaptureQueriesContext(connection) as queries:
        assert found(api_client, "python")
    searches = [query["sql"] for query in queries if "@@" in query["sql"]]
    assert searches
    assert all('"catalog_courselifecycle"."search_vector" @@' in sql for sql in searches)
    assert not any("LIKE" in sql.upper() for sql in searches)
    python = SearchQuery("python:*", search_type="raw", config=SEARCH_CONFIG)
    sql, params = CourseLifecycle.objects.filter(search_vector=python).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "lifecycle_search_vector_idx" in plan
