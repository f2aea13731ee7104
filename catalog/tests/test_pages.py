"""The catalog's site pages (catalog, course, lesson, home list), by real requests as each person."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory, StudentFactory
from lms_site.tests.test_site_pages import assert_site_layout

from .. import services, site_views
from ..blocks import VideoBlock
from ..models import CoursePage, CourseStatus, LessonPage
from .factories import CategoryFactory, course_in

pytestmark = pytest.mark.django_db

CATALOG = "/courses/"
UNPUBLISHED = [CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.APPROVED, CourseStatus.REJECTED]
STATUS_LABELS = {
    CourseStatus.DRAFT: "Status: Draft.",
    CourseStatus.PENDING: "Status: Pending review.",
    CourseStatus.APPROVED: "Status: Approved.",
    CourseStatus.REJECTED: "Status: Rejected.",
}
LOCKED = "Enrol in the course to open this lesson"
TEXT_BODY = "Read this first."  # what the factories' text lessons say
EXTERNAL_ASSET = re.compile(r'<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)="(?:https?:)?//')


def card_titles(response) -> list[str]:
    return re.findall(r'<h3 class="course-card__title"><a [^>]*>([^<]+)</a>', response.content.decode())


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def quiz_html(response) -> str:
    return re.search(r'<section class="quiz"[^>]*>.*?</section>', response.content.decode(), re.S).group()


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def make_preview(lesson, admin):
    """An admin's edit of live content goes live at once, as in the CMS."""
    services.lesson_update(lesson=lesson, course=lesson.course, user=admin, is_preview=True)


@pytest.fixture
def published(admin):
    """A live course: a text lesson marked as preview, then a quiz, then a text lesson."""
    course = course_in(
        CourseStatus.PUBLISHED,
        admin=admin,
        title="Pottery basics",
        sections=3,
        lesson_types=("text", "quiz", "text"),
    )
    make_preview(lessons_of(course)[0], admin)
    return course


# Catalog


def test_catalog_renders_in_site_layout(client, published):
    response = client.get(CATALOG)

    assert response.status_code == 200
    assert "catalog/course_index_page.html" in [t.name for t in response.templates]
    assert_site_layout(response)


def test_catalog_course_and_lesson_pages_load_nothing_from_other_sites(client, published):
    for url in (CATALOG, published.url, lessons_of(published)[0].url):
        assert EXTERNAL_ASSET.findall(client.get(url).content.decode()) == []


def test_catalog_lists_only_published_courses(client, admin, published):
    for status in UNPUBLISHED:
        course_in(status, admin=admin, title=f"A {status} course")

    assert card_titles(client.get(CATALOG)) == ["Pottery basics"]


def test_catalog_leaves_out_unpublished_courses_for_their_owner_too(client, admin, published):
    draft = course_in(CourseStatus.DRAFT, admin=admin, title="Work in progress")
    client.force_login(draft.owner)

    assert card_titles(client.get(CATALOG)) == ["Pottery basics"]


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"title": "Glazing for beginners"}, "glazing"),
        ({"subtitle": "Kilns explained"}, "KILN"),
        ({"description": "We throw bowls."}, "bowls"),
    ],
)
def test_catalog_search_finds_course_by_title_subtitle_or_description(client, admin, published, fields, term):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, **{"title": "Wanted", **fields})

    assert card_titles(client.get(CATALOG, {"q": term})) == [course.title]


def test_catalog_search_also_reads_the_search_parameter(client, published):
    assert card_titles(client.get(CATALOG, {"search": "pottery"})) == ["Pottery basics"]
    assert card_titles(client.get(CATALOG, {"search": "nothing like it"})) == []


def test_catalog_filters_by_category(client, admin, published):
    ceramics = CategoryFactory(name="Ceramics")
    course_in(CourseStatus.PUBLISHED, admin=admin, title="Raku firing", category=ceramics)

    assert card_titles(client.get(CATALOG, {"category": "ceramics"})) == ["Raku firing"]


def test_catalog_filters_by_difficulty(client, admin, published):
    course_in(CourseStatus.PUBLISHED, admin=admin, title="Porcelain", difficulty="advanced")

    assert card_titles(client.get(CATALOG, {"difficulty": "advanced"})) == ["Porcelain"]


@pytest.mark.parametrize(
    ("is_free", "expected"), [("true", "Pottery basics"), ("false", "Paid wheel course")]
)
def test_catalog_filters_free_or_paid(client, admin, published, is_free, expected):
    course_in(CourseStatus.PUBLISHED, admin=admin, title="Paid wheel course", price=Decimal("49.00"))

    assert card_titles(client.get(CATALOG, {"is_free": is_free})) == [expected]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["Ash glazes", "Bisque", "Coiling"]),
        ("price", ["Bisque", "Coiling", "Ash glazes"]),
        ("-price", ["Ash glazes", "Coiling", "Bisque"]),
    ],
)
def test_catalog_orders_courses(client, admin, ordering, expected):
    for title, price in [("Coiling", "10"), ("Ash glazes", "30"), ("Bisque", "0")]:
        course_in(CourseStatus.PUBLISHED, admin=admin, title=title, price=Decimal(price))

    assert card_titles(client.get(CATALOG, {"ordering": ordering})) == expected


def test_catalog_marks_current_filter_values_as_selected(client, published):
    html = client.get(CATALOG, {"q": "pot", "difficulty": "beginner", "ordering": "-price"}).content.decode()

    assert 'name="q" value="pot"' in html
    assert '<option value="beginner" selected>' in html
    assert '<option value="-price" selected>' in html


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"difficulty": "expert"}, "Difficulty:"),
        ({"is_free": "maybe"}, "Price:"),
        ({"ordering": "popularity"}, "Sort by:"),
        ({"price_min": "cheap"}, "Lowest price:"),
    ],
)
def test_bad_filter_value_is_named_and_all_courses_shown(client, published, params, label):
    response = client.get(CATALOG, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="alert alert--error" role="alert"' in html
    assert label in html
    assert card_titles(response) == ["Pottery basics"]


def test_catalog_labels_every_filter(client, published):
    html = client.get(CATALOG).content.decode()

    for control in (
        "catalog-q",
        "catalog-category",
        "catalog-difficulty",
        "catalog-price",
        "catalog-ordering",
    ):
        assert f'<label for="{control}">' in html
        assert f'id="{control}"' in html


def test_catalog_shows_twelve_courses_a_page(client, admin):
    for number in range(13):
        course_in(CourseStatus.PUBLISHED, admin=admin, title=f"Course {number:02}")

    first, second = (
        client.get(CATALOG, {"ordering": "title"}),
        client.get(CATALOG, {"ordering": "title", "page": 2}),
    )

    assert len(card_titles(first)) == site_views.PAGE_SIZE == 12
    assert card_titles(second) == ["Course 12"]
    assert "Page 2 of 2" in second.content.decode()


@pytest.fixture
def two_pages(admin, monkeypatch):
    """Two published courses, one a page."""
    monkeypatch.setattr(site_views, "PAGE_SIZE", 1)
    for title in ("Alpha", "Beta"):
        course_in(CourseStatus.PUBLISHED, admin=admin, title=title)


@pytest.mark.parametrize(
    ("page", "expected"), [("99", ["Beta"]), ("-1", ["Beta"]), ("two", ["Alpha"]), ("", ["Alpha"])]
)
def test_catalog_page_number_out_of_range_or_not_a_number_is_not_an_error(client, two_pages, page, expected):
    response = client.get(CATALOG, {"ordering": "title", "page": page})

    assert response.status_code == 200
    assert card_titles(response) == expected


def test_catalog_page_links_keep_the_filters(client, two_pages):
    html = client.get(CATALOG, {"ordering": "title"}).content.decode()

    assert 'href="?ordering=title&amp;page=2" rel="next"' in html


def test_course_card_shows_instructor_category_level_rating_and_price(client, admin):
    course = course_in(
        CourseStatus.PUBLISHED, admin=admin, title="Wheel", price=Decimal("49.00"), difficulty="intermediate"
    )
    html = client.get(CATALOG).content.decode()

    assert f"By {course.owner.get_full_name()}" in html
    assert course.category.name in html
    assert "Intermediate" in html
    assert "No reviews yet" in html
    assert "49.00 USD" in html


def test_free_course_card_says_free(client, published):
    assert '<span class="price price--free">Free</span>' in client.get(CATALOG).content.decode()


# Course page


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("who", ["anonymous", "other instructor", "student"])
def test_unpublished_course_page_is_not_found(client, admin, status, who):
    course = course_in(status, admin=admin)
    visitor = {"anonymous": None, "other instructor": InstructorFactory(), "student": StudentFactory()}[who]

    assert as_user(client, visitor).get(course.url).status_code == 404


# Wagtail serves only live pages at their URL, so managers see an unpublished course in the CMS
# preview. Owners cannot open an approved course there (the CMS gives them no edit right then).
@pytest.mark.parametrize(
    ("status", "who"),
    [(status, "admin") for status in UNPUBLISHED]
    + [(status, "owner") for status in UNPUBLISHED if status != CourseStatus.APPROVED],
)
def test_owner_and_admin_preview_unpublished_course_with_its_status(client, admin, status, who):
    course = course_in(status, admin=admin)
    client.force_login(course.owner if who == "owner" else admin)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[course.pk]))

    assert response.status_code == 200
    assert STATUS_LABELS[status] in response.content.decode()


def test_rejected_course_banner_gives_the_reason(client, admin):
    course = course_in(CourseStatus.REJECTED, admin=admin)
    client.force_login(course.owner)

    html = client.get(reverse("wagtailadmin_pages:view_draft", args=[course.pk])).content.decode()

    assert "Needs more examples." in html


def test_published_course_has_no_status_banner_even_for_its_owner(client, published):
    client.force_login(published.owner)

    assert "status-banner" not in client.get(published.url).content.decode()


def test_published_course_page_shows_course_details_and_outline(client, published):
    response = client.get(published.url)

    assert response.status_code == 200
    assert_site_layout(response)
    html = response.content.decode()
    for text in (
        "Pottery basics",
        "Learn by doing",
        "A complete course.",
        published.category.name,
        "Beginner",
    ):
        assert text in html
    assert published.owner.get_full_name() in html
    for lesson in lessons_of(published):
        assert lesson.title in html
    assert html.count('class="outline__section"') == 3


def test_course_page_shows_outcomes_requirements_and_enrolment_window(client, admin):
    course = course_in(
        CourseStatus.PUBLISHED,
        admin=admin,
        learning_outcomes="Centre clay\nPull walls",
        requirements="Clay",
        enrollment_cap=20,
    )
    html = client.get(course.url).content.decode()

    assert "<li>Centre clay</li>" in html
    assert "<li>Pull walls</li>" in html
    assert "<li>Clay</li>" in html
    assert "0 of 20 taken" in html


def test_outline_links_only_preview_lessons_for_anonymous(client, published):
    preview, quiz, text = lessons_of(published)
    html = client.get(published.url).content.decode()

    assert f'href="{preview.url}"' in html
    assert f'href="{quiz.url}"' not in html
    assert f'href="{text.url}"' not in html
    assert html.count(">Preview</span>") == 1


def test_outline_links_every_lesson_for_owner(client, published):
    client.force_login(published.owner)
    html = client.get(published.url).content.decode()

    for lesson in lessons_of(published):
        assert f'href="{lesson.url}"' in html


def test_anonymous_visitor_is_invited_to_sign_up_and_come_back(client, published):
    html = client.get(published.url).content.decode()

    assert f'href="{reverse("account_signup")}?next={published.url}"' in html
    assert "Sign up to enrol" in html


def test_signed_in_visitor_gets_no_sign_up_invitation(client, student, published):
    client.force_login(student)

    assert "Sign up to enrol" not in client.get(published.url).content.decode()


def test_enrol_form_posts_to_the_enrol_url_when_one_is_given(student, published):
    request = RequestFactory().get(published.url)
    request.user = student
    page = CoursePage.objects.get(pk=published.pk)

    html = render_to_string(
        "catalog/course_page.html",
        {**page.get_context(request), "enrol_url": "/enrol/here/"},
        request=request,
    )

    assert '<form method="post" action="/enrol/here/">' in html
    assert 'name="csrfmiddlewaretoken"' in html


# Lesson page


def test_preview_lesson_body_is_visible_to_anonymous(client, published):
    response = client.get(lessons_of(published)[0].url)

    assert response.status_code == 200
    assert TEXT_BODY in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_locked_lesson_explains_how_to_open_it(client, student, published, who):
    text_lesson = lessons_of(published)[2]

    html = as_user(client, student if who == "student" else None).get(text_lesson.url).content.decode()

    assert LOCKED in html
    assert f'href="{published.url}"' in html
    assert TEXT_BODY not in html


def test_locked_lesson_answers_forbidden(client, published):
    assert client.get(lessons_of(published)[2].url).status_code == 403


def test_owner_sees_the_body_of_every_lesson(client, published):
    client.force_login(published.owner)
    response = client.get(lessons_of(published)[2].url)

    assert response.status_code == 200
    assert TEXT_BODY in response.content.decode()
    assert LOCKED not in response.content.decode()


def test_student_sees_quiz_choices_without_the_answers(client, admin, student, published):
    quiz = lessons_of(published)[1]
    make_preview(quiz, admin)
    client.force_login(student)

    html = quiz_html(client.get(quiz.url))

    assert "2 + 2?" in html
    assert '<label for="choice-' in html
    assert ">4</label>" in html
    assert ">5</label>" in html
    assert "correct" not in html.lower()
    assert "Right answer" not in html


def test_quiz_is_shown_disabled_with_a_note_without_a_submit_url(client, admin, published):
    quiz = lessons_of(published)[1]
    make_preview(quiz, admin)

    html = quiz_html(client.get(quiz.url))

    assert "Enrol to take this quiz." in html
    assert '<fieldset class="quiz__questions" disabled>' in html
    assert 'method="post"' not in html


def test_quiz_posts_to_the_submit_url_when_one_is_given(published):
    quiz = lessons_of(published)[1]

    html = quiz.body[0].render(context={"quiz_submit_url": "/quiz/answers/", "can_see_answers": False})

    assert 'method="post" action="/quiz/answers/"' in html
    assert " disabled" not in html
    assert "Enrol to take this quiz." not in html


def test_owner_sees_which_quiz_choices_are_right(client, published):
    client.force_login(published.owner)

    html = quiz_html(client.get(lessons_of(published)[1].url))

    assert html.count("Right answer") == 1


def test_video_file_plays_in_the_page():
    block = VideoBlock()
    html = block.render(block.to_python({"url": "https://media.example.com/clip.mp4", "caption": "Centring"}))

    assert '<video class="video__player" src="https://media.example.com/clip.mp4" controls' in html
    assert "<figcaption>Centring</figcaption>" in html


def test_video_host_page_is_linked_never_embedded():
    block = VideoBlock()
    html = block.render(block.to_python({"url": "https://www.youtube.com/watch?v=abc"}))

    assert "Watch the video" in html
    assert "<iframe" not in html
    assert "<video" not in html


def test_resource_lesson_links_its_document(client, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, lesson_types=("resource",))
    lesson = lessons_of(course)[0]
    client.force_login(course.owner)

    html = client.get(lesson.url).content.decode()

    assert f'href="{lesson.body[0].value["document"].url}" download' in html
    assert "Download “Slides”" in html
    assert "The slides." in html


def test_lesson_page_links_previous_and_next_lessons_in_course_order(client, published):
    first, second, third = lessons_of(published)
    client.force_login(published.owner)

    html = client.get(second.url).content.decode()

    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{third.url}" rel="next"' in html


def test_lesson_breadcrumb_leads_back_to_the_course(client, published):
    html = client.get(lessons_of(published)[0].url).content.decode()

    assert f'<li><a href="{published.url}">Pottery basics</a></li>' in html


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_lessons_of_an_unpublished_course_are_not_found(client, admin, who):
    course = course_in(CourseStatus.APPROVED, admin=admin)

    assert (
        as_user(client, course.owner if who == "owner" else None).get(lessons_of(course)[0].url).status_code
        == 404
    )


def test_lessons_of_a_course_taken_off_the_catalog_are_not_found(client, admin, published):
    services.course_unpublish(course=published, user=admin)

    assert client.get(lessons_of(published)[0].url).status_code == 404


# Home page and navigation


def test_home_page_lists_latest_courses_and_links_the_catalog(client, admin, published):
    course_in(CourseStatus.DRAFT, admin=admin, title="Not yet")
    response = client.get("/")

    assert card_titles(response) == ["Pottery basics"]
    assert f'href="{CATALOG}"' in response.content.decode()


def test_main_navigation_links_courses_to_the_catalog(client):
    html = client.get(CATALOG).content.decode()

    assert f'<a href="{CATALOG}" aria-current="page">Courses</a>' in html
