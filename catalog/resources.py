"""Categories and courses as spreadsheet rows for the admin's export and import (django-import-export)."""

from import_export.fields import Field
from import_export.widgets import BooleanWidget, CharWidget

from lms_site.resources import ServiceEditResource, SpreadsheetResource

from . import imports as course_imports
from . import services_categories
from .models import Category, CoursePage

COLUMNS = ("name", "slug", "icon", "description")


class CategoryResource(SpreadsheetResource):
    """Rows are matched by slug: a known slug updates its category, a new one creates a category.

    Each row is checked as the model checks it (a name, a valid slug, a name no other category has),
    and a file with any bad row writes nothing, at the preview and at the confirmation alike. The
    import needs the `user` keyword, which the admin passes.
    """

    # An empty XLSX cell reads as None; these read it as "", as from a CSV, and the model's checks judge it.
    description = Field(
        attribute="description", column_name="description", widget=CharWidget(allow_blank=True)
    )

    class Meta:
        model = Category
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        widgets = {"name": {"allow_blank": True}, "slug": {"allow_blank": True}}

    def save_instance(self, instance, is_create, row, **kwargs):
        """Write through the category services, as the API does, with the importing admin as the user."""
        values = {column: getattr(instance, column) for column in COLUMNS}
        if is_create:
            # The admin logs each row by its instance's key.
            instance.pk = services_categories.category_create(user=kwargs["user"], **values).pk
        else:
            services_categories.category_update(category=instance, user=kwargs["user"], **values)

    def import_data(self, dataset, **kwargs):
        # By default only exceptions roll the file back; invalid rows would leave the valid ones written.
        return super().import_data(dataset, **{**kwargs, "rollback_on_validation_errors": True})


COURSE_EXPORT_COLUMNS = (*course_imports.COLUMNS, "status", "instructor", "unpublished_changes")


class CourseResource(SpreadsheetResource):
    """Courses' catalogue data from the moderation list, as their editors see it (a live course's latest
    draft), matched by page id. Status, instructor and whether a live course has unpublished changes are
    shown, never imported."""

    category = Field(attribute="category", column_name="category")
    status = Field(attribute="status", column_name="status", readonly=True)
    instructor = Field(attribute="instructor", column_name="instructor", readonly=True)
    unpublished_changes = Field(
        attribute="unpublished_changes",
        column_name="unpublished_changes",
        readonly=True,
        widget=BooleanWidget(),
    )

    class Meta:
        model = CoursePage
        fields = COURSE_EXPORT_COLUMNS
        export_order = COURSE_EXPORT_COLUMNS

    def filter_export(self, queryset, **kwargs):
        """The admin hands over the listed lifecycles; each becomes its course's row, in the list's order."""
        category_slugs = dict(Category.objects.values_list("pk", "slug"))
        for lifecycle in queryset.select_related("course__latest_revision", "course__owner"):
            course = lifecycle.course
            yield {
                "id": course.pk,
                **course_imports.catalogue_of(course, category_slugs),
                "status": lifecycle.status,
                "instructor": course.owner.email if course.owner else "",
                "unpublished_changes": course.live and course.has_unpublished_changes,
            }


class CourseImportResource(ServiceEditResource, CourseResource):
    """Catalogue changes through catalog.imports: a new revision per changed course, live pages untouched."""

    columns = course_imports.COLUMNS
    check = staticmethod(course_imports.courses_import_check)
    write = staticmethod(course_imports.courses_import)

    class Meta(CourseResource.Meta):
        fields = course_imports.COLUMNS

    def describe_row(self, item):
        return [item.course.pk, *item.values.values()]
