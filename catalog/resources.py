"""Categories as spreadsheet rows for the admin's export and import (django-import-export)."""

from import_export import resources
from import_export.fields import Field
from import_export.widgets import CharWidget

from . import services_categories
from .models import Category

COLUMNS = ("name", "slug", "icon", "description")


class CategoryResource(resources.ModelResource):
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
