"""An instructor without a name is shown by the neutral label in the catalog, on the site, in the API and
in the CMS, never by anything taken from their email address."""

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory
from lms_site.tests.privacy import LABEL, assert_no_email_of, nameless

from ..models import CourseIndexPage, CourseStatus
from .factories import course_in
from .test_cms_workflow import dashboard

pytestmark = pytest.mark.django_db

CATALOG = "/courses/"


@pytest.fixture
def course(admin):
    return course_in(CourseStatus.PUBLISHED, admin=admin, owner=nameless(InstructorFactory), title="Knots")


def test_catalog_card_names_an_instructor_without_a_name_neutrally(client, course):
    html = client.get(CATALOG).text

    assert f"By {LABEL}" in html
    assert_no_email_of(course.owner, html)


def test_course_page_names_an_instructor_without_a_name_neutrally(client, course):
    html = client.get(course.url).text

    assert f'<p class="instructor__name">{LABEL}</p>' in html
    assert_no_email_of(course.owner, html)


@pytest.mark.parametrize("url", ["api:course-list", "api:course-detail"])
def test_course_api_names_an_instructor_without_a_name_neutrally(api_client, course, url):
    response = api_client.get(reverse(url, args=[course.pk] if url.endswith("detail") else []))

    data = response.json()["data"]
    card = data["results"][0] if "results" in data else data
    assert card["instructor"]["name"] == LABEL
    assert_no_email_of(course.owner, response.text)


def test_cms_page_listing_never_shows_another_instructors_email(client, admin, course):
    """Wagtail's owner filter named page owners by get_full_name, or by the email when that is empty."""
    colleague = InstructorFactory()
    course_in(CourseStatus.DRAFT, admin=admin, owner=colleague)
    client.force_login(colleague)

    response = client.get(reverse("wagtailadmin_explore", args=[CourseIndexPage.objects.get().pk]))

    assert response.status_code == 200
    assert_no_email_of(course.owner, response.text)


def test_cms_review_queue_names_a_submitter_without_a_name_neutrally(admin, client_for):
    pending = course_in(CourseStatus.PENDING, admin=admin, owner=nameless(InstructorFactory))

    html = dashboard(client_for(admin))

    assert f"<td>{LABEL}</td>" in html
    assert_no_email_of(pending.owner, html)
