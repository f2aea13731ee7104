"""Grading in the CMS: the "To grade" panel and queue, a piece of work with its grade form, the gradebook
and its CSV/XLSX exports; and that nobody but the course's instructor and admins reaches any of it."""

import csv
import io

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from catalog.tests.test_page_queries import queries_for
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services
from ..models import LessonProgress, Submission
from .factories import assignment_rules, lessons_of, published_course, quiz_answers, upload

pytestmark = pytest.mark.django_db

CMS = reverse("wagtailadmin_home")
QUEUE = reverse("learners_grading_queue")


def submission_url(submission):
    return reverse("learners_submission", args=[submission.pk])


def gradebook_url(course):
    return reverse("learners_gradebook", args=[course.pk])


def export_url(course, export_format):
    return reverse("learners_gradebook_export", args=[course.pk, export_format])


@pytest.fixture
def course(admin, instructor):
    return published_course(
        admin=admin,
        owner=instructor,
        title="Essays",
        lessons_per_section=2,
        lesson_types=("quiz", "assignment"),
    )


@pytest.fixture
def assignment(course):
    return lessons_of(course)[1]


@pytest.fixture
def ann(course):
    ann = StudentFactory(first_name="Ann", last_name="Lee")
    services.enrollment_create(student=ann, course=course)
    return ann


@pytest.fixture
def work(ann, assignment):
    return services.submission_create(
        student=ann,
        lesson=assignment,
        text="<p>My <em>essay</em>.</p>",
        link="https://example.com/r",
        files=[upload()],
    )[0]


@pytest.fixture
def elsewhere(admin):
    """Work awaiting a grade in another instructor's course."""
    course = published_course(admin=admin, title="Elsewhere", lesson_types=("assignment",))
    student = StudentFactory()
    services.enrollment_create(student=student, course=course)
    return services.submission_create(student=student, lesson=lessons_of(course)[0], text="Theirs.")[0]


# The panel and the queue


def test_the_instructor_finds_the_to_grade_panel_with_counts_on_the_cms_dashboard(
    client, instructor, work, elsewhere
):
    client.force_login(instructor)

    page = client.get(CMS).content.decode()

    assert "To grade" in page
    assert "1 piece of work awaits a grade." in page
    assert f"{QUEUE}?course={work.enrollment.course_id}" in page
    assert submission_url(work) in page
    assert submission_url(elsewhere) not in page and "Elsewhere" not in page


def test_an_admin_finds_every_courses_work_on_the_panel(client, admin, work, elsewhere):
    client.force_login(admin)

    page = client.get(CMS).content.decode()

    assert "2 pieces of work await a grade." in page
    assert submission_url(work) in page and submission_url(elsewhere) in page


def test_the_queue_lists_the_instructors_work_oldest_first(client, instructor, work, elsewhere, course):
    later = StudentFactory()
    services.enrollment_create(student=later, course=course)
    second = services.submission_create(student=later, lesson=work.lesson, text="Later.")[0]
    client.force_login(instructor)

    response = client.get(QUEUE)

    assert [submission.pk for submission in response.context["page"]] == [work.pk, second.pk]
    assert submission_url(elsewhere) not in response.content.decode()


def test_the_cms_dashboard_queries_do_not_grow_with_work_awaiting_a_grade(client, instructor, course, work):
    client.force_login(instructor)
    one = queries_for(client, CMS)

    for student in StudentFactory.create_batch(4):
        services.enrollment_create(student=student, course=course)
        services.submission_create(student=student, lesson=work.lesson, text="More.", files=[upload()])
    cache.clear()  # the learning panel's figures are cached
    assert queries_for(client, CMS) == one


# A piece of work


def test_the_instructor_opens_the_work_and_sees_text_link_and_files(client, instructor, work):
    client.force_login(instructor)

    page = client.get(submission_url(work)).content.decode()

    assert "<p>My <em>essay</em>.</p>" in page
    assert "https://example.com/r" in page
    assert reverse("learners:submission_file", args=[work.files.get().pk]) in page
    assert "Save the grade" in page


def test_the_instructor_grades_with_feedback_and_the_student_is_told(
    client, instructor, work, ann, django_capture_on_commit_callbacks
):
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            submission_url(work), {"passed": "true", "feedback": "Well argued."}, follow=True
        )

    assert response.redirect_chain[-1][0] == QUEUE
    assert "Graded. Ann Lee is told by email." in response.content.decode()
    work.refresh_from_db()
    assert (work.status, work.feedback, work.graded_by) == (
        Submission.Status.PASSED,
        "Well argued.",
        instructor,
    )
    assert LessonProgress.objects.get(lesson=work.lesson).status == LessonProgress.Status.COMPLETED
    assert [message.to for message in mail.outbox] == [[ann.email]]


def test_points_are_asked_for_an_assignment_graded_in_points(client, instructor, ann, assignment):
    assignment = assignment_rules(assignment, grading="points", max_points=10, pass_points=6)
    work = services.submission_create(student=ann, lesson=assignment, text="Mine.")[0]
    client.force_login(instructor)

    assert "Out of 10; 6 or more pass." in client.get(submission_url(work)).content.decode()
    client.post(submission_url(work), {"points": "7", "feedback": ""})

    work.refresh_from_db()
    assert (work.status, work.points) == (Submission.Status.PASSED, 7)


def test_a_grade_without_a_decision_asks_again(client, instructor, work):
    client.force_login(instructor)

    response = client.post(submission_url(work), {"feedback": "Hmm."})

    assert response.status_code == 200
    assert response.context["form"].errors["passed"]
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_grading_work_graded_already_says_so(client, instructor, admin, work):
    services.submission_grade(submission=work, grader=admin, passed=False)
    client.force_login(instructor)

    response = client.post(submission_url(work), {"passed": "true"}, follow=True)

    assert "This attempt is graded already." in response.content.decode()
    assert Submission.objects.get().status == Submission.Status.FAILED


def test_another_instructor_cannot_open_or_grade_the_work(client, work):
    client.force_login(InstructorFactory())

    opened = client.get(submission_url(work))
    posted = client.post(submission_url(work), {"passed": "true"})

    assert (opened.status_code, opened["Location"]) == (302, CMS)  # Wagtail's "permission denied"
    assert (posted.status_code, posted["Location"]) == (302, CMS)
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_a_student_cannot_reach_grading_in_the_cms(client, ann, work):
    client.force_login(ann)

    for response in (
        client.get(QUEUE),
        client.get(submission_url(work)),
        client.post(submission_url(work), {"passed": "true"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


# The gradebook


@pytest.fixture
def graded(course, ann, work, instructor):
    quiz = lessons_of(course)[0]
    services.quiz_attempt_submit(student=ann, lesson=quiz, answers=quiz_answers(quiz))
    services.submission_grade(submission=work, grader=instructor, passed=False)
    services.enrollment_create(
        student=StudentFactory(first_name="=HYPERLINK(1)", last_name="Zed"), course=course
    )
    return course


def test_the_gradebook_lists_students_by_graded_item(client, instructor, graded):
    client.force_login(instructor)

    response = client.get(gradebook_url(graded))

    page = response.content.decode()
    assert "Ann Lee" in page and "100%" in page and "Not passed" in page and "Not attempted" in page
    assert export_url(graded, "csv") in page and export_url(graded, "xlsx") in page


def test_the_gradebook_csv_keeps_formulas_as_text(client, instructor, graded, course):
    client.force_login(instructor)

    response = client.get(export_url(graded, "csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="gradebook-essays.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    quiz, assignment = lessons_of(course)
    assert rows[0][4:] == [f"{quiz.title} (best %)", f"{assignment.title} (pass/fail)"]
    assert [row[0] for row in rows[1:]] == ["Ann Lee", "'=HYPERLINK(1) Zed"]
    assert rows[1][4:] == ["100.00", "Not passed"]


def test_the_gradebook_xlsx_keeps_formulas_as_text(client, instructor, graded):
    client.force_login(instructor)

    response = client.get(export_url(graded, "xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Ann Lee", "'=HYPERLINK(1) Zed"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_lesson_title_that_looks_like_a_formula_is_kept_as_text(client, instructor, graded, course):
    lessons_of(course)[0].__class__.objects.filter(pk=lessons_of(course)[0].pk).update(title="+SUM(A1)")
    client.force_login(instructor)

    rows = list(csv.reader(io.StringIO(client.get(export_url(graded, "csv")).content.decode())))

    assert rows[0][4] == "'+SUM(A1) (best %)"


@pytest.mark.parametrize("page", ["gradebook", "csv", "xlsx"])
def test_another_instructor_cannot_read_the_gradebook(client, graded, page):
    client.force_login(InstructorFactory())

    response = client.get(gradebook_url(graded) if page == "gradebook" else export_url(graded, page))

    assert (response.status_code, response["Location"]) == (302, CMS)


def test_an_admin_reads_any_gradebook(client, admin, graded):
    client.force_login(admin)

    assert client.get(export_url(graded, "csv")).status_code == 200


def test_the_gradebook_page_queries_do_not_grow_with_students(client, instructor, graded, course, assignment):
    client.force_login(instructor)
    few = queries_for(client, gradebook_url(graded))

    for student in StudentFactory.create_batch(5):
        services.enrollment_create(student=student, course=course)
        services.submission_create(student=student, lesson=assignment, text="Mine.")
    assert queries_for(client, gradebook_url(graded)) == few
