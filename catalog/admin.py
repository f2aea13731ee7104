"""The moderation queue and categories in the operations panel. Status changes go through catalog.services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import display

from lms_site.admin import RecordAdmin

from .models import Category, CourseLifecycle, CourseStatus

STATUS_COLOURS = {
    CourseStatus.DRAFT: "info",
    CourseStatus.PENDING: "warning",
    CourseStatus.APPROVED: "primary",
    CourseStatus.REJECTED: "danger",
    CourseStatus.PUBLISHED: "success",
}


@admin.register(CourseLifecycle)
class CourseLifecycleAdmin(RecordAdmin):
    list_display = ("course", "instructor", "status_badge", "submitted_at", "reviewed_by", "published_at")
    list_filter = (("status", ChoicesDropdownFilter),)
    list_filter_submit = True
    list_select_related = ("course", "course__owner", "reviewed_by")
    search_fields = ("course__title", "course__owner__email")
    ordering = ("-submitted_at",)

    @display(description=_("Instructor"), ordering="course__owner__email")
    def instructor(self, obj):
        return obj.course.owner

    @display(description=_("Status"), ordering="status", label=STATUS_COLOURS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()


@admin.register(Category)
class CategoryAdmin(ModelAdmin):
    list_display = ("name", "slug", "icon")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
