"""Each instructor sees only their own in /cms/ (issue 12.1): instructor B against A, on every surface.

A's pages, documents and images are all named "Alpha ..." and B's "Beta ...": B's answers must never
contain "Alpha", and always their own "Beta" where they list anything, so that an empty page passes nothing.
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.permissions import policy_registry

from lms_site.tests.factories import InstructorFactory

from ..models import CourseIndexPage, CoursePage, CourseStatus, LessonPage
from .factories import CoursePageFactory, LessonPageFactory, SectionPageFactory, course_in, document, image
from .test_cms_workflow import edit_url, is_refused, lesson_changes, messages_of, post, post_editor

pytestmark = pytest.mark.django_db


class Space:
    """An instructor's course (course, section, lesson using a document) and an image, all titled `name`."""

    def __init__(self, owner, name):
        self.owner = owner
        self.document = document(owner, title=f"{name} handout")
        self.image = image(owner, f"{name} picture")
        self.course = CoursePageFactory(owner=owner, title=f"{name} course")
        self.section = SectionPageFactory(parent=self.course, owner=owner, title=f"{name} section")
        self.lesson = LessonPageFactory(
            parent=self.section,
            owner=owner,
            title=f"{name} lesson",
            lesson_type="resource",
            body=[{"type": "resource", "value": {"document": self.document.pk, "description": ""}}],
        )

    @property
    def pages(self):
        return [self.course, self.section, self.lesson]


@pytest.fixture
def alpha(db):
    return Space(InstructorFactory(), "Alpha")


@pytest.fixture
def beta(db):
    return Space(InstructorFactory(), "Beta")


@pytest.fixture
def as_beta(client, beta, alpha):
    client.force_login(beta.owner)
    return client


@pytest.fixture
def as_admin(client, admin, alpha, beta):
    client.force_login(admin)
    return client


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def sees_beta_not_alpha(response):
    html = text(response)
    return "Beta" in html and "Alpha" not in html


def is_denied(response):
    """Wagtail's refusal (a redirect with its message), a 403 or a 404: none names what was asked for."""
    return (
        is_refused(response) or response.status_code in (403, 404)
    ) and "Alpha" not in response.content.decode()


def index_page():
    return CourseIndexPage.objects.get()


# The page tree


def test_instructor_explores_only_their_own_courses(as_beta, alpha):
    html = text(as_beta.get(reverse("wagtailadmin_explore", args=[index_page().pk])))
    assert "Beta course" in html
    assert "Alpha" not in html
    assert alpha.owner.email not in html  # nor in the listing's "Owner" filter
    assert alpha.owner.get_full_name() not in html


def test_admin_explores_every_course(as_admin):
    html = text(as_admin.get(reverse("wagtailadmin_explore", args=[index_page().pk])))
    assert "Alpha course" in html and "Beta course" in html


@pytest.mark.parametrize("page", ["course", "section", "lesson"])
@pytest.mark.parametrize("view", ["wagtailadmin_explore", "wagtailadmin_explore_results"])
def test_another_instructors_page_cannot_be_explored(view, page, as_beta, alpha):
    assert as_beta.get(reverse(view, args=[getattr(alpha, page).pk])).status_code == 404


def test_sidebar_explorer_lists_only_ones_own_courses(as_beta, alpha, beta):
    query = urlencode({"child_of": index_page().pk, "for_explorer": 1})
    listed = [item["id"] for item in as_beta.get(f"/cms/api/main/pages/?{query}").json()["items"]]
    assert listed == [beta.course.pk]


def test_sidebar_page_api_search_finds_only_ones_own_pages(as_beta, beta):
    found = as_beta.get("/cms/api/main/pages/?search=course").json()["items"]
    assert [item["id"] for item in found] == [beta.course.pk]


@pytest.mark.parametrize("page", ["course", "section", "lesson"])
def test_sidebar_explorer_does_not_open_another_instructors_page(page, as_beta, alpha):
    page_id = getattr(alpha, page).pk
    assert as_beta.get(f"/cms/api/main/pages/{page_id}/").status_code == 404
    children = as_beta.get(f"/cms/api/main/pages/?child_of={page_id}")
    assert children.status_code == 400
    assert "Alpha" not in children.content.decode()


def test_page_search_finds_only_ones_own_pages(as_beta):
    assert sees_beta_not_alpha(as_beta.get(reverse("wagtailadmin_pages:search") + "?q=course"))


def test_admin_page_search_finds_every_course(as_admin):
    html = text(as_admin.get(reverse("wagtailadmin_pages:search") + "?q=course"))
    assert "Alpha course" in html and "Beta course" in html


def test_page_chooser_browses_only_ones_own_courses(as_beta):
    response = as_beta.get(reverse("wagtailadmin_choose_page_child", args=[index_page().pk]))
    assert sees_beta_not_alpha(response)


def test_page_chooser_for_lessons_starts_among_ones_own_courses(as_beta):
    response = as_beta.get(reverse("wagtailadmin_choose_page") + "?page_type=catalog.lessonpage")
    assert sees_beta_not_alpha(response)


@pytest.mark.parametrize("page", ["course", "section"])
def test_page_chooser_does_not_open_another_instructors_page(page, as_beta, alpha):
    response = as_beta.get(reverse("wagtailadmin_choose_page_child", args=[getattr(alpha, page).pk]))
    assert response.status_code == 404


def test_page_chooser_search_finds_only_ones_own_pages(as_beta):
    for query in ("course", "lesson"):
        response = as_beta.get(reverse("wagtailadmin_choose_page_search") + f"?q={query}")
        assert sees_beta_not_alpha(response)


def test_admin_page_chooser_search_finds_every_course(as_admin):
    html = text(as_admin.get(reverse("wagtailadmin_choose_page_search") + "?q=course"))
    assert "Alpha course" in html and "Beta course" in html


def test_page_chooser_does_not_name_another_instructors_page_by_id(as_beta, alpha, beta):
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    assert as_beta.get(f"{url}?id={alpha.course.pk}").status_code == 404
    assert "Beta course" in text(as_beta.get(f"{url}?id={beta.course.pk}"))


def test_choosing_where_to_add_a_lesson_offers_only_ones_own_sections(as_beta, alpha, beta):
    url = reverse("wagtailadmin_pages:choose_parent", args=["catalog", "lessonpage"])

    response = as_beta.get(url)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:add", args=["catalog", "lessonpage", beta.section.pk])
    assert as_beta.post(url, {"parent_page": alpha.section.pk}).status_code == 404
    assert not LessonPage.objects.child_of(alpha.section).exclude(pk=alpha.lesson.pk).exists()


def test_copying_a_lesson_into_another_instructors_section_is_404(as_beta, alpha, beta):
    url = reverse("wagtailadmin_pages:copy", args=[beta.lesson.pk])
    data = {"new_title": "Copied", "new_slug": "copied", "new_parent_page": alpha.section.pk}
    assert as_beta.post(url, data).status_code == 404
    assert not LessonPage.objects.filter(title="Copied").exists()


@pytest.mark.parametrize(
    "query", ["id=all&childOf={index}", "id={alpha_course}&id={beta_course}"], ids=["all", "by id"]
)
def test_bulk_actions_do_not_name_another_instructors_pages(query, as_beta, alpha, beta):
    ids = query.format(index=index_page().pk, alpha_course=alpha.course.pk, beta_course=beta.course.pk)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?{ids}"
    assert sees_beta_not_alpha(as_beta.get(url))


@pytest.mark.parametrize(
    "view",
    [
        "edit",
        "history",
        "usage",
        "view_draft",
        "workflow_history",
        "delete",
        "copy",
        "add_subpage",
        "lock",
        "unpublish",
        "confirm_workflow_cancellation",
    ],
)
def test_another_instructors_course_is_404_by_id(view, as_beta, alpha):
    assert as_beta.get(reverse(f"wagtailadmin_pages:{view}", args=[alpha.course.pk])).status_code == 404


def test_another_instructors_course_under_review_is_not_named_by_the_review_screens(as_beta, admin):
    """Wagtail names the page in its "not awaiting moderation" message before it looks who is asking."""
    course = course_in(CourseStatus.PENDING, admin=admin)
    task_state = CoursePage.objects.get(pk=course.pk).current_workflow_task_state
    for url in (
        reverse("wagtailadmin_pages:workflow_preview", args=[course.pk, task_state.task_id]),
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[course.pk, "live", "latest"]),
    ):
        assert as_beta.get(url).status_code == 404, url


def test_page_type_listing_shows_only_ones_own_pages(as_beta):
    url = reverse("wagtailadmin_pages:type_use", args=["catalog", "lessonpage"])
    assert sees_beta_not_alpha(as_beta.get(url))


def test_page_permission_policy_hides_other_instructors_courses_but_not_the_tree_above(alpha, beta, admin):
    policy = policy_registry.get_by_type(Page)
    visible = set(policy.explorable_instances(beta.owner).values_list("pk", flat=True))

    assert {page.pk for page in beta.pages} | {index_page().pk} <= visible
    assert not visible & {page.pk for page in alpha.pages}
    assert {page.pk for page in alpha.pages} <= set(
        policy.explorable_instances(admin).values_list("pk", flat=True)
    )


# Reports and the dashboard

REPORTS = ["locked_pages", "workflow", "workflow_tasks", "site_history", "aging_pages", "page_types_usage"]


@pytest.mark.parametrize("report", REPORTS)
def test_reports_are_refused_to_instructors(report, as_beta):
    assert as_beta.get(reverse(f"wagtailadmin_reports:{report}")).status_code == 403


@pytest.mark.parametrize("report", REPORTS)
def test_admins_read_the_reports(report, as_admin):
    assert as_admin.get(reverse(f"wagtailadmin_reports:{report}")).status_code == 200


def test_admins_site_history_covers_every_instructor(as_admin, alpha):
    alpha.course.save_revision(user=alpha.owner, log_action=True)
    assert "Alpha course" in text(as_admin.get(reverse("wagtailadmin_reports:site_history")))


def test_instructors_dashboard_names_and_counts_only_their_own(as_beta, beta):
    beta.course.save_revision(user=beta.owner, log_action=True)  # a recent edit for the dashboard to show

    html = text(as_beta.get(reverse("wagtailadmin_home")))

    assert "Beta course" in html
    assert "Alpha" not in html
    assert "4 Pages" in html  # the catalog page and Beta's course, section and lesson


# Documents and images


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtaildocs:index",
        "wagtaildocs_chooser:choose",
        "wagtailimages:index",
        "wagtailimages_chooser:choose",
    ],
)
def test_instructor_lists_and_chooses_only_their_own_files(url_name, as_beta):
    assert sees_beta_not_alpha(as_beta.get(reverse(url_name)))


@pytest.mark.parametrize(
    ("url_name", "query"),
    [("wagtaildocs_chooser:choose_results", "handout"), ("wagtailimages_chooser:choose_results", "picture")],
)
def test_file_chooser_search_finds_only_ones_own_files(url_name, query, as_beta):
    assert sees_beta_not_alpha(as_beta.get(reverse(url_name) + f"?q={query}"))


@pytest.mark.parametrize("url_name", ["wagtaildocs:index", "wagtailimages:index"])
def test_admin_lists_every_instructors_files(url_name, as_admin):
    html = text(as_admin.get(reverse(url_name)))
    assert "Alpha" in html and "Beta" in html


@pytest.mark.parametrize(
    "url_name",
    ["wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage", "wagtaildocs_chooser:chosen"],
)
def test_another_instructors_document_is_refused_by_id(url_name, as_beta, alpha):
    assert is_denied(as_beta.get(reverse(url_name, args=[alpha.document.pk])))


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("wagtailimages:edit", []),
        ("wagtailimages:delete", []),
        ("wagtailimages:image_usage", []),
        ("wagtailimages:url_generator", []),
        ("wagtailimages:preview", ["original"]),
        ("wagtailimages_chooser:chosen", []),
    ],
)
def test_another_instructors_image_is_refused_by_id(url_name, args, as_beta, alpha):
    assert is_denied(as_beta.get(reverse(url_name, args=[alpha.image.pk, *args])))


@pytest.mark.parametrize(
    ("app_label", "model_name"), [("wagtaildocs", "document"), ("wagtailimages", "image")]
)
def test_bulk_actions_do_not_name_another_instructors_files(app_label, model_name, as_beta, alpha, beta):
    ids = (
        [alpha.document.pk, beta.document.pk] if model_name == "document" else [alpha.image.pk, beta.image.pk]
    )
    url = reverse("wagtail_bulk_action", args=[app_label, model_name, "delete"])
    assert sees_beta_not_alpha(as_beta.get(f"{url}?{urlencode([('id', pk) for pk in ids])}"))


def test_uploaded_documents_go_to_the_instructors_own_library(as_beta, beta):
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes", content_type="application/pdf")
    response = as_beta.post(reverse("wagtaildocs:add_multiple"), {"title": "Beta notes", "files[]": upload})
    assert response.json()["success"]
    assert Document.objects.get(title="Beta notes").collection == beta.owner.library.collection


def test_uploaded_images_go_to_the_instructors_own_library(as_beta, beta):
    upload = SimpleUploadedFile("photo.png", get_test_image_file().file.getvalue(), content_type="image/png")
    response = as_beta.post(reverse("wagtailimages:add_multiple"), {"title": "Beta photo", "files[]": upload})
    assert response.json()["success"]
    assert Image.objects.get(title="Beta photo").collection == beta.owner.library.collection


# Files named by hand in a page


def test_instructor_cannot_put_another_instructors_document_in_a_lesson(as_beta, alpha, beta):
    changes = lesson_changes("Borrowed", "text")
    changes.update(
        {
            "body-count": "1",
            "body-0-type": "resource",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
            "body-0-value-document": str(alpha.document.pk),
            "body-0-value-description": "",
            "lesson_type": "resource",
        }
    )
    response = post(
        as_beta, reverse("wagtailadmin_pages:add", args=["catalog", "lessonpage", beta.section.pk]), changes
    )

    assert response.status_code == 200
    assert "your own library" in response.content.decode()
    assert not LessonPage.objects.filter(title="Borrowed").exists()


def test_instructor_cannot_make_another_instructors_image_their_thumbnail(as_beta, alpha, beta):
    response = post_editor(as_beta, edit_url(beta.course), {"thumbnail": str(alpha.image.pk)})

    assert response.status_code == 200
    assert "your own library" in " ".join([response.content.decode(), *messages_of(response)])
    assert beta.course.get_latest_revision_as_object().thumbnail_id is None
