"""Authoring in /cms/ (issue 12.4): adding sections and lessons, the lesson form, the quiz builder."""

import json
import re
from html import escape, unescape

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from ..blocks import QuizBlock
from .factories import build_course

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


def add_lesson_url(section, lesson_type):
    url = reverse("wagtailadmin_pages:add", args=("catalog", "lessonpage", section.pk))
    return f"{url}?{urlencode({'lesson_type': lesson_type})}"


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

    html = client.get(add_lesson_url(section, lesson_type)).content.decode()

    assert f'<option value="{lesson_type}" selected>' in html
    assert [child["type"] for child in body_data(html)] == [block]


def test_a_section_offers_adding_a_lesson_of_each_type(client):
    course = build_course()
    section = course.get_children().get()
    client.force_login(course.owner)

    html = client.get(reverse("wagtailadmin_explore", args=(section.pk,))).content.decode()

    for lesson_type in ("video", "text", "quiz", "assignment", "resource"):
        assert escape(add_lesson_url(section, lesson_type)) in html


def test_another_instructors_section_offers_no_lesson_to_add(client, instructor):
    course = build_course()
    section = course.get_children().get()
    client.force_login(instructor)

    assert client.get(add_lesson_url(section, "quiz")).status_code in (302, 403, 404)
    assert (
        "lesson_type=" not in client.get(reverse("wagtailadmin_explore", args=(section.pk,))).content.decode()
    )


def test_quiz_builder_labels_questions_and_choices_by_their_text_and_shows_the_pass_mark():
    quiz = QuizBlock()

    assert quiz.meta.label_format == "pass mark {pass_mark}%"
    question = quiz.child_blocks["questions"].child_block
    assert question.meta.label_format == "{text}"
    assert question.child_blocks["choices"].child_block.meta.label_format == "{text}"
