import django.contrib.postgres.search
from django.db import migrations

# Made here rather than in the model's Meta: SQLite cannot build a GIN index, nor rebuild a table that
# declares one, and the search falls back to plain lookups there (catalog.search).
INDEX = "lifecycle_search_vector_idx"
CREATE_INDEX = f"CREATE INDEX {INDEX} ON catalog_courselifecycle USING gin (search_vector)"
BACKFILL = """
UPDATE catalog_courselifecycle AS lifecycle
SET search_vector =
    setweight(to_tsvector('english', coalesce(page.title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(course.subtitle, '')), 'B')
    || setweight(to_tsvector('english', coalesce(course.description, '')), 'C')
FROM catalog_coursepage AS course
JOIN wagtailcore_page AS page ON page.id = course.page_ptr_id
WHERE lifecycle.course_id = course.page_ptr_id
"""


def on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_assignment_grading_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="courselifecycle",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(
            on_postgresql(BACKFILL, CREATE_INDEX), on_postgresql(f"DROP INDEX IF EXISTS {INDEX}")
        ),
    ]
