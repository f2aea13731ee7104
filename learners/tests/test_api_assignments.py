"""Handed-in work over the API: handing in (JSON and multipart), reading attempts, grading, the gradebook.

Who may see and grade what is checked for every role; refusals leave the database as it was.
"""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import CourseStatus
from catalog.tests.factories import course_in
from lms_site.tests import headless
from lms_site.tests.factories import InstructorFactory, StudentFactory
from lms_site.tests.test_security_access import INTERNAL, no_network  # noqa: F401 - a fixture

from .. import services
from ..models import Enrollment, LessonProgress, Submission, SubmissionFile
from .factories import assignment_rules, handed_in, lessons_of, published_course, quiz_answers, upload

pytestmark = pytest.mark.django_db


def submissions_url(lesson):
    return reverse("api:lesson-submissions", args=[lesson.pk])


def detail_url(submission):
    return reverse("api:submission-detail", args=[submission.pk])


def grade_url(submission):
    return reverse("api:submission-grade", args=[submission.pk])


def gradebook_url(course):
    return reverse("api:course-gradebook", args=[course.pk])


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def bearer_of(user) -> dict:
    return headless.bearer(headless.login_tokens(APIClient(), user)["access"])


def error_code(response):
    return response.json()["error"]["code"]


@pytest.fixture
def course(admin, instructor):
    """A quiz, then an assignment."""
    return published_course(
        admin=admin, owner=instructor, lessons_per_section=2, lesson_types=("quiz", "assignment")
    )


@pytest.fixture
def assignment(course):
    return lessons_of(course)[1]


@pytest.fixture
def enrolled(course, student):
    services.enrollment_create(student=student, course=course)
    return student


# Handing in


def test_student_hands_in_json_and_gets_the_attempt_in_the_envelope(enrolled, assignment):
    response = as_user(enrolled).post(
        submissions_url(assignment),
        {"text": "My essay.", "link": "https://example.com/repo"},
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["success"], body["message"]) == (True, "Your work is handed in.")
    data = body["data"]
    assert (data["attempt"], data["status"], data["text"], data["link"]) == (
        1,
        "submitted",
        "<p>My essay.</p>",
        "https://example.com/repo",
    )
    assert (data["passed"], data["points"], data["graded_at"], data["files"]) == (None, None, None, [])
    assert data["lesson"] == {"id": assignment.pk, "title": assignment.title}


def test_student_hands_in_files_in_a_multipart_body_and_downloads_them(enrolled, assignment):
    client = as_user(enrolled)

    response = client.post(
        submissions_url(assignment),
        {"text": "See the files.", "files": [upload("essay.pdf"), upload("data.txt", b"1,2,3")]},
        format="multipart",
    )

    assert response.status_code == 201
    files = sorted(response.json()["data"]["files"], key=lambda file: file["name"])
    assert [(file["name"], file["size"]) for file in files] == [("data.txt", 5), ("essay.pdf", 17)]
    assert "/media/" not in files[0]["url"]
    download = client.get(files[0]["url"].removeprefix("http://testserver"))
    assert download.status_code == 302  # force_authenticate has no session: the site asks to log in
    session = APIClient()
    session.force_login(enrolled)
    download = session.get(files[0]["url"].removeprefix("http://testserver"))
    assert (download.status_code, b"".join(download.streaming_content)) == (200, b"1,2,3")


def test_the_file_url_takes_the_api_clients_bearer_token(enrolled, assignment, other_student):
    submission = services.submission_create(student=enrolled, lesson=assignment, files=[upload()])[0]
    url = reverse("learners:submission_file", args=[submission.files.get().pk])

    mine = APIClient().get(url, headers=bearer_of(enrolled))
    theirs = APIClient().get(url, headers=bearer_of(other_student))

    assert (mine.status_code, mine["Content-Disposition"]) == (200, 'attachment; filename="essay.pdf"')
    assert theirs.status_code == 404


def test_the_same_work_posted_twice_is_one_attempt_answered_200(enrolled, assignment):
    client = as_user(enrolled)
    first = client.post(submissions_url(assignment), {"text": "Mine."}, format="multipart")

    again = client.post(submissions_url(assignment), {"text": "Mine."}, format="multipart")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert Submission.objects.count() == 1


def test_a_file_too_big_is_400_naming_it_and_nothing_is_stored(enrolled, assignment):
    assignment_rules(assignment, max_file_size_mb=1)

    response = as_user(enrolled).post(
        submissions_url(assignment),
        {"text": "Big.", "files": [upload("big.pdf", b"x" * (1024 * 1024 + 1))]},
        format="multipart",
    )

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert response.json()["error"]["details"]["files"] == [
        "“big.pdf” is 1.0 MB; this assignment takes files up to 1 MB."
    ]
    assert (Submission.objects.count(), SubmissionFile.objects.count()) == (0, 0)


def test_a_file_of_a_refused_type_is_400_naming_it_and_nothing_is_stored(enrolled, assignment):
    response = as_user(enrolled).post(
        submissions_url(assignment), {"files": [upload("run.exe", b"MZ")]}, format="multipart"
    )

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert (
        "“run.exe” is not a file type this assignment takes"
        in response.json()["error"]["details"]["files"][0]
    )
    assert (Submission.objects.count(), SubmissionFile.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "", "link": ""},
        {"link": "ftp://example.com/x"},
        {"link": "x" * 600},
        {"files": "not a file"},
    ],
)
def test_bad_or_empty_work_is_400(enrolled, assignment, body):
    response = as_user(enrolled).post(submissions_url(assignment), body, format="multipart")

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert not Submission.objects.exists()


def test_handing_in_without_an_enrolment_is_403(student, assignment):
    response = as_user(student).post(submissions_url(assignment), {"text": "Mine."}, format="multipart")

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert not Submission.objects.exists()


def test_handing_in_to_a_locked_lesson_is_409(admin, student):
    course = published_course(
        admin=admin, lessons_per_section=2, lesson_types=("text", "assignment"), is_sequential=True
    )
    services.enrollment_create(student=student, course=course)

    response = as_user(student).post(
        submissions_url(lessons_of(course)[1]), {"text": "Mine."}, format="multipart"
    )

    assert (response.status_code, error_code(response)) == (409, "lesson_locked")
    assert not Submission.objects.exists()


def test_handing_in_to_a_lesson_that_is_no_assignment_is_404(enrolled, course):
    response = as_user(enrolled).post(
        submissions_url(lessons_of(course)[0]), {"text": "Mine."}, format="multipart"
    )

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_marking_an_assignment_complete_is_409_grade_required(enrolled, assignment):
    response = as_user(enrolled).post(reverse("api:lesson-complete", args=[assignment.pk]))

    assert (response.status_code, error_code(response)) == (409, "grade_required")
    assert not LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETED).exists()


# Reading


def test_the_student_lists_only_their_own_attempts_and_the_instructor_every_one(
    enrolled, assignment, course, instructor
):
    handed_in(enrolled, assignment, "Draft.")
    handed_in(enrolled, assignment, "Final.")
    classmate = StudentFactory()
    services.enrollment_create(student=classmate, course=course)
    handed_in(classmate, assignment, "Theirs.")

    mine = as_user(enrolled).get(submissions_url(assignment)).json()["data"]
    everyone = as_user(instructor).get(submissions_url(assignment)).json()["data"]
    awaiting = as_user(instructor).get(submissions_url(assignment), {"status": "submitted"}).json()["data"]

    assert [row["text"] for row in mine["results"]] == ["<p>Final.</p>", "<p>Draft.</p>"]
    assert [row["status"] for row in mine["results"]] == ["submitted", "superseded"]
    assert everyone["count"] == 3
    assert sorted(row["text"] for row in awaiting["results"]) == ["<p>Final.</p>", "<p>Theirs.</p>"]


@pytest.mark.parametrize("who", ["another student", "another instructor"])
def test_nobody_else_lists_a_lessons_work(enrolled, assignment, who):
    handed_in(enrolled, assignment)
    other = StudentFactory() if who == "another student" else InstructorFactory()

    response = as_user(other).get(submissions_url(assignment))

    assert (response.status_code, response.json()["data"]["count"]) == (200, 0)


def test_the_work_of_an_unpublished_course_is_404_to_another_instructor(admin):
    draft = course_in(CourseStatus.DRAFT, admin=admin, lesson_types=("assignment",))

    response = as_user(InstructorFactory()).get(submissions_url(lessons_of_draft(draft)))

    assert (response.status_code, error_code(response)) == (404, "not_found")


def lessons_of_draft(course):
    from catalog.models import LessonPage

    return LessonPage.objects.descendant_of(course).get()


@pytest.mark.parametrize(("who", "status"), [("student", 200), ("instructor", 200), ("admin", 200)])
def test_a_submission_is_read_by_its_student_the_instructor_and_admins(
    enrolled, assignment, instructor, admin, who, status
):
    submission = handed_in(enrolled, assignment)
    reader = {"student": enrolled, "instructor": instructor, "admin": admin}[who]

    response = as_user(reader).get(detail_url(submission))

    assert response.status_code == status
    assert response.json()["data"]["student"]["id"] == str(enrolled.pk)


@pytest.mark.parametrize("who", ["another student", "another instructor"])
def test_a_submission_is_404_to_anyone_else(enrolled, assignment, who):
    submission = handed_in(enrolled, assignment)
    other = StudentFactory() if who == "another student" else InstructorFactory()

    response = as_user(other).get(detail_url(submission))

    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert "My essay" not in response.content.decode()


# Grading


def test_the_instructor_grades_a_pass_which_completes_the_lesson_and_emails_the_student(
    enrolled, assignment, instructor, django_capture_on_commit_callbacks
):
    submission = handed_in(enrolled, assignment)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(instructor).post(
            grade_url(submission), {"passed": True, "feedback": "Well argued."}, format="json"
        )

    assert (response.status_code, response.json()["message"]) == (200, "Graded: passed.")
    data = response.json()["data"]
    assert (data["status"], data["passed"], data["feedback"]) == ("passed", True, "Well argued.")
    assert data["graded_by"]["id"] == str(instructor.pk)
    assert LessonProgress.objects.get(lesson=assignment).status == LessonProgress.Status.COMPLETED
    assert [message.to for message in mail.outbox] == [[enrolled.email]]


def test_points_are_graded_against_the_pass_mark(enrolled, assignment, instructor):
    assignment = assignment_rules(assignment, grading="points", max_points=20, pass_points=12)
    submission = handed_in(enrolled, assignment)

    response = as_user(instructor).post(grade_url(submission), {"points": "11.5"}, format="json")

    data = response.json()["data"]
    assert (data["status"], data["passed"], data["points"], data["max_points"]) == (
        "failed",
        False,
        "11.50",
        20,
    )


@pytest.mark.parametrize(
    "body", [{}, {"points": 5}, {"passed": "perhaps"}, {"passed": True, "feedback": 7 * [1]}]
)
def test_a_grade_that_does_not_fit_the_assignment_is_400(enrolled, assignment, instructor, body):
    submission = handed_in(enrolled, assignment)

    response = as_user(instructor).post(grade_url(submission), body, format="json")

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_a_second_grading_is_409(enrolled, assignment, instructor):
    submission = handed_in(enrolled, assignment)
    as_user(instructor).post(grade_url(submission), {"passed": False}, format="json")

    response = as_user(instructor).post(grade_url(submission), {"passed": True}, format="json")

    assert (response.status_code, error_code(response)) == (409, "conflict")
    assert Submission.objects.get().status == Submission.Status.FAILED


@pytest.mark.parametrize("who", ["another instructor", "the student", "another student"])
def test_grading_by_anyone_but_the_courses_instructor_or_an_admin_is_403(enrolled, assignment, who):
    submission = handed_in(enrolled, assignment)
    grader = {
        "another instructor": InstructorFactory(),
        "the student": enrolled,
        "another student": StudentFactory(),
    }[who]

    response = as_user(grader).post(grade_url(submission), {"passed": True}, format="json")

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert not LessonProgress.objects.filter(lesson=assignment).exists()


def test_an_admin_grades(enrolled, assignment, admin):
    response = as_user(admin).post(
        grade_url(handed_in(enrolled, assignment)), {"passed": True}, format="json"
    )

    assert response.json()["data"]["status"] == "passed"


# The gradebook


@pytest.fixture
def graded(course, enrolled, assignment, instructor):
    """The student passed the quiz at the second try and failed the assignment; a classmate did nothing."""
    quiz = lessons_of(course)[0]
    services.quiz_attempt_submit(student=enrolled, lesson=quiz, answers=quiz_answers(quiz, right=False))
    services.quiz_attempt_submit(student=enrolled, lesson=quiz, answers=quiz_answers(quiz))
    services.submission_grade(
        submission=handed_in(enrolled, assignment), grader=instructor, passed=False, feedback="Again."
    )
    services.enrollment_create(student=StudentFactory(last_name="Zed"), course=course)
    return course


def cells(row) -> list[tuple]:
    return [(cell["type"], cell["status"], cell["score"], cell["attempts"]) for cell in row["grades"]]


def test_the_instructor_reads_every_students_grades_by_item(graded, enrolled, instructor):
    data = as_user(instructor).get(gradebook_url(graded)).json()["data"]

    assert data["count"] == 2
    rows = {row["student"]["id"]: row for row in data["results"]}
    assert cells(rows[str(enrolled.pk)]) == [
        ("quiz", "passed", "100.00", 2),
        ("assignment", "failed", None, 1),
    ]
    other = next(row for student, row in rows.items() if student != str(enrolled.pk))
    assert cells(other) == [("quiz", "not_attempted", None, 0), ("assignment", "not_attempted", None, 0)]


def test_a_student_reads_only_their_own_row(graded, enrolled):
    data = as_user(enrolled).get(gradebook_url(graded)).json()["data"]

    assert [row["student"]["id"] for row in data["results"]] == [str(enrolled.pk)]


@pytest.mark.parametrize("who", ["another student", "another instructor"])
def test_the_gradebook_is_403_to_anyone_else(graded, who):
    other = StudentFactory() if who == "another student" else InstructorFactory()

    response = as_user(other).get(gradebook_url(graded))

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


GRADEBOOK_QUERIES = 6  # course; count; page of enrolments with students; live graded lessons; quizzes; work


@pytest.mark.parametrize("students", [1, 6])
def test_gradebook_queries_do_not_grow_with_students_or_attempts(
    course, assignment, instructor, django_assert_num_queries, students
):
    quiz = lessons_of(course)[0]
    for student in StudentFactory.create_batch(students):
        services.enrollment_create(student=student, course=course)
        services.quiz_attempt_submit(student=student, lesson=quiz, answers=quiz_answers(quiz))
        handed_in(student, assignment, "Draft.")
        handed_in(student, assignment, "Final.")
    client = as_user(instructor)
    client.get(gradebook_url(course))

    with django_assert_num_queries(GRADEBOOK_QUERIES):
        response = client.get(gradebook_url(course))

    assert response.json()["data"]["count"] == students


LIST_QUERIES = 5  # lesson; its course (who manages it); count; page with student, course, grader; files


@pytest.mark.parametrize("students", [1, 6])
def test_submission_list_queries_do_not_grow_with_the_rows(
    course, assignment, instructor, django_assert_num_queries, students
):
    for student in StudentFactory.create_batch(students):
        services.enrollment_create(student=student, course=course)
        services.submission_create(
            student=student, lesson=assignment, text="Mine.", files=[upload(), upload("b.txt")]
        )
    client = as_user(instructor)
    client.get(submissions_url(assignment))

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(submissions_url(assignment))

    assert response.json()["data"]["count"] == students
    assert Enrollment.objects.count() == students


@pytest.mark.usefixtures("no_network")
def test_a_handed_in_link_is_stored_not_fetched(enrolled, assignment):
    """The link is for the grader's browser; the server never requests it."""
    response = as_user(enrolled).post(submissions_url(assignment), {"link": INTERNAL}, format="multipart")

    assert response.status_code == 201
    assert Submission.objects.get().link == INTERNAL
