"""Details an operator meets every day: links that open, courses named by title, one rounding, icons."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.templatetags.static import static
from django.urls import reverse

from catalog.models import CourseLifecycle, CourseStatus
from catalog.tests.factories import course_in

from ..formats import NONE_YET, percent
from .factories import InstructorRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(2 / 3, "67%"), (Decimal("0.665"), "67%"), (0.5, "50%"), (1 / 3, "33%"), (0, "0%"), (None, NONE_YET)],
)
def test_rates_round_halves_up_to_a_whole_percentage(rate, shown):
    assert percent(rate) == shown


def test_instructor_request_links_are_links(admin_client):
    instructor_request = InstructorRequestFactory(
        links=["https://example.org/portfolio", "javascript:alert(1)"]
    )

    page = admin_client.get(
        reverse("admin:lms_site_instructorrequest_change", args=[instructor_request.pk])
    ).text

    assert 'href="https://example.org/portfolio"' in page
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
    assert "[&quot;https://" not in page and '["https://' not in page


def test_a_course_is_named_by_its_title_in_breadcrumbs_and_recent_actions(admin_client, admin):
    course = course_in(CourseStatus.PENDING, admin=admin, title="Organic chemistry")
    lifecycle = CourseLifecycle.objects.get(pk=course.pk)

    page = admin_client.get(reverse("admin:catalog_courselifecycle_change", args=[course.pk])).text
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[lifecycle], action_flag=CHANGE, change_message="Approved"
    )

    assert "Organic chemistry" in page and f"{course.pk}: Pending review" not in page
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(CourseLifecycle))
    assert entry.object_repr == "Organic chemistry"


def test_every_screen_has_an_icon(client, admin_client):
    assert client.get("/favicon.ico").url == static("lms_site/img/logo.svg")
    assert static("lms_site/img/logo.svg") in admin_client.get(reverse("admin:index")).text
