"""Course files: a lesson's documents are served only to those who may read the lesson (issue 11.5)."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.urls import reverse

from catalog import selectors
from catalog.models import CourseStatus, LessonPage, SectionPage
from catalog.tests.factories import LessonPageFactory, course_in, document
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services

pytestmark = pytest.mark.django_db

PAID = Decimal("49.00")


class RemoteStorage(Storage):
    """Files with addresses of their own and no local path, as on S3 (which is outside this machine)."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def size(self, name):
        return len(self.files[name])

    def url(self, name):
        return f"https://files.example.com/{name}"


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """Files in a folder, as `make run` keeps them: the test settings' in-memory storage has none to send."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def lessons_in(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def file_of(lesson):
    return lesson.body[0].value["document"]


def course_file(status, *, admin, **kwargs):
    """A course at `status` whose one lesson offers a document, and that document."""
    course = course_in(status, admin=admin, lesson_types=("resource",), **kwargs)
    return course, file_of(lessons_in(course)[0])


def download(client, user, document):
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


@pytest.fixture
def paid(admin):
    return course_file(CourseStatus.PUBLISHED, admin=admin, price=PAID)


def enrol(student, course, admin):
    services.enrollment_create(student=student, course=course, granted_by=admin)


def test_enrolled_student_downloads_a_course_file(client, paid, student, admin):
    course, handout = paid
    enrol(student, course, admin)

    response = download(client, student, handout)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"


def test_file_of_a_locked_lesson_opens_with_the_lesson(client, student, admin):
    """The lock rule of the lesson's body holds for its files: sequential courses open them in order."""
    course = course_in(
        CourseStatus.PUBLISHED,
        admin=admin,
        lesson_types=("text", "resource"),
        lessons_per_section=2,
        is_sequential=True,
    )
    first, second = lessons_in(course)
    enrol(student, course, admin)

    locked = download(client, student, file_of(second))
    services.lesson_complete(student=student, lesson=first)
    opened = client.get(file_of(second).url)

    assert locked.status_code == 403
    assert opened.status_code == 200


def test_files_in_remote_storage_are_streamed_by_the_site_never_handed_off(client, settings, student, admin):
    """Wagtail's default for a storage without local paths would redirect to the storage's own address."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.RemoteStorage"}}
    course, handout = course_file(CourseStatus.PUBLISHED, admin=admin, price=PAID)
    enrol(student, course, admin)

    response = download(client, student, handout)

    assert handout.url == reverse("wagtaildocs_serve", args=[handout.pk, handout.filename])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    assert download(client, InstructorFactory(), handout).status_code == 403


def test_student_not_enrolled_is_refused_a_paid_course_file(client, paid, student):
    assert download(client, student, paid[1]).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in_for_a_paid_course_file(client, paid):
    handout = paid[1]

    response = download(client, None, handout)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={handout.url}"


def test_another_instructor_is_refused_a_course_file(client, paid, instructor):
    assert download(client, instructor, paid[1]).status_code == 403


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_course_instructor_and_admins_download_course_files(who, client, paid, admin):
    course, handout = paid
    assert download(client, course.owner if who == "owner" else admin, handout).status_code == 200


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.APPROVED])
@pytest.mark.parametrize("who", ["anonymous", "student", "another instructor"])
def test_unpublished_course_file_is_404_to_everyone_but_its_instructor_and_admins(status, who, client, admin):
    _, handout = course_file(status, admin=admin, preview=True)
    user = {"anonymous": None, "student": StudentFactory(), "another instructor": InstructorFactory()}[who]

    assert download(client, user, handout).status_code == 404


def test_unpublished_course_file_is_served_to_its_instructor(client, admin):
    course, handout = course_file(CourseStatus.DRAFT, admin=admin)
    assert download(client, course.owner, handout).status_code == 200


def test_preview_lesson_file_of_a_published_course_is_public(client, admin):
    _, handout = course_file(CourseStatus.PUBLISHED, admin=admin, price=PAID, preview=True)
    assert download(client, None, handout).status_code == 200


def test_file_added_in_a_draft_of_a_live_lesson_waits_for_its_publication(client, paid, student, admin):
    course, _ = paid
    enrol(student, course, admin)
    lesson = lessons_in(course)[0]
    handout = document(course.owner, title="Errata")
    draft = lesson.get_latest_revision_as_object()
    draft.body = [{"type": "resource", "value": {"document": handout.pk, "description": "Fixes."}}]
    revision = draft.save_revision(user=course.owner)

    assert download(client, student, handout).status_code == 404
    assert download(client, course.owner, handout).status_code == 200

    revision.publish(user=admin)
    assert download(client, student, handout).status_code == 200


def test_a_document_linked_from_rich_text_follows_its_lesson(client, paid, student, other_student, admin):
    course, _ = paid
    section = SectionPage.objects.child_of(course).get()
    notes = document(course.owner, title="Notes")
    lesson = LessonPageFactory(
        parent=section,
        owner=course.owner,
        body=[{"type": "text", "value": f'<p><a linktype="document" id="{notes.pk}">Notes</a></p>'}],
    )
    lesson.save_revision(user=admin).publish(user=admin)
    enrol(student, course, admin)

    assert download(client, other_student, notes).status_code == 403
    assert download(client, student, notes).status_code == 200


def test_a_file_no_lesson_uses_is_for_its_uploader_and_admins_only(client, instructor, admin, student):
    handout = document(instructor, title="Unused")

    assert download(client, instructor, handout).status_code == 200
    assert download(client, admin, handout).status_code == 200
    for stranger in (InstructorFactory(), student, None):
        client.logout()
        assert download(client, stranger, handout).status_code == 404


def test_a_file_an_admin_put_in_an_instructors_library_is_theirs_to_download(client, instructor, admin):
    handout = document(admin, title="From the team")
    handout.collection = instructor.library.collection
    handout.save()

    assert download(client, instructor, handout).status_code == 200
    assert download(client, InstructorFactory(), handout).status_code == 404


@pytest.mark.parametrize("lessons", [1, 4])
def test_checking_a_file_used_by_many_lessons_takes_the_same_queries(
    lessons, student, admin, django_assert_num_queries
):
    course, handout = course_file(
        CourseStatus.PUBLISHED, admin=admin, price=PAID, lessons_per_section=lessons
    )
    for lesson in lessons_in(course)[1:]:
        draft = lesson.get_latest_revision_as_object()
        draft.body = [{"type": "resource", "value": {"document": handout.pk, "description": ""}}]
        draft.save_revision(user=admin).publish(user=admin)

    # The lessons, their course, the enrolment, and whether the student may choose it in the CMS (its
    # collection, the student's permissions there).
    with django_assert_num_queries(5):
        assert selectors.document_access(handout, student) is selectors.FileAccess.REFUSED
