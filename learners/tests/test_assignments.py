"""Handing in work and grading it, through the services: every rule of the assignment block, every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from catalog.models import CourseStats, LessonPage
from lms_site.errors import Conflict, GradeRequired, NotAllowed, NotFound, ValidationFailed
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import selectors, services
from ..models import Certificate, Enrollment, LessonProgress, Submission, SubmissionFile
from .factories import assignment_rules, handed_in, lessons_of, published_course, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(admin, instructor):
    """Sequential: a text lesson, then the assignment, then another text lesson."""
    return published_course(
        admin=admin,
        owner=instructor,
        lessons_per_section=3,
        lesson_types=("text", "assignment", "text"),
        is_sequential=True,
    )


@pytest.fixture
def assignment(course):
    return lessons_of(course)[1]


@pytest.fixture
def enrolled(course, student):
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    return student


def stored_files() -> list[str]:
    """Every file under submissions/ in the media storage."""
    folders, _files = (
        default_storage.listdir("submissions") if default_storage.exists("submissions") else ([], [])
    )
    return [name for folder in folders for name in default_storage.listdir(f"submissions/{folder}")[1]]


def progress_of(student, lesson) -> str | None:
    row = LessonProgress.objects.filter(enrollment__student=student, lesson=lesson).first()
    return row and row.status


def test_an_assignment_stored_before_its_settings_existed_takes_their_defaults(assignment):
    assignment.body = [
        {"type": "assignment", "value": {"brief": "<p>Old.</p>", "submission": "", "estimated_hours": None}}
    ]
    assignment.save(clean=False)
    assignment = LessonPage.objects.get(pk=assignment.pk)
    assert set(assignment.body.raw_data[0]["value"]) == {"brief", "submission", "estimated_hours"}

    assert selectors.assignment_rules(assignment) == selectors.AssignmentRules(
        grading="pass_fail",
        max_points=100,
        pass_points=50,
        due_at=None,
        accept_late=True,
        max_attempts=None,
        file_types=("pdf", "txt", "md", "zip", "png", "jpg", "jpeg", "docx", "odt"),
        max_file_size_mb=10,
    )


# Handing in


def test_student_hands_in_text_a_link_and_files_kept_with_the_attempt(enrolled, assignment):
    submission = handed_in(
        enrolled,
        assignment,
        text="My essay.",
        link="https://example.com/repo",
        files=[upload("essay.pdf"), upload("notes.txt", b"notes")],
    )

    assert (submission.number, submission.status, submission.is_late) == (
        1,
        Submission.Status.SUBMITTED,
        False,
    )
    assert (submission.text, submission.link) == ("<p>My essay.</p>", "https://example.com/repo")
    files = list(submission.files.order_by("name"))
    assert [(file.name, file.size) for file in files] == [("essay.pdf", 17), ("notes.txt", 5)]
    assert files[0].file.name.startswith("submissions/")
    assert "essay.pdf" in files[0].file.name and len(files[0].file.name.split("/")[1]) >= 32  # unguessable
    assert files[1].file.read() == b"notes"


def test_handed_in_html_keeps_its_formatting_and_loses_scripts_and_handlers(enrolled, assignment):
    submission = handed_in(
        enrolled,
        assignment,
        text='<p onclick="steal()">Hi <strong>there</strong><script>steal()</script>'
        '<a href="javascript:steal()">x</a> <a href="https://example.com">y</a>'
        "<img src=x onerror=steal()></p>",
    )

    assert submission.text == '<p>Hi <strong>there</strong><a>x</a> <a href="https://example.com">y</a></p>'


def test_a_link_that_is_not_a_web_address_is_refused(enrolled, assignment):
    with pytest.raises(ValidationFailed) as refusal:
        handed_in(enrolled, assignment, link="javascript:alert(1)")

    assert "link" in refusal.value.details
    assert not Submission.objects.exists()


def test_handing_in_nothing_is_refused(enrolled, assignment):
    with pytest.raises(ValidationFailed, match="Hand in some text, a link or a file"):
        handed_in(enrolled, assignment, text="  ", link="")


def test_a_file_of_a_type_the_assignment_does_not_take_is_refused_and_nothing_is_stored(enrolled, assignment):
    assignment = assignment_rules(assignment, file_types="pdf")
    before = stored_files()

    with pytest.raises(ValidationFailed) as refusal:
        handed_in(enrolled, assignment, text="Mine.", files=[upload("essay.pdf"), upload("tool.exe", b"MZ")])

    assert refusal.value.details["files"] == ["“tool.exe” is not a file type this assignment takes (pdf)."]
    assert (Submission.objects.count(), SubmissionFile.objects.count(), stored_files()) == (0, 0, before)


def test_a_file_too_big_is_refused_with_its_size_and_nothing_is_stored(enrolled, assignment):
    assignment = assignment_rules(assignment, max_file_size_mb=1)
    before = stored_files()

    with pytest.raises(ValidationFailed) as refusal:
        handed_in(
            enrolled, assignment, files=[upload("small.pdf"), upload("big.pdf", b"x" * (1024 * 1024 + 1))]
        )

    assert refusal.value.details["files"] == ["“big.pdf” is 1.0 MB; this assignment takes files up to 1 MB."]
    assert (Submission.objects.count(), SubmissionFile.objects.count(), stored_files()) == (0, 0, before)


def test_an_assignment_without_file_types_takes_no_files(enrolled, assignment):
    assignment = assignment_rules(assignment, file_types="")

    with pytest.raises(ValidationFailed) as refusal:
        handed_in(enrolled, assignment, files=[upload()])

    assert refusal.value.details["files"] == ["This assignment takes no files: hand in text or a link."]


def test_a_new_attempt_replaces_the_one_awaiting_a_grade_and_both_are_kept(enrolled, assignment):
    first = handed_in(enrolled, assignment, text="Draft.")
    second = handed_in(enrolled, assignment, text="Final.")

    first.refresh_from_db()
    assert (first.number, first.status) == (1, Submission.Status.SUPERSEDED)
    assert (second.number, second.status) == (2, Submission.Status.SUBMITTED)


def test_the_same_work_handed_in_twice_is_one_attempt(enrolled, assignment):
    first, first_is_new = services.submission_create(
        student=enrolled, lesson=assignment, text="Mine.", files=[upload("a.pdf"), upload("b.pdf", b"%PDF b")]
    )
    again, again_is_new = services.submission_create(
        student=enrolled, lesson=assignment, text="Mine.", files=[upload("b.pdf", b"%PDF b"), upload("a.pdf")]
    )

    assert (first_is_new, again_is_new, again.pk) == (True, False, first.pk)
    assert (Submission.objects.count(), SubmissionFile.objects.count()) == (1, 2)


def test_attempts_are_limited_to_what_the_assignment_allows(enrolled, assignment):
    assignment = assignment_rules(assignment, max_attempts=2)
    handed_in(enrolled, assignment, text="One.")
    handed_in(enrolled, assignment, text="Two.")

    with pytest.raises(Conflict, match="takes 2 attempts, and you have used them all"):
        handed_in(enrolled, assignment, text="Three.")
    assert Submission.objects.count() == 2


def test_work_after_the_due_date_is_marked_late(enrolled, assignment):
    assignment = assignment_rules(assignment, due_at=(timezone.now() - timedelta(hours=1)).isoformat())

    assert handed_in(enrolled, assignment).is_late


def test_work_before_the_due_date_is_not_late(enrolled, assignment):
    assignment = assignment_rules(assignment, due_at=(timezone.now() + timedelta(days=1)).isoformat())

    assert not handed_in(enrolled, assignment).is_late


def test_late_work_is_refused_when_the_assignment_takes_none(enrolled, assignment):
    due = timezone.now() - timedelta(hours=1)
    assignment = assignment_rules(assignment, due_at=due.isoformat(), accept_late=False)

    with pytest.raises(Conflict, match="takes no late work"):
        handed_in(enrolled, assignment)
    assert not Submission.objects.exists()


def test_handing_in_without_an_enrolment_is_refused(student, assignment):
    with pytest.raises(NotAllowed, match="Enrol in the course first"):
        handed_in(student, assignment)


def test_handing_in_to_a_locked_lesson_is_refused(course, student, assignment):
    services.enrollment_create(student=student, course=course)  # the first lesson is not complete

    with pytest.raises(Conflict, match="Complete"):
        handed_in(student, assignment)
    assert not Submission.objects.exists()


def test_a_lesson_without_an_assignment_takes_no_work(enrolled, course):
    with pytest.raises(NotFound):
        handed_in(enrolled, lessons_of(course)[0])


def test_after_a_pass_there_is_nothing_more_to_handed_in(enrolled, assignment, instructor):
    services.submission_grade(submission=handed_in(enrolled, assignment), grader=instructor, passed=True)

    with pytest.raises(Conflict, match="has passed"):
        handed_in(enrolled, assignment, text="More.")


# Completion follows the grade


def test_an_assignment_cannot_be_marked_complete(enrolled, assignment):
    with pytest.raises(GradeRequired) as refusal:
        services.lesson_complete(student=enrolled, lesson=assignment)

    assert (refusal.value.status_code, refusal.value.code) == (409, "grade_required")
    assert progress_of(enrolled, assignment) is None


def test_a_passing_grade_completes_the_lesson_and_opens_the_next(enrolled, assignment, instructor, course):
    submission = services.submission_grade(
        submission=handed_in(enrolled, assignment), grader=instructor, passed=True, feedback="  Well done.  "
    )

    assert (submission.status, submission.feedback, submission.graded_by) == (
        Submission.Status.PASSED,
        "Well done.",
        instructor,
    )
    assert progress_of(enrolled, assignment) == LessonProgress.Status.COMPLETED
    services.lesson_complete(student=enrolled, lesson=lessons_of(course)[2])  # unlocked: no refusal
    enrollment = Enrollment.objects.get(student=enrolled)
    assert enrollment.completed_at is not None
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert CourseStats.objects.get(pk=course.pk).completion_count == 1


def test_the_grade_that_completes_the_course_issues_its_certificate(admin, instructor, student):
    course = published_course(admin=admin, owner=instructor, lesson_types=("assignment",))
    services.enrollment_create(student=student, course=course)

    services.submission_grade(
        submission=handed_in(student, lessons_of(course)[0]), grader=instructor, passed=True
    )

    enrollment = Enrollment.objects.get(student=student)
    assert (enrollment.progress_percentage, enrollment.is_complete) == (100, True)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_a_failing_grade_leaves_the_lesson_open_for_another_attempt(enrolled, assignment, instructor):
    services.submission_grade(submission=handed_in(enrolled, assignment), grader=instructor, passed=False)

    assert progress_of(enrolled, assignment) is None
    again = handed_in(enrolled, assignment, text="Better.")
    assert (again.number, again.status) == (2, Submission.Status.SUBMITTED)
    assert Submission.objects.get(number=1).status == Submission.Status.FAILED  # kept, graded


@pytest.mark.parametrize(("points", "passed"), [(Decimal("5.99"), False), (6, True), (10, True), (0, False)])
def test_points_pass_from_the_pass_mark(enrolled, assignment, instructor, points, passed):
    assignment = assignment_rules(assignment, grading="points", max_points=10, pass_points=6)

    graded = services.submission_grade(
        submission=handed_in(enrolled, assignment), grader=instructor, points=points
    )

    assert (graded.passed, graded.points, graded.max_points) == (passed, Decimal(points), 10)


@pytest.mark.parametrize("points", [-1, Decimal("10.01"), None, "many", float("nan")])
def test_points_outside_the_assignments_range_are_refused(enrolled, assignment, instructor, points):
    assignment = assignment_rules(assignment, grading="points", max_points=10, pass_points=6)
    submission = handed_in(enrolled, assignment)

    with pytest.raises(ValidationFailed) as refusal:
        services.submission_grade(submission=submission, grader=instructor, points=points)

    assert list(refusal.value.details) == ["points"]
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_a_pass_or_fail_assignment_takes_no_points_and_needs_a_decision(enrolled, assignment, instructor):
    submission = handed_in(enrolled, assignment)

    with pytest.raises(ValidationFailed) as points_given:
        services.submission_grade(submission=submission, grader=instructor, points=5)
    with pytest.raises(ValidationFailed) as nothing_given:
        services.submission_grade(submission=submission, grader=instructor)

    assert (list(points_given.value.details), list(nothing_given.value.details)) == (["points"], ["passed"])


def test_grading_twice_is_a_conflict_and_keeps_the_first_grade(enrolled, assignment, instructor):
    submission = handed_in(enrolled, assignment)
    services.submission_grade(submission=submission, grader=instructor, passed=False, feedback="First.")

    with pytest.raises(Conflict, match="graded already"):
        services.submission_grade(submission=submission, grader=instructor, passed=True)
    assert (Submission.objects.get().status, Submission.objects.get().feedback) == ("failed", "First.")


def test_grading_a_replaced_attempt_is_a_conflict(enrolled, assignment, instructor):
    first = handed_in(enrolled, assignment, text="Draft.")
    handed_in(enrolled, assignment, text="Final.")

    with pytest.raises(Conflict, match="later attempt replaced"):
        services.submission_grade(submission=first, grader=instructor, passed=True)


@pytest.mark.parametrize("who", ["another instructor", "the student", "another student"])
def test_only_the_courses_instructor_and_admins_grade(enrolled, assignment, who):
    grader = {
        "another instructor": InstructorFactory(),
        "the student": enrolled,
        "another student": StudentFactory(),
    }[who]
    submission = handed_in(enrolled, assignment)

    with pytest.raises(NotAllowed):
        services.submission_grade(submission=submission, grader=grader, passed=True)
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_an_admin_grades_any_course(enrolled, assignment, admin):
    graded = services.submission_grade(submission=handed_in(enrolled, assignment), grader=admin, passed=True)

    assert (graded.status, graded.graded_by) == (Submission.Status.PASSED, admin)


def test_the_student_is_emailed_the_grade_and_feedback_once_it_is_saved(
    enrolled, assignment, instructor, django_capture_on_commit_callbacks
):
    submission = handed_in(enrolled, assignment)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.submission_grade(
            submission=submission, grader=instructor, passed=False, feedback="Add tests."
        )

    assert len(callbacks) == 1  # queued for after the commit, through lms_site.emails
    [message] = mail.outbox
    assert message.to == [enrolled.email]
    assert assignment.title in message.subject
    assert "Add tests." in message.body
    assert "hand it in again" in message.body
    assert f"http://testserver{assignment.url}" in message.body
