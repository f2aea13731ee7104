"""The course review driven through Wagtail's own admin views, as instructors and admins click it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from lms_site.services import user_change_role
from lms_site.tests.factories import activate_authenticator_app

from .. import services
from ..dashboard_panels import CourseReviewQueuePanel, MyCoursesPanel
from ..models import CourseIndexPage, CoursePage, CourseStatus, LessonPage, SectionPage
from .factories import CoursePageFactory, build_course, changed_course, course_in, document

pytestmark = pytest.mark.django_db


# Driving the editor


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def action_url(course, action):
    task_state = CoursePage.objects.get(pk=course.pk).current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[course.pk, action, task_state.pk])


def form_data(client, url, changes=None):
    """The editor's form as a browser posts it: the values it renders, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200
    data = dict(querydict_from_html(response.content.decode(), form_id="page-edit-form").lists())
    data.update(changes or {})
    return data


def post_editor(client, url, changes=None, *, action=None):
    """Fill the editor at `url` and press a button: None saves a draft; else submit, publish, ..."""
    data = form_data(client, url, changes)
    if action:
        data[f"action-{action}"] = "1"
    return post(client, url, data)


def post(client, url, data=None):
    """A browser's form post (the API client would send JSON by default)."""
    return client.post(url, data or {}, format="multipart")


def is_refused(response):
    """Wagtail answers PermissionDenied with a redirect to the dashboard and an error message."""
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and "you do not have permission" in " ".join(messages_of(response))
    )


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def status_of(course):
    return CoursePage.objects.get(pk=course.pk).lifecycle.status


# Lesson bodies as the StreamField editor posts them

LESSON_BODIES = {
    "video": lambda owner: [
        ("video", {"url": "https://video.example.com/a.mp4", "caption": "", "transcript": ""})
    ],
    "text": lambda owner: [("text", rich_text("<p>Read this first.</p>"))],
    "quiz": lambda owner: [
        (
            "quiz",
            {
                "pass_mark": "50",
                "questions": list_block(
                    [
                        {
                            "text": "2 + 2?",
                            "explanation": "",
                            "choices": list_block([{"text": "4", "correct": "on"}, {"text": "5"}]),
                        }
                    ]
                ),
            },
        )
    ],
    "assignment": lambda owner: [
        ("assignment", {"brief": rich_text("<p>Build a thing.</p>"), "submission": "", "estimated_hours": ""})
    ],
    "resource": lambda owner: [
        ("resource", {"document": str(document(owner).pk), "description": "The slides."})
    ],
}


def list_block(items):
    """A ListBlock's form data (streamfield() covers only the stream itself)."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i), "id": ""} for i, item in enumerate(items)}
    return {**data, "count": str(len(items))}


def lesson_changes(title, lesson_type, owner=None):
    """The form data of a lesson; a resource lesson's document is from `owner`'s library."""
    return {
        "title": title,
        "slug": slugify(title),
        "lesson_type": lesson_type,
        "duration_minutes": "12",
        **nested_form_data({"body": streamfield(LESSON_BODIES[lesson_type](owner))}),
    }


# Authoring


def test_instructor_adds_a_course_under_the_index(instructor, client_for):
    client = client_for(instructor)
    url = add_url(CoursePage, CourseIndexPage.objects.get())
    response = post_editor(client, url, {"title": "Django basics", "slug": "django-basics"})
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="django-basics")
    assert course.owner == instructor
    assert course.lifecycle.status == CourseStatus.DRAFT
    assert not course.live


def test_instructor_adds_a_section_to_their_course(instructor, client_for):
    course = CoursePageFactory(owner=instructor)
    client = client_for(instructor)
    response = post_editor(
        client, add_url(SectionPage, course), {"title": "Getting started", "slug": "getting-started"}
    )
    assert response.status_code == 302
    assert SectionPage.objects.child_of(course).get().title == "Getting started"


@pytest.mark.parametrize("lesson_type", ["video", "text", "quiz", "assignment", "resource"])
def test_instructor_adds_a_lesson_of_each_type(lesson_type, instructor, client_for):
    course = build_course(owner=instructor, lessons_per_section=0)
    section = SectionPage.objects.child_of(course).get()
    client = client_for(instructor)
    response = post_editor(
        client, add_url(LessonPage, section), lesson_changes("First steps", lesson_type, instructor)
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.child_of(section).get()
    assert (lesson.lesson_type, lesson.body[0].block_type) == (lesson_type, lesson_type)
    assert lesson.owner == instructor


# Submitting


def test_submit_for_moderation_puts_the_course_in_review(
    instructor, admin, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    course = build_course(owner=instructor, lessons_per_section=5, lesson_types=tuple(LESSON_BODIES))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_editor(client_for(instructor), edit_url(course), action="submit")
    assert response.status_code == 302
    assert status_of(course) == CourseStatus.PENDING
    assert fresh(course).workflow_in_progress
    assert admin.email in mailoutbox[-1].to


def test_submitting_an_incomplete_course_shows_the_reasons_and_changes_nothing(instructor, client_for):
    course = CoursePageFactory(owner=instructor, description="", category=None)
    revisions = course.revisions.count()
    response = post_editor(client_for(instructor), edit_url(course), {"title": "Renamed"}, action="submit")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"description", "category", "__all__"}
    assert status_of(course) == CourseStatus.DRAFT
    assert not fresh(course).workflow_states.exists()
    assert (course.revisions.count(), fresh(course).title) == (revisions, course.title)


# Reviewing


def test_admin_rejects_with_a_reason_through_the_workflow_action(
    admin, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    course = course_in(CourseStatus.PENDING, admin=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(admin), action_url(course, "reject"), {"comment": "Add exercises."})
    assert response.status_code == 302
    lifecycle = fresh(course).lifecycle
    assert (lifecycle.status, lifecycle.reason, lifecycle.reviewed_by) == (
        CourseStatus.REJECTED,
        "Add exercises.",
        admin,
    )
    assert mailoutbox[-1].to == [course.owner.email]
    assert "Add exercises." in mailoutbox[-1].body
    assert not fresh(course).workflow_in_progress


def test_rejecting_without_a_reason_is_refused(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    post(client_for(admin), action_url(course, "reject"), {"comment": " "})
    assert status_of(course) == CourseStatus.PENDING
    assert fresh(course).workflow_in_progress


def test_instructor_revises_and_resubmits_a_rejected_course(admin, client_for):
    course = course_in(CourseStatus.REJECTED, admin=admin)
    response = post_editor(client_for(course.owner), edit_url(course), {"title": "Revised"}, action="submit")
    assert response.status_code == 302
    course = fresh(course)
    assert (course.lifecycle.status, course.title) == (CourseStatus.PENDING, "Revised")
    assert course.workflow_in_progress


def test_admin_approves_without_publishing(admin, client_for, mailoutbox, django_capture_on_commit_callbacks):
    course = course_in(CourseStatus.PENDING, admin=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(admin), action_url(course, "approve"))
    assert response.status_code == 302
    course = fresh(course)
    assert course.lifecycle.status == CourseStatus.APPROVED
    assert not course.live
    assert course.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    assert mailoutbox[-1].to == [course.owner.email]


@pytest.mark.parametrize("under_review", ["new course", "change to a published course"])
def test_owner_made_admin_cannot_approve_their_own_course(admin, client_for, under_review):
    if under_review == "new course":
        course = course_in(CourseStatus.PENDING, admin=admin)
    else:
        course = changed_course(admin)
        services.course_submit(course=course, user=course.owner)
    owner = user_change_role(user=course.owner, role="admin", changed_by=admin)
    activate_authenticator_app(owner)  # admins pass the two-factor requirement; ownership is tested
    assert course.current_workflow_task.get_actions(course, owner) == []
    assert is_refused(post(client_for(owner), action_url(course, "approve")))
    assert fresh(course).lifecycle.under_review


def test_instructor_cancels_the_workflow(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    response = post_editor(client_for(course.owner), edit_url(course), action="cancel-workflow")
    assert response.status_code == 200
    assert status_of(course) == CourseStatus.DRAFT
    assert not fresh(course).workflow_in_progress


# Publishing


def test_admin_publishes_an_approved_course_from_the_editor(admin, client_for):
    course = course_in(CourseStatus.APPROVED, admin=admin, lessons_per_section=2)
    response = post_editor(client_for(admin), edit_url(course), action="publish")
    assert response.status_code == 302
    course = fresh(course)
    assert course.lifecycle.status == CourseStatus.PUBLISHED
    assert course.live and all(page.live for page in course.get_descendants())
    assert CoursePage.objects.in_catalog().filter(pk=course.pk).exists()


def test_scheduled_publication_waits_for_its_go_live_time(admin, client_for):
    course = course_in(CourseStatus.APPROVED, admin=admin)
    go_live_at = timezone.localtime() + timedelta(days=1)
    post_editor(
        client_for(admin),
        edit_url(course),
        {"go_live_at": go_live_at.strftime("%Y-%m-%d %H:%M")},
        action="publish",
    )
    assert status_of(course) == CourseStatus.APPROVED
    assert not fresh(course).live

    _pretend_time_passed(course)
    call_command("publish_scheduled")
    course = fresh(course)
    assert (course.lifecycle.status, course.live) == (CourseStatus.PUBLISHED, True)
    assert all(page.live for page in course.get_descendants())


def _pretend_time_passed(course):
    """Move the scheduled revision's go-live time into the past, as if a day went by."""
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.for_instance(course).get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING])
def test_admin_cannot_publish_an_unapproved_course(status, admin, client_for):
    course = course_in(status, admin=admin)
    response = post_editor(client_for(admin), edit_url(course), action="publish")
    assert response.status_code == 302
    assert "reviewed and approved" in " ".join(messages_of(response))
    assert status_of(course) == status
    assert not fresh(course).get_descendants(inclusive=True).live().exists()


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.APPROVED])
def test_admin_cannot_publish_a_lesson_ahead_of_its_course(status, admin, client_for):
    course = course_in(status, admin=admin)
    lesson = LessonPage.objects.descendant_of(course).get()
    response = post_editor(
        client_for(admin), edit_url(lesson), lesson_changes(lesson.title, "text"), action="publish"
    )
    assert "go live with their course" in " ".join(messages_of(response))
    assert not fresh(lesson).live


def test_admin_publishes_a_change_to_a_lesson_of_a_live_course(admin, client_for):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    lesson = LessonPage.objects.descendant_of(course).get()
    post_editor(
        client_for(admin), edit_url(lesson), lesson_changes("Clearer title", "text"), action="publish"
    )
    assert (fresh(lesson).title, fresh(lesson).live) == ("Clearer title", True)


def test_admin_unpublishes_a_course(admin, client_for):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    response = post(client_for(admin), reverse("wagtailadmin_pages:unpublish", args=[course.pk]))
    assert response.status_code == 302
    assert status_of(course) == CourseStatus.DRAFT
    assert not CoursePage.objects.in_catalog().filter(pk=course.pk).exists()
    assert not fresh(course).get_descendants(inclusive=True).live().exists()


# The dashboard


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_instructor_dashboard_lists_their_courses_by_status(instructor, admin, client_for):
    mine = {
        status: course_in(status, admin=admin, owner=instructor, title=f"My {status} course")
        for status in CourseStatus
    }
    course_in(CourseStatus.PENDING, admin=admin, title="Someone else's course")
    html = dashboard(client_for(instructor))
    assert "My courses" in html and "Course review queue" not in html
    for status, course in mine.items():
        assert f"{CourseStatus(status).label} (1)" in html
        assert course.title in html
    assert f'href="{edit_url(mine[CourseStatus.DRAFT])}"' in html
    assert f'href="{edit_url(mine[CourseStatus.APPROVED])}"' not in html  # it waits, untouched, to go live
    assert "Someone else" not in html


def test_admin_dashboard_shows_the_review_queue(admin, client_for):
    pending, approved = (
        course_in(status, admin=admin, title=f"Queued {status} course")
        for status in (CourseStatus.PENDING, CourseStatus.APPROVED)
    )
    for status in (CourseStatus.DRAFT, CourseStatus.PUBLISHED):
        course_in(status, admin=admin, title=f"Settled {status} course")
    html = dashboard(client_for(admin))
    assert "Course review queue" in html and "My courses" not in html
    assert "Waiting for review (1)" in html and "Approved, waiting to be published (1)" in html
    for course in (pending, approved):
        assert f'href="{edit_url(course)}"' in html
    assert pending.owner.get_full_name() in html
    assert "Settled" not in html


@pytest.mark.parametrize(
    ("panel", "role", "queries"), [(MyCoursesPanel, "instructor", 2), (CourseReviewQueuePanel, "admin", 1)]
)
def test_dashboard_panels_take_the_same_queries_for_one_course_or_many(
    panel, role, queries, admin, instructor, rf, django_assert_num_queries
):
    request = rf.get(reverse("wagtailadmin_home"))
    request.user = {"admin": admin, "instructor": instructor}[role]
    course_in(CourseStatus.PENDING, admin=admin, owner=instructor)
    with django_assert_num_queries(queries):
        one = panel().render_html({"request": request})
    for _ in range(4):
        course_in(CourseStatus.PENDING, admin=admin, owner=instructor)
    with django_assert_num_queries(queries):
        many = panel().render_html({"request": request})
    assert (one.count("/edit/"), many.count("/edit/")) == (1, 5)
