"""Reads of the catalog: what a person may see, and the querysets behind lists and outlines."""

import enum
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Q
from django.db.models.functions import Cast
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.permissions import policy_registry

from lms_site.errors import ValidationFailed
from lms_site.ordering import ordering_lookups
from lms_site.selectors import median_duration

from . import access
from .models import (
    Category,
    CourseIndexPage,
    CourseLifecycle,
    CoursePage,
    CourseStatus,
    Difficulty,
    LessonPage,
    SectionPage,
)
from .permissions import is_admin
from .search import search_courses

ORDERINGS = {
    "published_at": "lifecycle__published_at",
    "price": "price",
    "average_rating": "stats__average_rating",
    "enrollment_count": "stats__enrollment_count",
    "title": "title",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


def course_index() -> CourseIndexPage | None:
    return CourseIndexPage.objects.first()


def categories_with_counts():
    published = Q(courses__live=True, courses__lifecycle__status=CourseStatus.PUBLISHED)
    return Category.objects.annotate(course_count=Count("courses", filter=published))


def course_is_visible_to(course: CoursePage, user) -> bool:
    if course.is_in_catalog:
        return True
    return user.is_authenticated and (is_admin(user) or course.owner_id == user.pk)


def course_is_managed_by(course: CoursePage, user) -> bool:
    return user.is_authenticated and (is_admin(user) or course.owner_id == user.pk)


@dataclass(frozen=True)
class LessonAccess:
    can_view_outline: bool
    can_view_body: bool
    can_see_answers: bool


def lesson_access(
    lesson: LessonPage, user, *, course: CoursePage | None = None, enrolled: bool | None = None
) -> LessonAccess:
    """`enrolled`, when the caller already knows it, saves a query per lesson in an outline."""
    course = course or lesson.course
    if course_is_managed_by(course, user):
        return LessonAccess(True, True, True)
    if not (course_is_visible_to(course, user) and lesson.live):
        return LessonAccess(False, False, False)
    if not lesson.is_preview and enrolled is None:
        enrolled = access.is_enrolled(user, course)
    return LessonAccess(True, lesson.is_preview or enrolled, False)


def lesson_locked_by(lesson: LessonPage, user, *, course: CoursePage | None = None) -> LessonPage | None:
    """The one lock rule of the site and the API: the lesson to complete before this one's body opens,
    or None. Its course's owner, admins and preview lessons are never locked."""
    if lesson.is_preview or course_is_managed_by(course or lesson.course, user):
        return None
    return access.locked_by(user, lesson)


class FileAccess(enum.Enum):
    GRANTED = "granted"
    REFUSED = "refused"  # a lesson of a published course uses it: signing in or enrolling may help
    HIDDEN = "hidden"  # nothing public uses it: as if it did not exist


def lessons_using(document):
    """Lessons whose stored content refers to `document`: the live version of a published lesson, never a
    draft revision (Wagtail's reference index reads the page row, which a draft does not change)."""
    references = ReferenceIndex.get_references_to(document).filter(
        content_type=ContentType.objects.get_for_model(LessonPage)
    )
    return LessonPage.objects.filter(
        pk__in=references.annotate(page_id=Cast("object_id", IntegerField())).values("page_id")
    )


def document_access(document, user) -> FileAccess:
    """A course file is for those who may read a lesson using it (enrolled students once the lesson is
    unlocked, the course's instructor, admins; anyone for a preview lesson of a published course); a file
    no lesson uses, for its uploader and whoever may use it in the CMS (admins, the instructor whose
    library holds it).

    Queries: the lessons, their courses, and one enrolment check per course, however many lessons."""
    if is_admin(user) or (user.is_authenticated and document.uploaded_by_user_id == user.pk):
        return FileAccess.GRANTED
    lessons = list(lessons_using(document))
    # A lesson's course is its grandparent: section, then course.
    course_paths = {lesson.path[: -2 * LessonPage.steplen] for lesson in lessons}
    courses = CoursePage.objects.filter(path__in=course_paths).select_related("lifecycle", "owner")
    course_at = {course.path: course for course in courses}
    enrolled: dict[int, bool] = {}
    listed = False
    for lesson in lessons:
        course = course_at[lesson.path[: -2 * LessonPage.steplen]]
        if not lesson.is_preview and course.pk not in enrolled:
            enrolled[course.pk] = access.is_enrolled(user, course)
        found = lesson_access(lesson, user, course=course, enrolled=enrolled.get(course.pk))
        if found.can_view_body and lesson_locked_by(lesson, user, course=course) is None:
            return FileAccess.GRANTED
        listed = listed or found.can_view_outline
    policy = policy_registry.get_by_type(type(document))
    if user.is_authenticated and policy.user_has_permission_for_instance(user, "choose", document):
        return FileAccess.GRANTED
    return FileAccess.REFUSED if listed else FileAccess.HIDDEN


def courses_for(user, *, mine: bool = False, status: str | None = None):
    courses = CoursePage.objects.visible_to(user).with_card_data()
    if mine:
        courses = courses.filter(owner=user) if user.is_authenticated else courses.none()
    if status and (is_admin(user) or mine):
        courses = courses.filter(lifecycle__status=status)
    return courses


def _decimal(name: str, value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed(details={name: ["Enter a number."]})
    return number


def filter_courses(courses, *, params):
    """Apply the catalog's filters, search and ordering from query parameters (API and site)."""
    if category := params.get("category"):
        courses = courses.filter(category__slug=category)
    if difficulty := params.get("difficulty"):
        if difficulty not in Difficulty.values:
            raise ValidationFailed(details={"difficulty": [f"Choose one of {', '.join(Difficulty.values)}."]})
        courses = courses.filter(difficulty=difficulty)
    if (is_free := params.get("is_free")) not in (None, ""):
        if is_free.lower() not in ("true", "false", "1", "0"):
            raise ValidationFailed(details={"is_free": ["Use true or false."]})
        free = is_free.lower() in ("true", "1")
        courses = courses.filter(price=0) if free else courses.filter(price__gt=0)
    if price_min := params.get("price_min"):
        courses = courses.filter(price__gte=_decimal("price_min", price_min))
    if price_max := params.get("price_max"):
        courses = courses.filter(price__lte=_decimal("price_max", price_max))
    if instructor := params.get("instructor"):
        courses = courses.filter(owner__pk=_uuid("instructor", instructor))
    ordering = params.get("ordering")
    if search := (params.get("search") or params.get("q") or "").strip():
        courses = search_courses(courses, search)
        if not ordering and "search_rank" in courses.query.annotations:
            return courses.order_by("-search_rank", *_ordering(None), "-pk")
    return courses.order_by(*_ordering(ordering), "-pk")


def _uuid(name, value):
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed(details={name: ["Enter a valid id."]}) from exc


def _ordering(value: str | None) -> list[str]:
    if not value:
        return ["-lifecycle__published_at", "title"]
    return ordering_lookups(value, ORDERINGS)


@dataclass
class Section:
    page: SectionPage
    lessons: list[LessonPage]


def course_outline(course: CoursePage, *, user) -> list[Section]:
    """Sections with their lessons in tree order; unpublished ones only for the owner and admins."""
    sections = SectionPage.objects.child_of(course)
    lessons = LessonPage.objects.descendant_of(course)
    if not course_is_managed_by(course, user):
        sections, lessons = sections.live(), lessons.live()
    outline = {section.path: Section(section, []) for section in sections.order_by("path")}
    for lesson in lessons.order_by("path"):
        if section := outline.get(lesson.path[: -CoursePage.steplen]):
            section.lessons.append(lesson)
    return list(outline.values())


# Analytics (learners.analytics puts these beside the enrolment figures)


def courses_by_status(courses) -> dict[str, int]:
    """How many of `courses` are in each state of review, every state present (0 if none): one query."""
    rows = courses.order_by().values("lifecycle__status").annotate(count=Count("pk"))
    counts = dict(rows.values_list("lifecycle__status", "count"))
    return {status: counts.get(status, 0) for status in CourseStatus.values}


def course_decisions() -> dict:
    """Every approval and rejection ever logged, the approval rate, and the median time from the latest
    submission of a course to the decision on it."""
    counts = PageLogEntry.objects.aggregate(
        approved=Count("pk", filter=Q(action="catalog.course.approve")),
        rejected=Count("pk", filter=Q(action="catalog.course.reject")),
    )
    decided = counts["approved"] + counts["rejected"]
    return {
        **counts,
        "approval_rate": counts["approved"] / decided if decided else None,
        "median_time_to_decision": median_duration(
            CourseLifecycle.objects.all(), start="submitted_at", end="reviewed_at"
        ),
    }
