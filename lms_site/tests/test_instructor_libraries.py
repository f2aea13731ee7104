"""Each instructor's own library in /cms/: a collection of documents and images opened by a group of one."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permissions import policy_registry

from lms_site import services
from lms_site.models import InstructorLibrary, Role, User
from lms_site.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db

LIBRARY_CODENAMES = {"add_document", "choose_document", "add_image", "choose_image"}
MIGRATION = importlib.import_module("lms_site.migrations.0005_instructor_libraries")


def document(owner, title, collection=None):
    library = getattr(owner, "library", None)
    collection = collection or (library.collection if library else Collection.get_first_root_node())
    upload = ContentFile(b"%PDF-1.4", name="file.pdf")
    return Document.objects.create(title=title, file=upload, uploaded_by_user=owner, collection=collection)


def codenames(group, collection):
    granted = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    return set(granted.values_list("permission__codename", flat=True))


def test_becoming_an_instructor_opens_a_library_of_ones_own(admin, student):
    services.user_change_role(user=student, role=Role.INSTRUCTOR, changed_by=admin)

    library = InstructorLibrary.objects.get(user=student)
    assert library.collection.get_parent() == Collection.get_first_root_node()
    assert codenames(library.group, library.collection) == LIBRARY_CODENAMES
    assert list(library.group.user_set.all()) == [student]
    for model in (Document, Image):
        policy = policy_registry.get_by_type(model)
        assert list(policy.collections_user_has_permission_for(student, "add")) == [library.collection]
        assert list(policy.collections_user_has_permission_for(student, "choose")) == [library.collection]


def test_instructors_share_no_collection(instructor):
    other = InstructorFactory()
    policy = policy_registry.get_by_type(Document)

    assert not GroupCollectionPermission.objects.filter(group__name="Instructors").exists()
    assert instructor.library.collection != other.library.collection
    assert list(policy.collections_user_has_permission_for(other, "choose")) == [other.library.collection]


def test_leaving_the_role_closes_the_library_and_coming_back_reopens_it(admin, instructor):
    library = instructor.library

    services.user_change_role(user=instructor, role=Role.STUDENT, changed_by=admin)
    assert not instructor.groups.filter(pk=library.group_id).exists()
    assert InstructorLibrary.objects.filter(pk=library.pk).exists()  # the files stay, for admins

    services.user_change_role(user=instructor, role=Role.INSTRUCTOR, changed_by=admin)
    assert InstructorLibrary.objects.get(user=instructor) == library
    assert instructor.groups.filter(pk=library.group_id).exists()


def instructor_from_before_libraries():
    """An instructor as the role service left them before this migration: in the shared group only."""
    user = User.objects.create_user("early@example.com", role=Role.INSTRUCTOR)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


def root_permissions_of_the_shared_group():
    """What migration 0002 granted every instructor on the root collection."""
    instructors, root = Group.objects.get(name="Instructors"), Collection.get_first_root_node()
    for codename in LIBRARY_CODENAMES:
        GroupCollectionPermission.objects.create(
            group=instructors, collection=root, permission=Permission.objects.get(codename=codename)
        )
    return instructors, root


def test_migration_gives_existing_instructors_a_library_with_their_uploads(admin):
    early = instructor_from_before_libraries()
    instructors, root = root_permissions_of_the_shared_group()
    theirs, admins = document(early, "Theirs"), document(admin, "Admin's")
    elsewhere = root.add_child(name="Elsewhere")
    placed = document(early, "Placed", collection=elsewhere)

    MIGRATION.create_libraries(apps, None)

    library = InstructorLibrary.objects.get(user=early)
    assert codenames(library.group, library.collection) == LIBRARY_CODENAMES
    assert early.groups.filter(pk=library.group_id).exists()
    assert Document.objects.get(pk=theirs.pk).collection == library.collection
    assert Document.objects.get(pk=admins.pk).collection == root
    assert Document.objects.get(pk=placed.pk).collection == elsewhere  # put there on purpose: left there
    assert codenames(instructors, root) == set()
    assert Collection.get_first_root_node().get_children_count() == Collection.objects.filter(depth=2).count()
    assert library.collection.get_parent() == root


def test_migration_backwards_returns_to_the_shared_root_collection(instructor):
    mine = document(instructor, "Mine")

    MIGRATION.remove_libraries(apps, None)

    root = Collection.get_first_root_node()
    assert not InstructorLibrary.objects.exists()
    assert Document.objects.get(pk=mine.pk).collection == root
    assert codenames(Group.objects.get(name="Instructors"), root) == LIBRARY_CODENAMES
