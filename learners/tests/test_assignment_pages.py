"""Assignments on the site: handing in from the lesson page, the files behind a checked view, grades in
My learning, and no "Mark as complete" for work that a grade completes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services
from ..models import LessonProgress, Submission
from .factories import assignment_rules, lessons_of, published_course, upload

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def hand_in_url(lesson):
    return reverse("learners:hand_in", args=[lesson.pk])


def file_url(submission):
    return reverse("learners:submission_file", args=[submission.files.get().pk])


@pytest.fixture
def course(admin, instructor):
    return published_course(
        admin=admin, owner=instructor, lessons_per_section=2, lesson_types=("text", "assignment")
    )


@pytest.fixture
def assignment(course):
    return assignment_rules(lessons_of(course)[1], file_types="pdf, txt", max_attempts=3)


@pytest.fixture
def enrolled(client, course, student):
    services.enrollment_create(student=student, course=course)
    client.force_login(student)
    return client


@pytest.fixture
def work(course, student, assignment):
    """The student's work on the assignment, with a file, awaiting a grade."""
    services.enrollment_create(student=student, course=course)
    return services.submission_create(
        student=student, lesson=assignment, text="Mine.", files=[upload("essay.pdf")]
    )[0]


def test_the_lesson_page_offers_the_hand_in_form_and_no_mark_as_complete(enrolled, assignment):
    page = enrolled.get(assignment.url).content.decode()

    assert hand_in_url(assignment) in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.txt"' in page
    assert "Graded pass or fail." in page and "You may hand in up to 3 times." in page
    assert "Mark as complete" not in page


def test_student_hands_in_from_the_lesson_page_and_sees_the_attempt(enrolled, assignment):
    response = enrolled.post(
        hand_in_url(assignment),
        {
            "text": "My essay.",
            "link": "example.com/repo",
            "files": [upload("essay.pdf"), upload("notes.txt")],
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Your work is handed in. You will get an email once it is graded." in messages_of(response)
    assert "Your work awaits a grade." in page
    assert "Attempt 1" in page and "<p>My essay.</p>" in page and "https://example.com/repo" in page
    submission = Submission.objects.get()
    for file in submission.files.all():
        assert reverse("learners:submission_file", args=[file.pk]) in page
    assert "/media/" not in page


def test_a_refused_file_is_named_in_a_message_and_nothing_is_handed_in(enrolled, assignment):
    response = enrolled.post(hand_in_url(assignment), {"files": [upload("tool.exe", b"MZ")]}, follow=True)

    assert any(
        "“tool.exe” is not a file type this assignment takes" in message for message in messages_of(response)
    )
    assert not Submission.objects.exists()


def test_marking_an_assignment_complete_from_the_page_is_refused(enrolled, assignment, student):
    response = enrolled.post(reverse("learners:complete", args=[assignment.pk]), follow=True)

    assert "This lesson is complete once your work is graded as passing." in messages_of(response)
    assert not LessonProgress.objects.filter(
        status=LessonProgress.Status.COMPLETED, lesson=assignment
    ).exists()


def test_handing_in_without_an_enrolment_is_403(client, student, assignment):
    client.force_login(student)

    assert client.post(hand_in_url(assignment), {"text": "Mine."}).status_code == 403
    assert not Submission.objects.exists()


def test_the_grade_and_feedback_show_on_the_lesson_and_invite_another_attempt(
    client, student, assignment, work, instructor
):
    services.submission_grade(submission=work, grader=instructor, passed=False, feedback="Cite your sources.")
    client.force_login(student)

    page = client.get(assignment.url).content.decode()

    assert "Not passed" in page and "Cite your sources." in page
    assert "Your work did not pass yet. Read the feedback and hand it in again." in page
    assert "Hand in a new version" in page


def test_a_pass_shows_on_the_lesson_and_in_my_learning_with_the_feedback(
    client, student, assignment, work, instructor
):
    services.submission_grade(submission=work, grader=instructor, passed=True, feedback="Lovely work.")
    client.force_login(student)

    lesson = client.get(assignment.url).content.decode()
    dashboard = client.get(reverse("learners:dashboard")).content.decode()

    assert "Your work passed: this lesson is complete." in lesson
    assert "Hand in" not in lesson.split("Your attempts")[1]  # no form after a pass
    assert "Your grades" in dashboard
    assert assignment.title in dashboard and "Passed" in dashboard and "Lovely work." in dashboard


def test_my_learning_shows_only_ones_own_grades(client, course, assignment, work, instructor):
    services.submission_grade(submission=work, grader=instructor, passed=True, feedback="Lovely work.")
    classmate = StudentFactory()
    services.enrollment_create(student=classmate, course=course)
    client.force_login(classmate)

    dashboard = client.get(reverse("learners:dashboard")).content.decode()

    assert "Not attempted" in dashboard
    assert "Lovely work." not in dashboard


def test_the_courses_instructor_sees_how_much_work_awaits_a_grade_on_the_lesson(
    client, instructor, assignment, work
):
    client.force_login(instructor)

    page = client.get(assignment.url).content.decode()

    assert "1 piece of work on this lesson awaits a grade." in page
    assert f"{reverse('learners_grading_queue')}?lesson={assignment.pk}" in page


# The files


@pytest.mark.parametrize("who", ["the student", "the instructor", "an admin"])
def test_a_handed_in_file_downloads_for_the_student_the_instructor_and_admins(
    client, student, instructor, admin, work, who
):
    client.force_login({"the student": student, "the instructor": instructor, "an admin": admin}[who])

    response = client.get(file_url(work))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="essay.pdf"'
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 my essay"


@pytest.mark.parametrize("who", ["another student", "another instructor"])
def test_a_handed_in_file_is_404_to_anyone_else(client, work, who):
    client.force_login(StudentFactory() if who == "another student" else InstructorFactory())

    response = client.get(file_url(work))

    assert response.status_code == 404
    assert not hasattr(response, "streaming_content")


def test_a_handed_in_file_sends_anonymous_visitors_to_log_in(client, work):
    response = client.get(file_url(work))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
