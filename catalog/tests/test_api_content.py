"""Sections, lessons and lesson bodies over HTTP: read like the course, written by its instructor or admin."""

import copy

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory

from .. import access
from ..models import CourseStatus, LessonPage, SectionPage
from .factories import (
    BODIES,
    LessonPageFactory,
    SectionPageFactory,
    body_for,
    build_course,
    course_in,
    document,
)

pytestmark = pytest.mark.django_db


def sections_url(course, section=None):
    if section is None:
        return reverse("api:course-section-list", kwargs={"course_pk": course.pk})
    return reverse("api:course-section-detail", kwargs={"course_pk": course.pk, "pk": section.pk})


def lessons_url(course, section, lesson=None):
    kwargs = {"course_pk": course.pk, "section_pk": section.pk}
    if lesson is None:
        return reverse("api:course-lesson-list", kwargs=kwargs)
    return reverse("api:course-lesson-detail", kwargs={**kwargs, "pk": lesson.pk})


def lesson_url(lesson):
    return reverse("api:lesson-detail", args=[lesson.pk])


def first_section(course):
    return SectionPage.objects.child_of(course).first()


def first_lesson(course):
    return LessonPage.objects.descendant_of(course).first()


def quiz_course(admin, *, is_preview=True):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, lesson_types=("quiz",))
    LessonPage.objects.descendant_of(course).update(is_preview=is_preview)
    return course


# Reading


def test_anyone_reads_the_sections_of_a_published_course(api_client, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, sections=2, lessons_per_section=3)

    data = api_client.get(sections_url(course)).json()["data"]

    assert data["count"] == 2
    assert [section["order"] for section in data["results"]] == [1, 2]
    assert [len(section["lessons"]) for section in data["results"]] == [3, 3]


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.REJECTED])
def test_sections_and_lessons_of_an_unpublished_course_are_404_to_anonymous(api_client, admin, status):
    course = course_in(status, admin=admin)
    section, lesson = first_section(course), first_lesson(course)

    for url in (
        sections_url(course),
        sections_url(course, section),
        lessons_url(course, section),
        lessons_url(course, section, lesson),
        lesson_url(lesson),
    ):
        assert api_client.get(url).status_code == 404, url


def test_public_outline_hides_sections_added_since_publishing(api_client, client_for, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    draft_section = SectionPageFactory(parent=course, owner=course.owner)

    public = api_client.get(sections_url(course)).json()["data"]
    managed = client_for(admin).get(sections_url(course)).json()["data"]

    assert (public["count"], managed["count"]) == (1, 2)
    assert api_client.get(sections_url(course, draft_section)).status_code == 404


def test_stored_body_is_shown_to_the_owner_and_hidden_from_students(client_for, student, admin):
    course = quiz_course(admin)
    section, lesson = first_section(course), first_lesson(course)

    as_owner = client_for(course.owner).get(lessons_url(course, section, lesson)).json()["data"]
    as_student = client_for(student).get(lessons_url(course, section, lesson)).json()["data"]

    assert as_owner["body"][0]["value"]["questions"][0]["choices"][0]["correct"] is True
    assert as_student["body"] is None
    assert (as_student["type"], as_student["order"]) == ("quiz", 1)


# Writing


def test_owner_adds_a_section_at_a_position(client_for, instructor):
    course = build_course(owner=instructor, sections=2)

    response = client_for(instructor).post(
        sections_url(course), {"title": "Before anything", "order": 1}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["data"]["order"], response.json()["message"]) == (1, "Section added.")
    assert first_section(course).title == "Before anything"


def test_owner_adds_a_lesson_of_a_type_with_its_body(client_for, instructor):
    course = build_course(owner=instructor)
    section = first_section(course)

    response = client_for(instructor).post(
        lessons_url(course, section),
        {"title": "Watch this", "type": "video", "duration_minutes": 7, "body": BODIES["video"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    lesson = LessonPage.objects.get(pk=response.json()["data"]["id"])
    assert (lesson.lesson_type, lesson.duration_minutes, lesson.body[0].block_type) == ("video", 7, "video")
    assert response.json()["data"]["order"] == 2


def test_owner_moves_and_renames_a_lesson(client_for, instructor):
    course = build_course(owner=instructor, lessons_per_section=3)
    section = first_section(course)
    last = LessonPage.objects.child_of(section).order_by("-path").first()

    response = client_for(instructor).patch(
        lessons_url(course, section, last), {"title": "Now first", "order": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["order"] == 1
    assert LessonPage.objects.child_of(section).order_by("path").first().title == "Now first"


def test_owner_edits_and_deletes_a_section(client_for, instructor):
    course = build_course(owner=instructor, sections=2)
    section = first_section(course)
    client = client_for(instructor)

    edited = client.patch(sections_url(course, section), {"description": "Basics."}, format="json")
    deleted = client.delete(sections_url(course, section))

    assert (edited.status_code, edited.json()["data"]["description"]) == (200, "Basics.")
    assert deleted.status_code == 204
    assert not SectionPage.objects.filter(pk=section.pk).exists()


def test_owner_deletes_a_lesson(client_for, instructor):
    course = build_course(owner=instructor, lessons_per_section=2)
    lesson = first_lesson(course)

    assert (
        client_for(instructor).delete(lessons_url(course, first_section(course), lesson)).status_code == 204
    )
    assert not LessonPage.objects.filter(pk=lesson.pk).exists()


def test_adding_a_lesson_to_another_instructors_draft_is_404(client_for):
    course = build_course()

    response = client_for(InstructorFactory()).post(
        lessons_url(course, first_section(course)), {"title": "Spam", "type": "text"}, format="json"
    )

    assert response.status_code == 404
    assert LessonPage.objects.count() == 1


def test_adding_a_lesson_to_another_instructors_published_course_is_403(client_for, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)

    response = client_for(InstructorFactory()).post(
        lessons_url(course, first_section(course)),
        {"title": "Spam", "type": "text", "body": BODIES["text"]},
        format="json",
    )

    assert response.status_code == 403
    assert LessonPage.objects.count() == 1


def test_student_cannot_add_a_section(client_for, student, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)

    assert client_for(student).post(sections_url(course), {"title": "Mine"}, format="json").status_code == 403


def test_editing_a_section_of_a_pending_course_is_409(client_for, admin):
    course = course_in(CourseStatus.PENDING, admin=admin)

    response = client_for(course.owner).patch(
        sections_url(course, first_section(course)), {"title": "Late change"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_admin_adds_a_section_to_a_pending_course(client_for, admin):
    course = course_in(CourseStatus.PENDING, admin=admin)

    assert client_for(admin).post(sections_url(course), {"title": "Extra"}, format="json").status_code == 201


def test_lesson_without_a_type_is_400(client_for, instructor):
    course = build_course(owner=instructor)

    response = client_for(instructor).post(
        lessons_url(course, first_section(course)), {"title": "?"}, format="json"
    )

    assert response.status_code == 400
    assert "type" in response.json()["error"]["details"]


def _quiz_with_no_correct_choice():
    body = copy.deepcopy(BODIES["quiz"])
    for choice in body[0]["value"]["questions"][0]["choices"]:
        choice["correct"] = False
    return body


@pytest.mark.parametrize(
    ("lesson_type", "body"),
    [
        ("text", "<p>not a list</p>"),
        ("text", [{"type": "poem", "value": "Roses"}]),
        ("text", [{"value": "no type"}]),
        ("video", [{"type": "video", "value": {"url": "not a url"}}]),
        ("quiz", [{"type": "quiz", "value": {"pass_mark": 50, "questions": "one"}}]),
        ("quiz", _quiz_with_no_correct_choice()),
        ("resource", [{"type": "resource", "value": {"document": 999999}}]),
        ("quiz", BODIES["text"]),
    ],
    ids=[
        "not-a-list",
        "unknown-block",
        "no-type",
        "bad-url",
        "questions-not-a-list",
        "no-correct-choice",
        "missing-document",
        "quiz-lesson-without-quiz",
    ],
)
def test_malformed_body_is_400(client_for, instructor, lesson_type, body):
    course = build_course(owner=instructor)

    response = client_for(instructor).post(
        lessons_url(course, first_section(course)),
        {"title": "Broken", "type": lesson_type, "body": body},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert "body" in response.json()["error"]["details"]
    assert LessonPage.objects.count() == 1


# The lesson player


def test_student_sees_a_preview_quiz_without_answers(client_for, student, admin):
    course = quiz_course(admin)

    response = client_for(student).get(lesson_url(first_lesson(course)))

    assert response.status_code == 200
    question = response.json()["data"]["body"][0]["value"]["questions"][0]
    assert set(question) == {"id", "text", "multiple", "choices"}
    assert all(set(choice) == {"id", "text"} for choice in question["choices"])


def test_owner_sees_quiz_answers_and_explanations(client_for, admin):
    course = quiz_course(admin)

    response = client_for(course.owner).get(lesson_url(first_lesson(course)))

    question = response.json()["data"]["body"][0]["value"]["questions"][0]
    assert [choice["correct"] for choice in question["choices"]] == [True, False]
    assert "explanation" in question


def test_quiz_ids_are_stable_between_reads(api_client, admin):
    """Quiz attempts answer by question and choice id, so ids must not change from one read to the next."""
    lesson = first_lesson(quiz_course(admin))

    first, second = (api_client.get(lesson_url(lesson)).json()["data"]["body"] for _ in range(2))

    assert first == second
    assert first[0]["value"]["questions"][0]["id"]


def test_student_not_enrolled_gets_403_for_a_lesson_body(client_for, student, admin):
    course = quiz_course(admin, is_preview=False)

    response = client_for(student).get(lesson_url(first_lesson(course)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_anonymous_gets_401_for_a_lesson_body_that_is_not_a_preview(api_client, admin):
    course = quiz_course(admin, is_preview=False)

    assert api_client.get(lesson_url(first_lesson(course))).status_code == 401


def test_enrolled_student_reads_the_lesson_body(client_for, student, admin, monkeypatch):
    course = quiz_course(admin, is_preview=False)
    monkeypatch.setattr(access, "_enrolment_checks", [lambda user, checked: user == student])

    assert client_for(student).get(lesson_url(first_lesson(course))).status_code == 200


def test_lesson_of_an_unpublished_course_is_404_to_a_student(client_for, student):
    course = build_course()

    assert client_for(student).get(lesson_url(first_lesson(course))).status_code == 404


def test_text_and_resource_blocks_render_html_and_document_links(client_for, instructor):
    course = build_course(owner=instructor, lesson_types=("resource",))
    section = first_section(course)
    lesson = LessonPageFactory(
        parent=section,
        owner=instructor,
        lesson_type="resource",
        body=[*body_for("resource"), *BODIES["text"]],
    )

    body = client_for(instructor).get(lesson_url(lesson)).json()["data"]["body"]

    resource, text = body
    assert resource["value"]["document"]["title"] == "Slides"
    assert resource["value"]["document"]["url"].startswith("http://testserver/documents/")
    assert text == {"type": "text", "id": text["id"], "value": "<p>Read this first.</p>"}


def test_lesson_names_its_course_and_section(client_for, instructor):
    course = build_course(owner=instructor)
    lesson = first_lesson(course)

    data = client_for(instructor).get(lesson_url(lesson)).json()["data"]

    assert data["course"] == {"id": course.pk, "title": course.title}
    assert data["section"]["id"] == first_section(course).pk


# Files a body names: only one's own, as the CMS choosers offer them


def resource_body(handout):
    return [{"type": "resource", "value": {"document": handout.pk, "description": ""}}]


def test_lesson_naming_another_instructors_document_is_400(client_for, instructor):
    theirs = document(InstructorFactory(), title="Theirs")
    course = build_course(owner=instructor)

    response = client_for(instructor).post(
        lessons_url(course, first_section(course)),
        {"title": "Borrowed", "type": "resource", "body": resource_body(theirs)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "body": ["Choose documents and images from your own library."]
    }
    assert not LessonPage.objects.filter(title="Borrowed").exists()


def test_owner_adds_a_lesson_with_a_document_of_their_own(client_for, instructor):
    course = build_course(owner=instructor)

    response = client_for(instructor).post(
        lessons_url(course, first_section(course)),
        {"title": "Handout", "type": "resource", "body": resource_body(document(instructor))},
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_a_file_an_admin_put_in_a_lesson_stays_when_its_instructor_edits_it(client_for, instructor, admin):
    course = build_course(owner=instructor)
    section, lesson = first_section(course), first_lesson(course)
    url = lessons_url(course, section, lesson)
    from_admin = {"type": "resource", "body": resource_body(document(admin, title="From the team"))}
    assert client_for(admin).patch(url, from_admin, format="json").status_code == 200

    response = client_for(instructor).patch(url, {"title": "Renamed"}, format="json")

    assert response.status_code == 200, response.json()
    assert first_lesson(course).body[0].value["document"].title == "From the team"


# One body shape for authors and learners (catalog.api.blocks)


def _authored_lesson(client, instructor, lesson_type, body):
    course = build_course(owner=instructor)
    response = client.post(
        lessons_url(course, first_section(course)),
        {"title": "Authored", "type": lesson_type, "body": body},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return course, response.json()["data"]


@pytest.mark.parametrize("lesson_type", ["video", "text", "quiz", "assignment", "resource"])
def test_a_body_read_by_its_author_is_written_back_unchanged(client_for, instructor, lesson_type):
    client = client_for(instructor)
    body = body_for(lesson_type, owner=instructor)
    if lesson_type == "assignment":
        body[0]["value"]["estimated_hours"] = 1.5
    course, written = _authored_lesson(client, instructor, lesson_type, body)
    url = lessons_url(course, first_section(course), LessonPage.objects.get(pk=written["id"]))

    body = copy.deepcopy(written["body"])
    if lesson_type == "resource":  # read as {id, title, url}, written as its id
        body[0]["value"]["document"] = body[0]["value"]["document"]["id"]
    response = client.patch(url, {"body": body}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["body"] == written["body"]


def test_question_and_choice_ids_survive_an_edit_so_attempts_still_match(client_for, instructor):
    client = client_for(instructor)
    course, written = _authored_lesson(client, instructor, "quiz", body_for("quiz"))
    body = copy.deepcopy(written["body"])
    body[0]["value"]["questions"][0]["text"] = "Two plus two?"
    lesson = LessonPage.objects.get(pk=written["id"])

    edited = client.patch(lessons_url(course, first_section(course), lesson), {"body": body}, format="json")

    before, after = written["body"][0]["value"]["questions"][0], edited.json()["data"]["body"][0]["value"]
    assert after["questions"][0]["text"] == "Two plus two?"
    assert after["questions"][0]["id"] == before["id"]
    assert [choice["id"] for choice in after["questions"][0]["choices"]] == [
        choice["id"] for choice in before["choices"]
    ]


def test_authors_and_learners_read_a_quiz_in_one_shape_learners_without_answers(client_for, student, admin):
    course = quiz_course(admin)
    lesson = first_lesson(course)

    authored = client_for(course.owner).get(lessons_url(course, first_section(course), lesson)).json()["data"]
    studied = client_for(student).get(lesson_url(lesson)).json()["data"]

    [quiz], [learner_quiz] = authored["body"], studied["body"]
    for question in quiz["value"]["questions"]:
        del question["explanation"]
        for choice in question["choices"]:
            del choice["correct"]
    assert learner_quiz == quiz


def test_schema_types_each_block_with_a_discriminator_on_type(api_client):
    schemas = api_client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    kinds = ["video", "text", "quiz", "assignment", "resource"]
    for union, quiz in [("LessonBlock", "QuizBlock"), ("LearnerLessonBlock", "LearnerQuizBlock")]:
        mapping = schemas[union]["discriminator"]["mapping"]
        assert schemas[union]["discriminator"]["propertyName"] == "type"
        assert set(mapping) == set(kinds)
        assert mapping["quiz"] == f"#/components/schemas/{quiz}"
    assert set(schemas["LessonBlockRequest"]["discriminator"]["mapping"]) == set(kinds)
    assert "correct" not in schemas["LearnerQuizChoice"]["properties"]
    assert schemas["QuizChoice"]["required"] == ["id", "text", "correct"]
    assert schemas["QuizChoiceRequest"]["required"] == ["text"]
    assert schemas["ResourceValueRequest"]["properties"]["document"]["type"] == "integer"
    assert schemas["Lesson"]["properties"]["body"]["items"] == {"$ref": "#/components/schemas/LessonBlock"}
    assert schemas["LessonWriteRequest"]["properties"]["body"]["items"] == {
        "$ref": "#/components/schemas/LessonBlockRequest"
    }
    assert schemas["LessonContent"]["properties"]["body"]["items"] == {
        "$ref": "#/components/schemas/LearnerLessonBlock"
    }
