"""The moderation queue and categories in the operations panel. Status changes go through catalog.services."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Case, F, Sum, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm

from lms_site.admin import (
    RecordAdmin,
    ServiceImportExportAdmin,
    SpreadsheetImportExportAdmin,
    admin_link,
    apply_all,
    back_to,
    get_or_404,
    is_role_admin,
)
from lms_site.admin_forms import FORM_SUBMITTED, ReasonForm

from . import services, services_categories
from .admin_forms import CourseRejectionForm, PublicationForm
from .models import Category, ChangeStatus, CourseLifecycle, CourseStats, CourseStatus
from .models.lifecycle import UNDER_REVIEW
from .resources import CategoryResource, CourseImportResource, CourseResource
from .selectors import categories_with_counts

CHANGE_COLOURS = {
    ChangeStatus.NONE: "info",
    ChangeStatus.PENDING: "warning",
    ChangeStatus.REJECTED: "danger",
}
STATUS_COLOURS = {
    CourseStatus.DRAFT: "info",
    CourseStatus.PENDING: "warning",
    CourseStatus.APPROVED: "primary",
    CourseStatus.REJECTED: "danger",
    CourseStatus.PUBLISHED: "success",
}
QUEUE_ORDER = (
    Case(When(UNDER_REVIEW, then=Value(0)), default=Value(1)).asc(),
    F("submitted_at").asc(nulls_last=True),
)


@dataclass(frozen=True)
class Transition:
    """One lifecycle step as the queue offers it: in a dialog, on a page of its own, or for many courses."""

    service: Callable
    form_class: type[BaseDialogForm]
    title: str
    description: str
    done: str  # a plural message with a %(count)d
    arguments: Callable[[dict], dict] = lambda data: {}
    summarise: Callable[[list], str] | None = None  # who it touches, shown before asking

    def dialog(self):
        return {
            "title": self.title,
            "description": self.description,
            "form_class": self.form_class,
            "form_submit_text": self.title,
        }

    def change(self, course, user, data):
        self.service(course=course, user=user, **self.arguments(data))

    def message(self, data, count):
        return self.done % {"count": count}


@dataclass(frozen=True)
class Publication(Transition):
    scheduled: str = ""  # a plural message with a %(count)d and a %(time)s

    def message(self, data, count):
        if data["go_live_at"] is None:
            return super().message(data, count)
        time = formats.date_format(timezone.localtime(data["go_live_at"]), "DATETIME_FORMAT")
        return self.scheduled % {"count": count, "time": time}


APPROVAL = Transition(
    service=services.course_approve,
    form_class=ReasonForm,
    title=_("Approve"),
    description=_(
        "The instructor is told by email. A new course is then published as a separate step; "
        "a change to a published course goes live at once."
    ),
    done=ngettext_lazy("%(count)d course approved.", "%(count)d courses approved.", "count"),
    arguments=lambda data: {"comment": data["reason"]},
)
REJECTION = Transition(
    service=services.course_reject,
    form_class=CourseRejectionForm,
    title=_("Reject"),
    description=_(
        "The instructor receives your reason by email and may submit again; "
        "a published course stays live as it was."
    ),
    done=ngettext_lazy("%(count)d course rejected.", "%(count)d courses rejected.", "count"),
    arguments=lambda data: {"reason": data["reason"]},
)
PUBLICATION = Publication(
    service=services.course_publish,
    form_class=PublicationForm,
    title=_("Publish"),
    description=_("The course and all its lessons go live, now or at the time you choose."),
    done=ngettext_lazy("%(count)d course published.", "%(count)d courses published.", "count"),
    arguments=lambda data: {"go_live_at": data["go_live_at"]},
    scheduled=ngettext_lazy(
        "%(count)d course scheduled to go live at %(time)s.",
        "%(count)d courses scheduled to go live at %(time)s.",
        "count",
    ),
)


def _unpublication_summary(lifecycles) -> str:
    """How many students lose the course: they are told by email and see it as unavailable."""
    enrolled = CourseStats.objects.filter(pk__in=[lifecycle.course_id for lifecycle in lifecycles]).aggregate(
        total=Sum("enrollment_count", default=0)
    )["total"]
    courses = len(lifecycles)
    return _("%(courses)s with %(students)s enrolled will leave the catalog.") % {
        "courses": ngettext("%(count)d course", "%(count)d courses", courses) % {"count": courses},
        "students": ngettext("%(count)d student", "%(count)d students", enrolled) % {"count": enrolled},
    }


UNPUBLICATION = Transition(
    service=services.course_unpublish,
    form_class=BaseDialogForm,
    title=_("Unpublish"),
    description=_(
        "The course leaves the catalog and returns to draft; enrolments keep their history. Enrolled "
        "students are told by email and see the course as unavailable in their learning."
    ),
    done=ngettext_lazy("%(count)d course unpublished.", "%(count)d courses unpublished.", "count"),
    summarise=_unpublication_summary,
)


@admin.register(CourseLifecycle)
class CourseLifecycleAdmin(RecordAdmin, ServiceImportExportAdmin):
    """The moderation queue: pending courses first, longest waiting at the top.

    Every decision is one of the lifecycle services, offered three ways: for the selected courses (all
    or none change), from a row (asking on a page), and from a course's page (asking in a dialog).
    Every course is listed here, so this is also where their catalogue data is exported and imported.
    """

    resource_classes = [CourseResource]
    import_resource_class = CourseImportResource  # new draft revisions; never status or owner

    list_display = (
        "course_title",
        "instructor",
        "status_badge",
        "change_badge",
        "category",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "published_at",
        "go_live_at",
        "edit_in_cms",
        "compare_change",
        "live_page",
    )
    list_display_links = ("course_title",)
    list_filter = (("status", ChoicesDropdownFilter), ("change_status", ChoicesDropdownFilter))
    list_filter_submit = True
    list_select_related = ("course", "course__owner", "course__category", "reviewed_by")
    search_fields = ("course__title", "course__owner__email")
    ordering = QUEUE_ORDER
    fields = (
        "course",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "reason",
        "change_status",
        "change_reason",
        "go_live_at",
        "published_at",
        "edit_in_cms",
        "compare_change",
        "live_page",
    )
    readonly_fields = ("edit_in_cms", "compare_change", "live_page")
    actions = ["approve", "reject", "publish", "unpublish"]
    actions_row = ["approve_row", "reject_row", "publish_row", "unpublish_row"]
    actions_detail = ["approve_detail", "reject_detail", "publish_detail", "unpublish_detail"]

    def has_moderate_permission(self, request, obj=None):
        return is_role_admin(request)

    @display(description=_("Course"), ordering="course__title")
    def course_title(self, obj):
        return obj.course.title

    @display(description=_("Instructor"), ordering="course__owner__email")
    def instructor(self, obj):
        return obj.course.owner.email if obj.course.owner else None

    @display(description=_("Status"), ordering="status", label=STATUS_COLOURS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=_("Change"), ordering="change_status", label=CHANGE_COLOURS)
    def change_badge(self, obj):
        if obj.change_status == ChangeStatus.NONE:
            return None
        return obj.change_status, obj.get_change_status_display()

    @display(description=_("Change beside the live version"))
    def compare_change(self, obj):
        """Wagtail's revision comparison of the course's draft with what students see."""
        if obj.change_status == ChangeStatus.NONE:
            return None
        url = reverse("wagtailadmin_pages:revisions_compare", args=[obj.course_id, "live", "latest"])
        return admin_link(url, _("Compare"))

    @display(description=_("Category"), ordering="course__category__name")
    def category(self, obj):
        return obj.course.category

    @display(description=_("CMS"))
    def edit_in_cms(self, obj):
        url = reverse("wagtailadmin_pages:edit", args=[obj.course_id])
        return admin_link(url, _("Edit"))

    @display(description=_("Live page"))
    def live_page(self, obj):
        if obj.status != CourseStatus.PUBLISHED or not obj.course.live:
            return None
        return admin_link(obj.course.url, _("View"))

    # For the selected courses, asking first on a page.

    @action(description=_("Approve"), permissions=["moderate"], icon="task_alt")
    def approve(self, request, queryset):
        return self._on_list(request, queryset, APPROVAL, "approve")

    @action(description=_("Reject"), permissions=["moderate"], icon="block")
    def reject(self, request, queryset):
        return self._on_list(request, queryset, REJECTION, "reject")

    @action(description=_("Publish"), permissions=["moderate"], icon="publish")
    def publish(self, request, queryset):
        return self._on_list(request, queryset, PUBLICATION, "publish")

    @action(description=_("Unpublish"), permissions=["moderate"], icon="unpublished")
    def unpublish(self, request, queryset):
        return self._on_list(request, queryset, UNPUBLICATION, "unpublish")

    # From a row of the list, asking on a page of its own and going back to the list.

    @action(description=_("Approve"), permissions=["moderate"], icon="task_alt", url_path="approve-from-list")
    def approve_row(self, request, object_id):
        return self._on_page(request, object_id, APPROVAL)

    @action(description=_("Reject"), permissions=["moderate"], icon="block", url_path="reject-from-list")
    def reject_row(self, request, object_id):
        return self._on_page(request, object_id, REJECTION)

    @action(description=_("Publish"), permissions=["moderate"], icon="publish", url_path="publish-from-list")
    def publish_row(self, request, object_id):
        return self._on_page(request, object_id, PUBLICATION)

    @action(
        description=_("Unpublish"),
        permissions=["moderate"],
        icon="unpublished",
        url_path="unpublish-from-list",
    )
    def unpublish_row(self, request, object_id):
        return self._on_page(request, object_id, UNPUBLICATION)

    # From the course's page, asking in a dialog.

    @action(
        description=_("Approve"),
        permissions=["moderate"],
        icon="task_alt",
        url_path="approve",
        dialog=APPROVAL.dialog(),
    )
    def approve_detail(self, request, form, object_id):
        return self._in_dialog(request, form, object_id, APPROVAL)

    @action(
        description=_("Reject"),
        permissions=["moderate"],
        icon="block",
        url_path="reject",
        dialog=REJECTION.dialog(),
    )
    def reject_detail(self, request, form, object_id):
        return self._in_dialog(request, form, object_id, REJECTION)

    @action(
        description=_("Publish"),
        permissions=["moderate"],
        icon="publish",
        url_path="publish",
        dialog=PUBLICATION.dialog(),
    )
    def publish_detail(self, request, form, object_id):
        return self._in_dialog(request, form, object_id, PUBLICATION)

    @action(
        description=_("Unpublish"),
        permissions=["moderate"],
        icon="unpublished",
        url_path="unpublish",
        dialog=UNPUBLICATION.dialog(),
    )
    def unpublish_detail(self, request, form, object_id):
        return self._in_dialog(request, form, object_id, UNPUBLICATION)

    def _on_list(self, request, queryset, transition, action_name):
        form = transition.form_class(request, data=request.POST if FORM_SUBMITTED in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, transition, form.cleaned_data)
            return None
        return self._ask(request, transition, form, queryset, action_name=action_name)

    def _on_page(self, request, object_id, transition):
        lifecycle = get_or_404(self, request, object_id)
        form = transition.form_class(
            request, object_id, data=request.POST if request.method == "POST" else None
        )
        if form.is_valid():
            self._run(request, [lifecycle], transition, form.cleaned_data)
            return redirect("admin:catalog_courselifecycle_changelist")
        return self._ask(request, transition, form, [lifecycle])

    def _in_dialog(self, request, form, object_id, transition):
        self._run(request, [get_or_404(self, request, object_id)], transition, form.cleaned_data)
        return back_to("admin:catalog_courselifecycle_change", object_id)

    def _ask(self, request, transition, form, lifecycles, action_name=None):
        context = {
            **self.admin_site.each_context(request),
            "title": transition.title,
            "description": transition.description,
            "summary": transition.summarise(list(lifecycles)) if transition.summarise else "",
            "opts": self.opts,
            "form": form,
            "lifecycles": lifecycles,
            "action_name": action_name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalog/courselifecycle/transition.html", context)

    def _run(self, request, lifecycles, transition, data):
        def change(lifecycle):
            transition.change(lifecycle.course, request.user, data)

        if count := apply_all(
            self, request, lifecycles, change, label=lambda lifecycle: lifecycle.course.title
        ):
            self.message_user(request, transition.message(data, count), messages.SUCCESS)


@admin.register(Category)
class CategoryAdmin(ModelAdmin, SpreadsheetImportExportAdmin):
    resource_classes = [CategoryResource]

    list_display = ("name", "slug", "icon", "course_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return categories_with_counts()

    # Adding, editing and deleting go through the category services, as the API's and the import's do.

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        return services_categories.category_create(user=request.user, **form.cleaned_data)

    def save_model(self, request, obj, form, change):
        if change:
            services_categories.category_update(
                category=obj,
                user=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )

    def save_related(self, request, form, formsets, change):
        if change:  # category_create has already saved everything a new category has
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        services_categories.category_delete(category=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for category in queryset:
                services_categories.category_delete(category=category, user=request.user)

    @display(description=_("Published courses"), ordering="course_count")
    def course_count(self, obj):
        return obj.course_count

    def process_result(self, result, request):
        """The file was checked at the preview, but the data can change before the confirmation."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        self.message_user(
            request,
            _("Nothing was imported. %(rows)s") % {"rows": " ".join(row_problems(result))},
            messages.ERROR,
        )
        return redirect("admin:catalog_category_import")


def row_problems(result) -> list[str]:
    """Every problem of an import result, each naming its row and field, as "Row 2: name: ..."."""
    problems = [
        (row.number, message if field == NON_FIELD_ERRORS else f"{field}: {message}")
        for row in result.invalid_rows
        for field, messages_of_field in row.error_dict.items()
        for message in messages_of_field
    ]
    problems += [(row.number, str(error.error)) for row in result.error_rows for error in row.errors]
    return [
        *(
            _("Row %(number)d: %(problem)s") % {"number": number, "problem": problem}
            for number, problem in problems
        ),
        *(str(error.error) for error in result.base_errors),
    ]
