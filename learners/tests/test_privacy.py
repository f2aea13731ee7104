"""What others see of a learner or an instructor without a name: the neutral label on reviews, certificates
(page, PDF, verification API) and course summaries, never anything taken from their email address; and
how a certificate issued without a name gets one."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lms_site import services as people_services
from lms_site.tests.factories import InstructorFactory, StudentFactory
from lms_site.tests.privacy import LABEL, assert_no_email_of, nameless

from .. import services
from ..models import Certificate
from .factories import lessons_of, published_course, reviewed
from .test_cms_learning import roster, roster_url

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("learners:dashboard")
NAME_FORM = reverse("learners:certificate_name")
NAME_PROMPT = "Your certificate needs your name"


@pytest.fixture
def alice():
    return nameless()


@pytest.fixture
def course(admin):
    """A course taught by an instructor without a name either."""
    owner = nameless(InstructorFactory, email="bob.jones@example.com")
    return published_course(admin=admin, owner=owner, title="Knots")


@pytest.fixture
def review(course, alice):
    services.enrollment_create(student=alice, course=course)
    return reviewed(student=alice, course=course, rating=4, comment="Tight and tidy.")


def complete(student, course, capture) -> Certificate:
    services.enrollment_create(student=student, course=course)
    with capture(execute=True):  # the PDF is rendered once the completion commits
        services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    return Certificate.objects.get(enrollment__student=student, enrollment__course=course)


@pytest.fixture
def certificate(alice, course, django_capture_on_commit_callbacks):
    return complete(alice, course, django_capture_on_commit_callbacks)


def pdf_text(client, certificate) -> str:
    response = client.get(reverse("learners:certificate_pdf", args=[certificate.code]))
    return " ".join(
        PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text().split()
    )


def verify_page(client, certificate):
    return client.get(reverse("learners:certificate_verify", args=[certificate.code]))


# Reviews


def test_anonymous_visitor_sees_a_review_by_a_learner_without_a_name_under_the_label(client, review, alice):
    html = client.get(review.course.url).text

    assert "Tight and tidy." in html
    assert f'<p class="review__by">{LABEL} ·' in html
    assert_no_email_of(alice, html)


def test_review_api_names_a_learner_without_a_name_neutrally(api_client, review, alice):
    response = api_client.get(reverse("api:course-reviews", args=[review.course_id]))

    [row] = response.json()["data"]["results"]
    assert row["author"] == {"id": str(alice.pk), "name": LABEL}
    assert_no_email_of(alice, response.text)


# Certificates issued without a name


def test_certificate_page_shows_the_label_for_a_holder_and_instructor_without_names(
    client, certificate, alice
):
    html = verify_page(client, certificate).text

    assert f"<dt>Awarded to</dt><dd>{LABEL}</dd>" in html
    assert f"<dt>Instructor</dt><dd>{LABEL}</dd>" in html
    assert_no_email_of(alice, html)
    assert_no_email_of(certificate.enrollment.course.owner, html)
    assert NAME_PROMPT not in html  # the prompt is for the holder alone


def test_certificate_pdf_shows_the_label_for_a_holder_and_instructor_without_names(
    client, certificate, alice
):
    text = pdf_text(client, certificate)

    assert f"This certifies that {LABEL} has completed the course" in text
    assert f"taught by {LABEL}" in text
    assert_no_email_of(alice, text)
    assert_no_email_of(certificate.enrollment.course.owner, text)


def test_certificate_verification_api_names_holder_and_instructor_without_names_neutrally(
    api_client, certificate, alice
):
    response = api_client.get(reverse("api:certificate-detail", args=[certificate.code]))

    data = response.json()["data"]
    assert (data["holder_name"], data["instructor_name"]) == (LABEL, LABEL)
    assert_no_email_of(alice, response.text)
    assert_no_email_of(certificate.enrollment.course.owner, response.text)


def test_enrolment_api_names_an_instructor_without_a_name_neutrally(client_for, certificate, alice):
    response = client_for(alice).get(reverse("api:enrollment-list"))

    [row] = response.json()["data"]["results"]
    assert row["course"]["instructor"]["name"] == LABEL
    assert_no_email_of(certificate.enrollment.course.owner, response.text)


# A certificate is issued in the learner's name, and keeps it


def test_certificate_is_issued_in_the_learners_name_and_keeps_it(
    client, admin, django_capture_on_commit_callbacks
):
    student = StudentFactory(first_name="Grace", last_name="Hopper")
    certificate = complete(student, published_course(admin=admin), django_capture_on_commit_callbacks)
    assert certificate.holder_name == "Grace Hopper"

    with django_capture_on_commit_callbacks(execute=True):
        people_services.user_update_profile(user=student, first_name="Amazing", last_name="Grace")

    certificate.refresh_from_db()
    assert certificate.holder_name == "Grace Hopper"
    assert "Awarded to</dt><dd>Grace Hopper</dd>" in verify_page(client, certificate).text
    assert "Grace Hopper" in pdf_text(client, certificate)


# Asked for the name that is missing


def test_holder_without_a_name_is_asked_for_it_on_the_certificate_page_and_in_my_learning(
    client, certificate, alice
):
    client.force_login(alice)

    for html in (verify_page(client, certificate).text, client.get(DASHBOARD).text):
        assert NAME_PROMPT in html
        assert f'action="{NAME_FORM}"' in html


def test_learner_with_named_certificates_is_not_asked(
    client, admin, student, django_capture_on_commit_callbacks
):
    certificate = complete(student, published_course(admin=admin), django_capture_on_commit_callbacks)
    client.force_login(student)

    assert NAME_PROMPT not in verify_page(client, certificate).text
    assert NAME_PROMPT not in client.get(DASHBOARD).text


def test_name_given_at_the_prompt_goes_on_the_profile_and_the_certificate_pdf(
    client, certificate, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page = reverse("learners:certificate_verify", args=[certificate.code])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NAME_FORM, {"first_name": "Alice", "last_name": "Smith", "next": page}, follow=True
        )

    assert response.redirect_chain == [(page, 302)]
    assert "Your certificates carry your name now" in response.text
    assert "Awarded to</dt><dd>Alice Smith</dd>" in response.text
    assert NAME_PROMPT not in response.text
    alice.refresh_from_db()
    certificate.refresh_from_db()
    assert (alice.public_name, certificate.holder_name) == ("Alice Smith", "Alice Smith")
    assert "This certifies that Alice Smith has completed" in pdf_text(client, certificate)


def test_name_given_on_the_profile_goes_on_every_certificate_issued_without_one(
    client, admin, alice, certificate, django_capture_on_commit_callbacks
):
    second = complete(alice, published_course(admin=admin), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        people_services.user_update_profile(user=alice, bio="Knots and sails.", first_name="Alice")

    for issued in (certificate, second):
        issued.refresh_from_db()
        assert issued.holder_name == "Alice"
        assert "This certifies that Alice has completed" in pdf_text(client, issued)


def test_prompt_refuses_a_blank_name_and_changes_nothing(client, certificate, alice):
    client.force_login(alice)

    response = client.post(NAME_FORM, {"first_name": " ", "last_name": "Smith"}, follow=True)

    assert response.redirect_chain == [(DASHBOARD, 302)]
    assert "This field is required." in response.text
    certificate.refresh_from_db()
    alice.refresh_from_db()
    assert (certificate.holder_name, alice.first_name, alice.last_name) == ("", "", "")


def test_prompt_goes_back_only_to_this_site(client, certificate, alice):
    client.force_login(alice)

    response = client.post(NAME_FORM, {"first_name": "Alice", "next": "https://evil.example/"})

    assert response["Location"] == DASHBOARD


def test_prompt_is_for_signed_in_learners(client):
    response = client.post(NAME_FORM, {"first_name": "Alice"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# The roster is where the course's instructor and admins see emails


@pytest.mark.parametrize("reader", ["instructor", "admin"])
def test_roster_shows_emails_to_the_courses_instructor_and_admins(
    client, admin, course, alice, review, reader
):
    client.force_login(course.owner if reader == "instructor" else admin)

    [row] = roster(client.get(roster_url(course)))

    assert (row["student_name"], row["student_email"]) == ("", alice.email)
