"""What the catalog's site pages show beyond the page itself: lists, filters, outlines, lesson access.

Thin like the API: reads go through catalog.selectors. Wagtail serves the pages, whose
get_context calls these: `catalog_context`, `home_context`, `course_view` and `lesson_view`.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from lms_site.errors import ValidationFailed

from . import access, selectors
from .models import CoursePage, Difficulty, LessonPage, SectionPage
from .models.pages import STUDENT_PREVIEW
from .selectors import LessonAccess, Section

PAGE_SIZE = 12
LATEST_COURSES = 4

ORDERING_CHOICES = [
    ("", _("Newest")),
    ("title", _("Title, A to Z")),
    ("price", _("Price, lowest first")),
    ("-price", _("Price, highest first")),
    ("-average_rating", _("Highest rated")),
    ("-enrollment_count", _("Most enrolled")),
]
PRICE_CHOICES = [("", _("Any price")), ("true", _("Free")), ("false", _("Paid"))]
FILTER_LABELS = {
    "category": _("Category"),
    "difficulty": _("Difficulty"),
    "is_free": _("Price"),
    "price_min": _("Lowest price"),
    "price_max": _("Highest price"),
    "instructor": _("Instructor"),
    "ordering": _("Sort by"),
}


def public_courses():
    """The catalog as the public sees it, whoever asks: authors manage their other courses in the CMS.

    Renditions come in one query for the whole page of cards.
    """
    return selectors.courses_for(AnonymousUser()).prefetch_related("thumbnail__renditions")


def catalog_context(request) -> dict:
    """One page of the filtered catalog; filters it cannot apply are named, and the rest shown."""
    params = request.GET
    filter_errors = []
    try:
        courses = selectors.filter_courses(public_courses(), params=params)
    except ValidationFailed as error:
        filter_errors = [
            f"{FILTER_LABELS.get(name, name)}: {' '.join(map(str, messages))}"
            for name, messages in error.details.items()
        ]
        courses = selectors.filter_courses(public_courses(), params={})
    return {
        "courses": Paginator(courses, PAGE_SIZE).get_page(params.get("page")),
        "filter_errors": filter_errors,
        "filters": {
            "q": params.get("q") or params.get("search") or "",
            "category": params.get("category", ""),
            "difficulty": params.get("difficulty", ""),
            "is_free": params.get("is_free", ""),
            "ordering": params.get("ordering", ""),
        },
        "categories": selectors.categories_with_counts(),
        "difficulties": Difficulty.choices,
        "prices": PRICE_CHOICES,
        "orderings": ORDERING_CHOICES,
    }


def home_context(request) -> dict:
    return {
        "latest_courses": public_courses().order_by("-lifecycle__published_at", "-pk")[:LATEST_COURSES],
        "course_index": selectors.course_index(),
    }


@dataclass(frozen=True)
class CourseView:
    outline: list[Section]
    open_lessons: frozenset[int]  # lessons whose body this person may open
    is_manager: bool


def previews_as_student(request) -> bool:
    """The instructor's "As a student" preview in /cms/ (Wagtail sets these on preview requests only)."""
    return getattr(request, "is_preview", False) and getattr(request, "preview_mode", "") == STUDENT_PREVIEW


def course_view(request, course: CoursePage) -> CourseView:
    user = request.user
    outline = selectors.course_outline(course, user=user)
    lessons = [lesson for section in outline for lesson in section.lessons]
    if previews_as_student(request):  # enrolled: every lesson opens (locks show on the lesson's page)
        return CourseView(outline, frozenset(lesson.pk for lesson in lessons), is_manager=False)
    return CourseView(
        outline, _open_lessons(lessons, course, user), selectors.course_is_managed_by(course, user)
    )


def _open_lessons(lessons: list[LessonPage], course: CoursePage, user) -> frozenset[int]:
    """Ids of the lessons whose body this person may open; the enrolment is looked up once."""
    enrolled = access.is_enrolled(user, course)
    return frozenset(
        lesson.pk
        for lesson in lessons
        if selectors.lesson_access(lesson, user, course=course, enrolled=enrolled).can_view_body
    )


@dataclass(frozen=True)
class LessonView:
    course: CoursePage
    access: LessonAccess
    locked_by: LessonPage | None  # sequential courses: the lesson to complete before the body shows
    section: SectionPage | None
    previous: LessonPage | None
    next: LessonPage | None


def lesson_view(request, lesson: LessonPage) -> LessonView:
    """The lesson's place in its course (in course order) and what this person may see of it."""
    course = lesson.course
    outline = selectors.course_outline(course, user=request.user)
    places = [(section.page, item) for section in outline for item in section.lessons]
    position = next((i for i, (_, item) in enumerate(places) if item.pk == lesson.pk), None)
    if previews_as_student(request):
        # A student who has just enrolled has completed nothing: in a sequential course every lesson
        # after the first is locked by the one before it, free previews excepted.
        access = LessonAccess(can_view_outline=True, can_view_body=True, can_see_answers=False)
        locked = course.is_sequential and not lesson.is_preview and position
        locked_by = places[position - 1][1] if locked else None
    else:
        access = selectors.lesson_access(lesson, request.user, course=course)
        locked_by = (
            selectors.lesson_locked_by(lesson, request.user, course=course) if access.can_view_body else None
        )
    if position is None:  # a lesson the outline does not list, e.g. a new one in a CMS preview
        return LessonView(course, access, locked_by, section=None, previous=None, next=None)
    return LessonView(
        course,
        access,
        locked_by,
        section=places[position][0],
        previous=places[position - 1][1] if position > 0 else None,
        next=places[position + 1][1] if position + 1 < len(places) else None,
    )
