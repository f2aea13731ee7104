"""The catalog page under the home page, its review workflow, and instructors' right to add courses there."""

import uuid

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    for _ in range(4):
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return digits


def create_catalog(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    CourseIndexPage = apps.get_model("catalog.CourseIndexPage")
    CourseReviewTask = apps.get_model("catalog.CourseReviewTask")

    home = Page.objects.get(depth=2, slug="home")
    index_type, _ = ContentType.objects.get_or_create(app_label="catalog", model="courseindexpage")
    last_child = Page.objects.filter(path__startswith=home.path, depth=3).order_by("-path").first()
    position = int(last_child.path[-4:], 36) + 1 if last_child else 1
    index = CourseIndexPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=index_type,
        path=home.path + _step(position),
        depth=3,
        numchild=0,
        url_path=f"{home.url_path}courses/",
        intro="Every course here was reviewed before it went live.",
        live=True,
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    task_type, _ = ContentType.objects.get_or_create(app_label="catalog", model="coursereviewtask")
    task = CourseReviewTask.objects.create(name="Course review", active=True, content_type=task_type)
    workflow = Workflow.objects.create(name="Course review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)

    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    add_page, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="add_page", defaults={"name": "Can add page"}
    )
    instructors, _ = Group.objects.get_or_create(name="Instructors")
    GroupPagePermission.objects.get_or_create(group=instructors, page=index, permission=add_page)


def remove_catalog(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name="Course review").delete()
    apps.get_model("wagtailcore.Task").objects.filter(name="Course review").delete()
    apps.get_model("catalog.CourseIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("lms_site", "0002_roles_and_site"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_catalog, remove_catalog)]
