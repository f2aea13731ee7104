"""Authoring in /cms/ (issue 12.4): adding sections and lessons, the lesson form, the quiz builder."""

import pytest
from django.urls import reverse

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
