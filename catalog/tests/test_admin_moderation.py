"""The course moderation queue in the unfold admin: each decision is a lifecycle service, three ways."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from lms_site.models import Role, User
from lms_site.tests.admin_client import messages_of
from lms_site.tests.factories import StudentFactory, activate_authenticator_app

from ..admin_badges import pending_course_reviews
from ..models import CourseLifecycle, CoursePage, CourseStatus
from .factories import course_in

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:catalog_courselifecycle_changelist")


@pytest.fixture
def pending(admin):
    return course_in(CourseStatus.PENDING, admin=admin)


@pytest.fixture
def approved(admin):
    return course_in(CourseStatus.APPROVED, admin=admin)


@pytest.fixture
def published(admin):
    return course_in(CourseStatus.PUBLISHED, admin=admin)


def row_url(name, course):
    return reverse(f"admin:catalog_courselifecycle_{name}_row", args=[course.pk])


def detail_url(name, course):
    return reverse(f"admin:catalog_courselifecycle_{name}_detail", args=[course.pk])


def submitted(**data):
    return {"_form_submitted": "True", **data}


def run_action(client, name, courses, **data):
    return client.post(
        QUEUE_URL, {"action": name, "_selected_action": [course.pk for course in courses], **data}
    )


def go_live_fields(moment):
    local = timezone.localtime(moment)
    return {"go_live_at_0": local.strftime("%Y-%m-%d"), "go_live_at_1": local.strftime("%H:%M:%S")}


def lifecycle_of(course):
    return CourseLifecycle.objects.get(pk=course.pk)


def logged(course, name):
    return PageLogEntry.objects.filter(page_id=course.pk, action=f"catalog.course.{name}")


def status_emails(mailoutbox):
    """Our own notices to instructors (Wagtail's workflow sends its own beside them)."""
    return [email for email in mailoutbox if email.subject.startswith("Your course")]


def listed(response):
    return [lifecycle.course_id for lifecycle in response.context["cl"].result_list]


# The queue


def test_queue_lists_pending_courses_first(admin_client, admin, published, pending):
    draft = course_in(CourseStatus.DRAFT, admin=admin)

    response = admin_client.get(QUEUE_URL)

    assert listed(response)[0] == pending.pk
    assert set(listed(response)) == {pending.pk, published.pk, draft.pk}


def test_queue_filters_by_status(admin_client, pending, published):
    response = admin_client.get(QUEUE_URL, {"status__exact": CourseStatus.PUBLISHED})

    assert listed(response) == [published.pk]


def test_queue_searches_by_course_title(admin_client, admin, pending):
    wanted = course_in(CourseStatus.PENDING, admin=admin, title="Organic chemistry")

    response = admin_client.get(QUEUE_URL, {"q": "organic"})

    assert listed(response) == [wanted.pk]


def test_queue_searches_by_instructor_email(admin_client, pending, approved):
    response = admin_client.get(QUEUE_URL, {"q": approved.owner.email})

    assert listed(response) == [approved.pk]


def test_queue_links_to_the_cms_editor_and_to_live_pages_only(admin_client, pending, published):
    html = admin_client.get(QUEUE_URL).text

    assert reverse("wagtailadmin_pages:edit", args=[pending.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[published.pk]) in html
    assert f'href="{published.url}"' in html
    assert f'href="{pending.url}"' not in html


def test_queue_offers_every_decision_on_each_row(admin_client, pending):
    html = admin_client.get(QUEUE_URL).text

    for name in ("approve", "reject", "publish", "unpublish"):
        assert row_url(name, pending) in html


def test_queue_runs_as_many_queries_for_ten_courses_as_for_one(admin_client, admin, published):
    with CaptureQueriesContext(connection) as for_one:
        admin_client.get(QUEUE_URL)
    for status in [CourseStatus.PENDING, CourseStatus.APPROVED, CourseStatus.PUBLISHED] * 3:
        course_in(status, admin=admin)

    with CaptureQueriesContext(connection) as for_ten:
        response = admin_client.get(QUEUE_URL)

    assert len(response.context["cl"].result_list) == 10
    assert len(for_ten) == len(for_one)


def test_badge_counts_pending_courses_in_one_query(rf, admin, pending, approved, django_assert_num_queries):
    course_in(CourseStatus.PENDING, admin=admin)

    with django_assert_num_queries(1):
        count = pending_course_reviews(rf.get("/admin/"))

    assert count == 2


def test_badge_is_hidden_when_nothing_waits(rf, approved):
    assert pending_course_reviews(rf.get("/admin/")) is None


# For the selected courses


def test_bulk_approve_first_asks_and_changes_nothing(admin_client, pending):
    response = run_action(admin_client, "approve", [pending])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/catalog/courselifecycle/transition.html"
    assert pending.title in response.text
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_bulk_approve_approves_every_course_logs_and_tells_the_instructors(
    admin_client, admin, pending, django_capture_on_commit_callbacks, mailoutbox
):
    other = course_in(CourseStatus.PENDING, admin=admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "approve", [pending, other], **submitted(reason="Well made."))

    assert response.status_code == 302
    assert messages_of(response) == [("success", "2 courses approved.")]
    for course in (pending, other):
        lifecycle = lifecycle_of(course)
        assert (lifecycle.status, lifecycle.reviewed_by) == (CourseStatus.APPROVED, admin)
        assert logged(course, "approve").get().data["reason"] == "Well made."
    assert sorted(email.to[0] for email in status_emails(mailoutbox)) == sorted(
        [pending.owner.email, other.owner.email]
    )


def test_bulk_approve_with_one_course_in_the_wrong_state_changes_nothing(
    admin_client, pending, approved, django_capture_on_commit_callbacks, mailoutbox
):

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "approve", [pending, approved], **submitted())

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.startswith(f"Nothing was changed. {approved.title}: ")
    assert lifecycle_of(pending).status == CourseStatus.PENDING
    assert not logged(pending, "approve").exists()
    assert status_emails(mailoutbox) == []


def test_bulk_reject_without_a_reason_asks_again_and_changes_nothing(admin_client, pending):
    response = run_action(admin_client, "reject", [pending], **submitted(reason=" "))

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_bulk_publish_now_puts_the_courses_live(admin_client, approved):
    response = run_action(admin_client, "publish", [approved], **submitted(go_live_at_0="", go_live_at_1=""))

    assert messages_of(response) == [("success", "1 course published.")]
    assert lifecycle_of(approved).status == CourseStatus.PUBLISHED
    assert CoursePage.objects.get(pk=approved.pk).live
    assert logged(approved, "publish").exists()


def test_bulk_unpublish_takes_the_courses_out_of_the_catalog(admin_client, published):
    run_action(admin_client, "unpublish", [published], **submitted())

    assert lifecycle_of(published).status == CourseStatus.DRAFT
    assert not CoursePage.objects.get(pk=published.pk).live
    assert logged(published, "unpublish").exists()


# From a row


def test_row_reject_first_asks_for_the_reason_on_a_page(admin_client, pending):
    response = admin_client.get(row_url("reject", pending))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/catalog/courselifecycle/transition.html"
    assert "reason" in response.context["form"].fields
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_row_reject_records_the_reason_and_emails_it(
    admin_client, admin, pending, django_capture_on_commit_callbacks, mailoutbox
):

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(row_url("reject", pending), submitted(reason="Add exercises."))

    assert (response.status_code, response["Location"]) == (302, QUEUE_URL)
    assert messages_of(response) == [("success", "1 course rejected.")]
    lifecycle = lifecycle_of(pending)
    assert (lifecycle.status, lifecycle.reviewed_by, lifecycle.reason) == (
        CourseStatus.REJECTED,
        admin,
        "Add exercises.",
    )
    assert logged(pending, "reject").get().user == admin
    [email] = status_emails(mailoutbox)
    assert email.to == [pending.owner.email]
    assert "Add exercises." in email.body


def test_row_reject_without_a_reason_asks_again_and_changes_nothing(admin_client, pending, mailoutbox):

    response = admin_client.post(row_url("reject", pending), submitted(reason=""))

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert lifecycle_of(pending).status == CourseStatus.PENDING
    assert not logged(pending, "reject").exists()
    assert status_emails(mailoutbox) == []


def test_row_approve_of_a_draft_is_reported_and_changes_nothing(admin_client, admin):
    draft = course_in(CourseStatus.DRAFT, admin=admin)

    response = admin_client.post(row_url("approve", draft), submitted())

    assert (response.status_code, response["Location"]) == (302, QUEUE_URL)
    assert messages_of(response) == [
        ("error", f"Nothing was changed. {draft.title}: This course is draft; it cannot be approved.")
    ]
    assert lifecycle_of(draft).status == CourseStatus.DRAFT


def test_admin_cannot_approve_their_own_course(client, admin, pending):
    owner = pending.owner
    User.objects.filter(pk=owner.pk).update(role=Role.ADMIN, is_staff=True, is_superuser=True)
    activate_authenticator_app(owner)  # admins pass the two-factor requirement; ownership is tested
    client.force_login(owner)

    response = client.post(row_url("approve", pending), submitted())

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Only an admin other than its instructor can approve a course." in text
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_row_publish_with_a_future_time_schedules_and_leaves_it_approved(admin_client, approved):
    go_live_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    response = admin_client.post(row_url("publish", approved), submitted(**go_live_fields(go_live_at)))

    [(level, text)] = messages_of(response)
    assert level == "success"
    assert text.startswith("1 course scheduled to go live at ")
    lifecycle = lifecycle_of(approved)
    assert (lifecycle.status, lifecycle.go_live_at) == (CourseStatus.APPROVED, go_live_at)
    assert not CoursePage.objects.get(pk=approved.pk).live
    assert logged(approved, "schedule").exists()
    assert not logged(approved, "publish").exists()


def test_row_publish_with_a_past_time_asks_again(admin_client, approved):
    response = admin_client.post(
        row_url("publish", approved), submitted(**go_live_fields(timezone.now() - timedelta(hours=1)))
    )

    assert response.status_code == 200
    assert response.context["form"].errors["go_live_at"]
    assert lifecycle_of(approved).status == CourseStatus.APPROVED


# From the course's page


def test_course_page_offers_the_decisions_as_dialogs(admin_client, pending):
    response = admin_client.get(reverse("admin:catalog_courselifecycle_change", args=[pending.pk]))

    assert response.status_code == 200
    for name in ("approve", "reject", "publish", "unpublish"):
        assert detail_url(name, pending) in response.text
    assert reverse("wagtailadmin_pages:edit", args=[pending.pk]) in response.text


def test_dialog_approve_approves_and_answers_htmx_with_a_redirect(
    admin_client, admin, pending, django_capture_on_commit_callbacks, mailoutbox
):

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(detail_url("approve", pending), submitted(reason=""))

    assert response.headers["HX-Redirect"] == reverse(
        "admin:catalog_courselifecycle_change", args=[pending.pk]
    )
    assert (lifecycle_of(pending).status, lifecycle_of(pending).reviewed_by) == (CourseStatus.APPROVED, admin)
    assert logged(pending, "approve").get().user == admin
    [email] = status_emails(mailoutbox)
    assert email.to == [pending.owner.email]


def test_dialog_reject_without_a_reason_shows_the_dialog_again(admin_client, pending):
    response = admin_client.post(detail_url("reject", pending), submitted(reason=""))

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_dialog_publish_now_puts_the_course_and_its_lessons_live(
    admin_client, approved, django_capture_on_commit_callbacks, mailoutbox
):

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(detail_url("publish", approved), submitted(go_live_at_0="", go_live_at_1=""))

    course = CoursePage.objects.get(pk=approved.pk)
    assert (course.lifecycle.status, course.live) == (CourseStatus.PUBLISHED, True)
    assert all(page.live for page in course.get_descendants())
    assert logged(approved, "publish").exists()
    [email] = status_emails(mailoutbox)
    assert email.to == [approved.owner.email]


def test_dialog_unpublish_returns_the_course_to_draft(
    admin_client, published, django_capture_on_commit_callbacks, mailoutbox
):

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(detail_url("unpublish", published), submitted())

    assert lifecycle_of(published).status == CourseStatus.DRAFT
    assert not CoursePage.objects.in_catalog().filter(pk=published.pk).exists()
    assert logged(published, "unpublish").exists()
    [email] = status_emails(mailoutbox)
    assert email.to == [published.owner.email]


def test_dialog_unpublish_of_a_pending_course_is_reported(admin_client, pending):
    response = admin_client.post(detail_url("unpublish", pending), submitted())

    assert "HX-Redirect" in response.headers
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "cannot be unpublished" in text
    assert lifecycle_of(pending).status == CourseStatus.PENDING


# Who may


@pytest.fixture
def staff_client(client):
    """Staff without the admin role: let into /admin/, yet no moderator."""
    staff = StudentFactory()
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    activate_authenticator_app(staff)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(staff)
    return client


def test_staff_who_is_not_an_admin_cannot_see_the_queue(staff_client, pending):
    assert staff_client.get(QUEUE_URL).status_code == 403


@pytest.mark.parametrize("url_of", [row_url, detail_url], ids=["row", "dialog"])
def test_staff_who_is_not_an_admin_cannot_approve(staff_client, pending, url_of):
    response = staff_client.post(url_of("approve", pending), submitted())

    assert response.status_code == 403
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_staff_who_is_not_an_admin_cannot_run_the_bulk_approve(staff_client, pending):
    response = run_action(staff_client, "approve", [pending], **submitted())

    assert response.status_code == 403
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_instructor_is_sent_to_the_admin_login(client, pending):
    client.force_login(pending.owner)

    response = client.post(row_url("approve", pending), submitted())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert lifecycle_of(pending).status == CourseStatus.PENDING


def test_scheduling_a_publication_picks_a_date_and_a_time_in_a_named_time_zone(
    admin_client, approved, settings
):
    settings.TIME_ZONE = "Europe/Paris"

    page = admin_client.get(row_url("publish", approved)).text

    assert "Go live at (Europe/Paris)" in page
    assert "Pick a date and a time in Europe/Paris." in page
    assert 'name="go_live_at_0"' in page and "vDateField" in page
    assert 'name="go_live_at_1"' in page and "vTimeField" in page
