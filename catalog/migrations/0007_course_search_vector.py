import django.contrib.postgres.search
from django.db import migrations

from catalog.search import REFRESH_ALL

# Made here rather than in the model's Meta: SQLite cannot build a GIN index, nor rebuild a table that
# declares one, and the search falls back to plain lookups there (catalog.search).
INDEX = "lifecycle_search_vector_idx"
CREATE_INDEX = f"CREATE INDEX {INDEX} ON catalog_courselifecycle USING gin (search_vector)"


def on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_course_change_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="courselifecycle",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(
            on_postgresql(REFRESH_ALL, CREATE_INDEX), on_postgresql(f"DROP INDEX IF EXISTS {INDEX}")
        ),
    ]
