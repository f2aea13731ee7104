"""A course's outline in /cms/: its sections and lessons in order, with what an author needs to see of
each, adding in place, and moving up and down (plain forms, so keyboards and screen readers work)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from lms_site.errors import DomainError

from . import selectors, services
from .models import CoursePage, LessonPage, LessonType, SectionPage


def add_lesson_url(section_id: int, lesson_type: str) -> str:
    """The lesson form opened with its type chosen and that type's block in place."""
    url = reverse("wagtailadmin_pages:add", args=("catalog", "lessonpage", section_id))
    return f"{url}?{urlencode({'lesson_type': lesson_type})}"


def _managed_course(request, course_id: int) -> CoursePage:
    """Another instructor's course is not found, as everywhere in /cms/."""
    course = get_object_or_404(CoursePage.objects.select_related("lifecycle", "owner"), pk=course_id)
    if not selectors.course_is_managed_by(course, request.user):
        raise Http404
    return course


def outline(request, course_id: int):
    course = _managed_course(request, course_id)
    sections = selectors.course_outline(course, user=request.user)
    return TemplateResponse(
        request,
        "catalog/cms/outline.html",
        {
            "course": course,
            "sections": sections,
            "add_section_url": reverse("wagtailadmin_pages:add", args=("catalog", "sectionpage", course.pk)),
            "lesson_types": LessonType.choices,
            "header_title": _("Outline of %(course)s") % {"course": course.title},
        },
    )


@require_POST
def move(request, course_id: int):
    """Moves a section or lesson of the course one place up or down among its siblings."""
    course = _managed_course(request, course_id)
    page = get_object_or_404(
        Page.objects.descendant_of(course).type(SectionPage, LessonPage).specific(),
        pk=request.POST.get("page") if str(request.POST.get("page", "")).isdigit() else None,
    )
    if "section" in request.POST:
        return _move_to_section(request, course, page)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is None:
        messages.error(request, _("Choose to move up or down."))
        return redirect("catalog_course_outline", course.pk)
    position = list(page.get_siblings(inclusive=True).order_by("path").values_list("pk", flat=True))
    try:
        services.outline_move(
            page=page, course=course, user=request.user, position=position.index(page.pk) + 1 + step
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” moved.") % {"title": page.title})
    return redirect(f"{reverse('catalog_course_outline', args=(course.pk,))}#page-{page.pk}")


def _move_to_section(request, course: CoursePage, lesson):
    section = get_object_or_404(
        SectionPage.objects.child_of(course),
        pk=request.POST["section"] if request.POST["section"].isdigit() else None,
    )
    if not isinstance(lesson, LessonPage):
        raise Http404
    try:
        services.outline_move_lesson(lesson=lesson, section=section, course=course, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(title)s” moved to “%(section)s”.") % {"title": lesson.title, "section": section.title},
        )
    return redirect(f"{reverse('catalog_course_outline', args=(course.pk,))}#page-{lesson.pk}")
