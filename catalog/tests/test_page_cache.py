"""Anonymous catalog and course pages come from the cache, and every change they show refreshes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from catalog import services as catalog_services
from catalog import services_categories
from learners import services as learning
from lms_site.cache import FailoverRedisCache, recovered
from lms_site.tests.redis_and_celery import failover_cache, unreachable_redis_url

from ..models import CourseStatus, LessonPage
from .factories import course_in

pytestmark = pytest.mark.django_db

CATALOG = "/courses/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Versions are bumped once a change commits: run its callbacks as its commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(admin):
    return course_in(CourseStatus.PUBLISHED, admin=admin, title="Astronomy", enrollment_cap=10)


def page(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_anonymous_visit_is_served_from_the_cache(client, published):
    first, rendered = page(client, published.url)
    second, cached = page(client, published.url)

    assert second == first
    assert cached < rendered


@pytest.mark.parametrize("address", ["catalog", "course"])
def test_a_page_from_the_cache_costs_no_sql(client, published, django_assert_num_queries, address):
    url = CATALOG if address == "catalog" else published.url
    first = client.get(url).content

    with django_assert_num_queries(0):
        assert client.get(url).content == first


@pytest.mark.parametrize(
    "request_with",
    [
        {"HTTP_AUTHORIZATION": "Bearer anything"},
        {"HTTP_COOKIE": "sessionid=anything"},
        {"HTTP_COOKIE": "messages=anything"},
    ],
)
def test_requests_that_may_be_personal_are_never_served_from_the_cache(client, published, request_with):
    page(client, published.url)
    retitle_behind_the_cache(published, "Astrophysics")

    assert "Astrophysics" in client.get(published.url, **request_with).content.decode()


def test_a_form_sent_to_a_cached_address_is_answered_afresh(client, published):
    page(client, published.url)
    retitle_behind_the_cache(published, "Astrophysics")

    assert "Astrophysics" in client.post(published.url).content.decode()


def test_each_query_string_is_its_own_page(client, published, admin):
    course_in(CourseStatus.PUBLISHED, admin=admin, title="Botany")

    assert "Botany" not in page(client, f"{CATALOG}?q=Astro")[0]
    assert "Botany" in page(client, f"{CATALOG}?q=Bot")[0]


def test_publishing_a_course_shows_it_in_the_catalog_at_once(client, admin, published, committed):
    page(client, CATALOG)
    approved = course_in(CourseStatus.APPROVED, admin=admin, title="Botany")

    with committed():
        catalog_services.course_publish(course=approved, user=admin)

    assert "Botany" in page(client, CATALOG)[0]


def test_unpublishing_takes_it_out_of_the_catalog_and_its_page_at_once(client, admin, published, committed):
    page(client, CATALOG)
    page(client, published.url)

    with committed():
        catalog_services.course_unpublish(course=published, user=admin)

    assert "Astronomy" not in page(client, CATALOG)[0]
    assert client.get(published.url).status_code == 404


def test_a_review_updates_the_rating_on_its_page_and_in_the_catalog(client, published, student, committed):
    learning.enrollment_create(student=student, course=published)
    lesson = LessonPage.objects.descendant_of(published).live().get()
    learning.lesson_complete(student=student, lesson=lesson)
    page(client, CATALOG)
    page(client, published.url)

    with committed():
        learning.review_create(student=student, course=published, rating=4, comment="Starry.")

    assert "Rated 4.0 out of 5" in page(client, CATALOG)[0]
    assert "Starry." in page(client, published.url)[0]


def test_an_enrolment_updates_the_places_taken(client, published, student, committed):
    page(client, published.url)

    with committed():
        learning.enrollment_create(student=student, course=published)

    assert "1 of 10 taken" in page(client, published.url)[0]


def test_renaming_a_category_refreshes_every_page(client, published, admin, committed):
    page(client, CATALOG)
    page(client, published.url)

    with committed():
        services_categories.category_update(category=published.category, user=admin, name="Space")

    assert "Space" in page(client, CATALOG)[0]
    assert "Space" in page(client, published.url)[0]


def test_signed_in_people_get_their_own_page(client, published, student):
    page(client, published.url)  # cached for visitors
    client.force_login(student)

    assert "Enrol in this course" in page(client, published.url)[0]


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, published):
    anonymous, _queries = page(client, published.url)
    client.cookies["messages"] = "anything"

    _content, queries = page(client, published.url)

    assert queries > 0 and anonymous


def retitle_behind_the_cache(course, title: str) -> None:
    """A change that bumps no version: only a page rendered afresh can show it."""
    Page.objects.filter(pk=course.pk).update(title=title)


def test_pages_are_rendered_every_time_while_redis_is_unreachable(client, published, settings):
    # Each process's stand-in memory would keep copies the other processes' changes cannot refresh.
    settings.CACHES = failover_cache(unreachable_redis_url())
    page(client, published.url)

    retitle_behind_the_cache(published, "Astrophysics")

    assert "Astrophysics" in page(client, published.url)[0]


def test_pages_kept_before_an_outage_are_dropped_once_redis_answers_again(client, published):
    page(client, published.url)
    retitle_behind_the_cache(published, "Astrophysics")
    assert "Astrophysics" not in page(client, published.url)[0]

    recovered.send(sender=FailoverRedisCache)

    assert "Astrophysics" in page(client, published.url)[0]
