"""Authoring in /cms/ (issue 12.4): adding sections and lessons, the lesson form, the quiz builder."""

import json
import re
from html import escape, unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..blocks import QuizBlock
from ..cms_outline import add_lesson_url
from ..models import CourseStatus, LessonPage
from .factories import build_course, course_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["sectionpage", "lessonpage"])
def test_add_section_and_add_lesson_pages_hold_what_the_comments_app_starts_from(client, model):
    """comments.js throws "Comments app failed to initialise" unless all three elements are there."""
    course = build_course()
    parent = course if model == "sectionpage" else course.get_children().get()
    client.force_login(course.owner)

    html = client.get(reverse("wagtailadmin_pages:add", args=("catalog", model, parent.pk))).content.decode()

    assert 'id="comments"' in html
    assert 'id="comments-output"' in html
    assert 'id="comments-data"' in html


def body_data(html):
    """The body StreamField's initial blocks, as the editor's JS receives them."""
    match = re.search(r'data-w-block-arguments-value="([^"]*)"', html)
    return json.loads(unescape(match.group(1)))[0]


@pytest.mark.parametrize(
    ("lesson_type", "block"), [("quiz", "quiz"), ("video", "video"), ("resource", "resource")]
)
def test_adding_a_lesson_of_a_type_opens_the_form_with_that_type_and_its_block(client, lesson_type, block):
    course = build_course()
    section = course.get_children().get()
    client.force_login(course.owner)

    html = client.get(add_lesson_url(section.pk, lesson_type)).content.decode()

    assert f'<option value="{lesson_type}" selected>' in html
    assert [child["type"] for child in body_data(html)] == [block]


def test_a_section_offers_adding_a_lesson_of_each_type(client):
    course = build_course()
    section = course.get_children().get()
    client.force_login(course.owner)

    html = client.get(reverse("wagtailadmin_explore", args=(section.pk,))).content.decode()

    for lesson_type in ("video", "text", "quiz", "assignment", "resource"):
        assert escape(add_lesson_url(section.pk, lesson_type)) in html


def test_another_instructors_section_offers_no_lesson_to_add(client, instructor):
    course = build_course()
    section = course.get_children().get()
    client.force_login(instructor)

    assert client.get(add_lesson_url(section.pk, "quiz")).status_code in (302, 403, 404)
    assert (
        "lesson_type=" not in client.get(reverse("wagtailadmin_explore", args=(section.pk,))).content.decode()
    )


def test_quiz_builder_labels_questions_and_choices_by_their_text_and_shows_the_pass_mark():
    quiz = QuizBlock()

    assert quiz.meta.label_format == "pass mark {pass_mark}%"
    question = quiz.child_blocks["questions"].child_block
    assert question.meta.label_format == "{text}"
    assert question.child_blocks["choices"].child_block.meta.label_format == "{text}"


# Preview as a student


def draft_preview(client, page, mode):
    return client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)), {"mode": mode})


@pytest.fixture
def sequential_course():
    """A draft sequential course: a text lesson, then a quiz."""
    return build_course(sections=1, lessons_per_section=2, lesson_types=("text", "quiz"), is_sequential=True)


def lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_the_instructor_previews_a_quiz_as_a_student_without_its_answers(client, sequential_course):
    client.force_login(sequential_course.owner)
    _, quiz = lessons(sequential_course)

    own_view = draft_preview(client, quiz, "").content.decode()
    as_student = draft_preview(client, quiz, "student").content.decode()

    assert "Right answer" in own_view
    assert "This lesson is locked" not in own_view
    assert "Right answer" not in as_student
    assert "2 + 2?" not in as_student  # a student who has just started meets the lock first
    assert "This lesson is locked" in as_student


def test_the_student_preview_opens_the_first_lesson_and_every_lesson_of_a_free_order_course(client):
    course = build_course(sections=1, lessons_per_section=2, lesson_types=("text", "quiz"))
    client.force_login(course.owner)
    text, quiz = lessons(course)

    as_student = draft_preview(client, quiz, "student").content.decode()

    assert "2 + 2?" in as_student and "Right answer" not in as_student
    assert "This lesson is locked" not in draft_preview(client, text, "student").content.decode()


def test_the_student_preview_of_a_course_lists_its_outline_without_the_managers_notes(
    client, sequential_course
):
    client.force_login(sequential_course.owner)
    text, quiz = lessons(sequential_course)

    own_view = draft_preview(client, sequential_course, "").content.decode()
    as_student = draft_preview(client, sequential_course, "student").content.decode()

    edit_link = reverse("wagtailadmin_pages:edit", args=(sequential_course.pk,))
    assert text.title in as_student and quiz.title in as_student
    assert edit_link in own_view
    assert edit_link not in as_student


def test_another_instructor_cannot_preview_a_course_as_a_student(client, instructor, sequential_course):
    client.force_login(instructor)
    _, quiz = lessons(sequential_course)

    for page in (sequential_course, quiz):
        response = draft_preview(client, page, "student")
        assert response.status_code in (302, 403, 404)
        assert "2 + 2?" not in response.content.decode()


# The outline


def outline_url(course):
    return reverse("catalog_course_outline", args=(course.pk,))


def move(client, course, page, direction):
    return client.post(
        reverse("catalog_course_outline_move", args=(course.pk,)), {"page": page.pk, "direction": direction}
    )


def test_outline_lists_sections_and_lessons_in_order_with_type_duration_preview_and_adding(client):
    course = build_course(sections=2, lessons_per_section=2, lesson_types=("text", "quiz"))
    client.force_login(course.owner)
    second = course.get_children().order_by("path").last()

    html = client.get(outline_url(course)).content.decode()

    places = [html.index(f'id="page-{page.pk}"') for page in course.get_descendants().order_by("path")]
    assert places == sorted(places)
    assert "Quiz" in html and "10 minutes" in html
    assert reverse("wagtailadmin_pages:add", args=("catalog", "sectionpage", course.pk)) in html
    assert escape(add_lesson_url(second.pk, "quiz")) in html


def test_outline_moves_a_lesson_down_and_a_section_up_of_a_draft_course(client):
    course = build_course(sections=2, lessons_per_section=2)
    client.force_login(course.owner)
    first, second = course.get_children().order_by("path")
    lesson_a, lesson_b = first.get_children().order_by("path")

    assert move(client, course, lesson_a, "down").status_code == 302
    assert move(client, course, second, "up").status_code == 302

    assert list(course.get_children().order_by("path")) == [second, first]
    first.refresh_from_db()  # its path changed with the move
    assert list(first.get_children().order_by("path")) == [lesson_b, lesson_a]


def test_outline_moves_a_lesson_to_another_section_of_the_course(client):
    course = build_course(sections=2, lessons_per_section=1)
    client.force_login(course.owner)
    first, second = course.get_children().order_by("path")
    lesson = first.get_children().get()

    response = client.post(
        reverse("catalog_course_outline_move", args=(course.pk,)), {"page": lesson.pk, "section": second.pk}
    )

    assert response.status_code == 302
    assert not first.get_children().exists()
    assert second.get_children().last().pk == lesson.pk


def test_a_lesson_cannot_be_moved_into_another_instructors_section(client):
    own, other = build_course(sections=1), build_course(sections=1)
    client.force_login(own.owner)
    lesson = own.get_children().get().get_children().get()

    response = client.post(
        reverse("catalog_course_outline_move", args=(own.pk,)),
        {"page": lesson.pk, "section": other.get_children().get().pk},
    )

    assert response.status_code == 404
    assert other.get_children().get().get_children().count() == 1


def test_the_owner_cannot_reorder_a_published_course_at_once(client, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, sections=2)
    client.force_login(course.owner)
    first, second = course.get_children().order_by("path")

    move(client, course, second, "up")

    assert list(course.get_children().order_by("path")) == [first, second]


def test_another_instructors_outline_is_not_found(client, instructor):
    course = build_course(sections=2)
    client.force_login(instructor)
    first, second = course.get_children().order_by("path")

    assert client.get(outline_url(course)).status_code == 404
    assert move(client, course, second, "up").status_code == 404
    assert list(course.get_children().order_by("path")) == [first, second]


def test_a_page_of_another_course_cannot_be_moved_through_ones_own_outline(client):
    own, other = build_course(sections=2), build_course(sections=2)
    client.force_login(own.owner)
    first, second = other.get_children().order_by("path")

    assert move(client, own, second, "up").status_code == 404
    assert list(other.get_children().order_by("path")) == [first, second]


def test_outline_reads_as_many_queries_for_nine_lessons_as_for_one(client):
    small = build_course(sections=1)
    large = build_course(owner=small.owner, sections=3, lessons_per_section=3)
    client.force_login(small.owner)
    client.get(outline_url(small))  # warms Wagtail's per-process caches

    counts = []
    for course in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(outline_url(course)).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]
