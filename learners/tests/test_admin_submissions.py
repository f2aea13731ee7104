"""Handed-in work in the unfold admin: listed and filtered, read with its files behind the checked view,
graded through the grading service; only role-admins grade, and nobody else reaches it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from lms_site.models import User
from lms_site.tests.admin_client import messages_of
from lms_site.tests.factories import InstructorFactory, StudentFactory, activate_authenticator_app

from .. import services
from ..admin_badges import work_awaiting_grading
from ..models import LessonProgress, Submission
from .factories import assignment_rules, lessons_of, published_course, upload

pytestmark = pytest.mark.django_db

SUBMISSIONS = reverse("admin:learners_submission_changelist")


def grade_url(submission):
    return reverse("admin:learners_submission_grade", args=[submission.pk])


def change_url(submission):
    return reverse("admin:learners_submission_change", args=[submission.pk])


@pytest.fixture
def assignment(admin, instructor):
    return lessons_of(published_course(admin=admin, owner=instructor, lesson_types=("assignment",)))[0]


@pytest.fixture
def work(assignment, student):
    services.enrollment_create(student=student, course=assignment.course)
    return services.submission_create(student=student, lesson=assignment, text="Mine.", files=[upload()])[0]


def test_the_list_shows_work_and_filters_by_status(admin_client, work, instructor):
    graded = StudentFactory()
    services.enrollment_create(student=graded, course=work.lesson.course)
    done = services.submission_create(student=graded, lesson=work.lesson, text="Done.")[0]
    services.submission_grade(submission=done, grader=instructor, passed=True)

    everything = admin_client.get(SUBMISSIONS)
    awaiting = admin_client.get(SUBMISSIONS, {"status__exact": "submitted"})

    assert set(everything.context["cl"].result_list) == {work, done}
    assert list(awaiting.context["cl"].result_list) == [work]


def test_the_page_shows_the_work_with_its_files_behind_the_checked_view(admin_client, work):
    page = admin_client.get(change_url(work)).content.decode()

    assert "<p>Mine.</p>" in page
    assert reverse("learners:submission_file", args=[work.files.get().pk]) in page
    assert grade_url(work) in page


def test_an_admin_grades_from_the_dialog_through_the_service(admin_client, admin, work):
    response = admin_client.post(
        grade_url(work), {"_form_submitted": "True", "passed": "true", "feedback": "Fine."}
    )

    assert response.headers["HX-Redirect"] == change_url(work)
    work.refresh_from_db()
    assert (work.status, work.feedback, work.graded_by) == (Submission.Status.PASSED, "Fine.", admin)
    assert LessonProgress.objects.get(lesson=work.lesson).status == LessonProgress.Status.COMPLETED


def test_the_dialog_asks_for_points_when_the_assignment_is_graded_in_points(admin_client, assignment, work):
    assignment_rules(assignment, grading="points", max_points=10, pass_points=6)

    dialog = admin_client.post(grade_url(work), {"_form_submitted": "True", "passed": "true"})
    admin_client.post(grade_url(work), {"_form_submitted": "True", "points": "4"})

    assert "points" in dialog.context["form"].errors
    work.refresh_from_db()
    assert (work.status, work.points) == (Submission.Status.FAILED, 4)


def test_grading_twice_from_the_admin_is_a_message_and_keeps_the_first_grade(admin_client, work, instructor):
    services.submission_grade(submission=work, grader=instructor, passed=False)

    response = admin_client.post(grade_url(work), {"_form_submitted": "True", "passed": "true"})

    [(level, text)] = messages_of(response)
    assert (level, text.endswith("This attempt is graded already.")) == ("error", True)
    assert Submission.objects.get().status == Submission.Status.FAILED


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_the_admin_panel_sends_students_and_instructors_to_log_in(client, work, role, instructor):
    client.force_login(StudentFactory() if role == "student" else instructor)

    for response in (
        client.get(SUBMISSIONS),
        client.post(grade_url(work), {"_form_submitted": "True", "passed": "true"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_staff_who_is_not_an_admin_cannot_grade(client, student, work):
    staff = InstructorFactory()
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_submission"))
    activate_authenticator_app(staff)  # staff reach the admin panel only with a second factor
    client.force_login(staff)

    response = client.post(grade_url(work), {"_form_submitted": "True", "passed": "true"})

    assert response.status_code == 403
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_the_sidebar_badge_counts_work_awaiting_a_grade_in_one_query(
    rf, work, instructor, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert work_awaiting_grading(rf.get("/admin/")) == 1

    services.submission_grade(submission=work, grader=instructor, passed=True)
    assert work_awaiting_grading(rf.get("/admin/")) is None  # no badge when nothing waits
