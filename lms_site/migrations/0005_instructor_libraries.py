"""Each instructor's own collection of documents and images, in place of the root collection they all shared.

Existing instructors get theirs here, with their uploads from the root collection; from now on the role
service (lms_site.services._sync_library) makes one when someone becomes an instructor.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP_LENGTH = 4  # treebeard's materialised path, as Wagtail's collections use it
# Frozen copies of lms_site.models.LIBRARY_PERMISSIONS and of what 0002 granted on the root collection.
LIBRARY_PERMISSIONS = {
    "wagtaildocs": ("add_document", "choose_document"),
    "wagtailimages": ("add_image", "choose_image"),
}
MEDIA_MODELS = (("wagtaildocs", "Document"), ("wagtailimages", "Image"))


def _step(number: int) -> str:
    digits = ""
    for _ in range(STEP_LENGTH):
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return digits


def _library_permissions(apps):
    Permission = apps.get_model("auth.Permission")
    return [
        permission
        for app_label, codenames in LIBRARY_PERMISSIONS.items()
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    ]


def create_libraries(apps, schema_editor):
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.get(depth=1)
    permissions = _library_permissions(apps)
    GroupCollectionPermission.objects.filter(
        group__name="Instructors", collection=root, permission__in=permissions
    ).delete()
    instructors = apps.get_model("lms_site.User").objects.filter(role="instructor", library__isnull=True)
    last_child = Collection.objects.filter(depth=2).order_by("-path").first()
    position = int(last_child.path[-STEP_LENGTH:], 36) if last_child else 0
    for user in instructors.order_by("date_joined"):
        position += 1
        collection = Collection.objects.create(
            name=user.email, path=root.path + _step(position), depth=2, numchild=0
        )
        group = apps.get_model("auth.Group").objects.create(name=f"Library {user.pk}")
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=group, collection=collection, permission=permission)
            for permission in permissions
        )
        apps.get_model("lms_site.InstructorLibrary").objects.create(
            user=user, collection=collection, group=group
        )
        user.groups.add(group)
        for app_label, model_name in MEDIA_MODELS:
            apps.get_model(app_label, model_name).objects.filter(
                uploaded_by_user=user, collection=root
            ).update(collection=collection)
    Collection.objects.filter(pk=root.pk).update(numchild=Collection.objects.filter(depth=2).count())


def remove_libraries(apps, schema_editor):
    Collection = apps.get_model("wagtailcore.Collection")
    Group = apps.get_model("auth.Group")
    root = Collection.objects.get(depth=1)
    libraries = apps.get_model("lms_site.InstructorLibrary").objects.all()
    collection_ids = list(libraries.values_list("collection_id", flat=True))
    for app_label, model_name in MEDIA_MODELS:
        apps.get_model(app_label, model_name).objects.filter(collection_id__in=collection_ids).update(
            collection=root
        )
    Group.objects.filter(pk__in=libraries.values("group_id")).delete()
    Collection.objects.filter(pk__in=collection_ids).delete()
    Collection.objects.filter(pk=root.pk).update(numchild=Collection.objects.filter(depth=2).count())
    instructors = Group.objects.get(name="Instructors")
    for permission in _library_permissions(apps):
        apps.get_model("wagtailcore.GroupCollectionPermission").objects.get_or_create(
            group=instructors, collection=root, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("lms_site", "0004_avatar_size_and_format"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="InstructorLibrary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "collection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.collection",
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="auth.group"
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="library",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "instructor library",
                "verbose_name_plural": "instructor libraries",
            },
        ),
        migrations.RunPython(create_libraries, remove_libraries),
    ]
