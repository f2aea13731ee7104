"""Catalog factories. Pages take a `parent`; courses default to the one course index."""

import copy

import factory
from django.utils.text import slugify

from lms_site.models import Role
from lms_site.tests.factories import UserFactory

from ..models import Category, CourseIndexPage, CoursePage, CourseStatus, LessonPage, SectionPage

BODIES = {
    "video": [
        {
            "type": "video",
            "value": {"url": "https://video.example.com/intro.mp4", "caption": "", "transcript": ""},
        }
    ],
    "text": [{"type": "text", "value": "<p>Read this first.</p>"}],
    "quiz": [
        {
            "type": "quiz",
            "value": {
                "pass_mark": 50,
                "questions": [
                    {
                        "text": "2 + 2?",
                        "multiple": False,
                        "explanation": "",
                        "choices": [{"text": "4", "correct": True}, {"text": "5", "correct": False}],
                    }
                ],
            },
        }
    ],
    "assignment": [
        {
            "type": "assignment",
            "value": {"brief": "<p>Build a thing.</p>", "submission": "", "estimated_hours": None},
        }
    ],
}


def document(owner=None, title="Slides"):
    """A PDF uploaded by `owner` into their library (an instructor's), or by nobody into the root."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    library = getattr(owner, "library", None)
    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"),
        uploaded_by_user=owner,
        **({"collection": library.collection} if library else {}),
    )


def image(owner, title="Picture"):
    """A PNG uploaded by `owner` into their library (an instructor's), or into the root."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    library = getattr(owner, "library", None)
    return Image.objects.create(
        title=title,
        file=get_test_image_file(),
        uploaded_by_user=owner,
        **({"collection": library.collection} if library else {}),
    )


def body_for(lesson_type: str, owner=None) -> list[dict]:
    if lesson_type == "resource":
        return [{"type": "resource", "value": {"document": document(owner).pk, "description": "The slides."}}]
    return copy.deepcopy(BODIES[lesson_type])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    icon = "code"
    description = "A subject."


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` and saves a first revision, as the CMS editor does."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    live = False

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(**kwargs)
        parent = parent or cls._default_parent()
        parent.add_child(instance=page)
        page.save_revision(user=page.owner)
        return page

    @classmethod
    def _default_parent(cls):
        raise TypeError(f"{cls.__name__} needs a parent.")


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    subtitle = "Learn by doing"
    description = "A complete course."
    category = factory.SubFactory(CategoryFactory)
    owner = factory.SubFactory(UserFactory, role=Role.INSTRUCTOR)

    @classmethod
    def _default_parent(cls):
        return CourseIndexPage.objects.get()


class SectionPageFactory(PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"Section {n}")


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    lesson_type = "text"
    duration_minutes = 10
    body = factory.LazyAttribute(lambda o: body_for(o.lesson_type, getattr(o, "owner", None)))


def build_course(
    *, owner=None, sections=1, lessons_per_section=1, lesson_types=("text",), preview=False, **fields
) -> CoursePage:
    """A draft course with sections and lessons (free previews if `preview`), ready to submit."""
    course = CoursePageFactory(**({"owner": owner} if owner else {}), **fields)
    types = iter(lesson_types * (sections * lessons_per_section))
    for _ in range(sections):
        section = SectionPageFactory(parent=course, owner=course.owner)
        for _ in range(lessons_per_section):
            LessonPageFactory(parent=section, owner=course.owner, lesson_type=next(types), is_preview=preview)
    return course


def course_in(status: str, *, admin, **kwargs) -> CoursePage:
    """A course brought to `status` through the services, as people would."""
    from .. import services

    course = build_course(**kwargs)
    if status == CourseStatus.DRAFT:
        return course
    services.course_submit(course=course, user=course.owner)
    if status == CourseStatus.REJECTED:
        services.course_reject(course=course, user=admin, reason="Needs more examples.")
    elif status in (CourseStatus.APPROVED, CourseStatus.PUBLISHED):
        services.course_approve(course=course, user=admin)
        if status == CourseStatus.PUBLISHED:
            services.course_publish(course=course, user=admin)
    return CoursePage.objects.get(pk=course.pk)


def changed_course(admin, *, title="Second edition") -> CoursePage:
    """A published course "First edition" whose owner has saved draft changes to the course's title and its
    lesson's, as the CMS editor saves them."""
    course = course_in(CourseStatus.PUBLISHED, admin=admin, title="First edition")
    draft = course.get_latest_revision_as_object()
    draft.title = title
    draft.save_revision(user=course.owner)
    lesson = LessonPage.objects.descendant_of(course).get()
    lesson.title = "Rewritten lesson"
    lesson.save_revision(user=course.owner)
    return CoursePage.objects.get(pk=course.pk)
