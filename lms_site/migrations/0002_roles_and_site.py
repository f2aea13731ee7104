"""The three role groups, Wagtail access for authors, and the site's name."""

from django.db import migrations

AUTHOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "choose_document"]),
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Site = apps.get_model("sites.Site")

    for name in ("Students", "Instructors", "Admins"):
        Group.objects.get_or_create(name=name)
    instructors = Group.objects.get(name="Instructors")

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    instructors.permissions.add(access_admin)

    root = Collection.objects.filter(depth=1).first()
    for app_label, model, codenames in AUTHOR_COLLECTION_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
            GroupCollectionPermission.objects.get_or_create(
                group=instructors, collection=root, permission=permission
            )

    Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1:8000", "name": "Learning Platform"})


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=["Students", "Instructors", "Admins"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms_site", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
