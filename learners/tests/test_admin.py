"""Learning in the unfold admin: every action is a learners service, and only role-admins act."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import CoursePage, CourseStats
from catalog.tests.factories import build_course
from lms_site.models import User
from lms_site.tests.admin_client import messages_of
from lms_site.tests.factories import StudentFactory, activate_authenticator_app

from .. import services
from ..models import Certificate, Enrollment, Review
from .factories import lessons_of, published_course, quiz_answers, reviewed

pytestmark = pytest.mark.django_db

ENROLMENTS_URL = reverse("admin:learners_enrollment_changelist")
GRANT_URL = reverse("admin:learners_enrollment_grant")
REVIEWS_URL = reverse("admin:learners_review_changelist")
CERTIFICATES_URL = reverse("admin:learners_certificate_changelist")
PROGRESS_URL = reverse("admin:learners_lessonprogress_changelist")
ATTEMPTS_URL = reverse("admin:learners_quizattempt_changelist")
CONFIRMED = {"_form_submitted": "True"}


@pytest.fixture
def course(admin):
    return published_course(admin=admin, title="Astronomy")


@pytest.fixture
def enrollment(course, student):
    return services.enrollment_create(student=student, course=course)


def completed(course, student) -> Enrollment:
    """Enrolled and through every lesson, so a certificate is issued (its PDF not yet rendered)."""
    services.enrollment_create(student=student, course=course)
    for lesson in lessons_of(course):
        services.lesson_complete(student=student, lesson=lesson)
    return Enrollment.objects.get(student=student, course=course)


def stats(course) -> CourseStats:
    return CourseStats.objects.get(pk=course.pk)


def listed(response):
    return list(response.context["cl"].result_list)


def run_action(client, url, action, rows, **data):
    return client.post(url, {"action": action, "_selected_action": [row.pk for row in rows], **data})


def grant(client, emails, course):
    return client.post(GRANT_URL, {"students": emails, "course": course.pk, "_form_submitted": "True"})


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def staff_student(client, student):
    """Staff who may look at enrolments but is no admin: sees the list, may not act."""
    User.objects.filter(pk=student.pk).update(is_staff=True)
    activate_authenticator_app(student)  # staff pass the two-factor requirement; the role check is tested
    student.user_permissions.add(*Permission.objects.filter(codename__in=["view_enrollment", "view_review"]))
    client.force_login(student)
    return client


# Enrolments: the list


def test_enrolment_list_shows_progress_source_and_certificate(admin_client, admin, course, student):
    certificate = completed(course, student).certificate

    html = admin_client.get(ENROLMENTS_URL).text

    assert "Astronomy" in html and student.email in html
    assert 'style="width: 100%"' in html
    assert "Enrolled themselves" in html
    assert reverse("admin:learners_certificate_change", args=[certificate.pk]) in html


@pytest.mark.parametrize(
    ("params", "wanted"),
    [({"completed": "yes"}, "done"), ({"completed": "no"}, "started"), ({"source__exact": "admin"}, "done")],
    ids=["completed", "not-completed", "source"],
)
def test_enrolment_list_filters(admin_client, admin, course, student, other_student, params, wanted):
    rows = {
        "done": completed(course, student),
        "started": services.enrollment_create(student=other_student, course=published_course(admin=admin)),
    }
    Enrollment.objects.filter(pk=rows["done"].pk).update(source=Enrollment.Source.ADMIN)

    assert listed(admin_client.get(ENROLMENTS_URL, params)) == [rows[wanted]]


def test_enrolment_list_filters_by_course_offering_only_courses_with_enrolments(
    admin_client, admin, enrollment, course, other_student
):
    other = published_course(admin=admin, title="Botany")
    services.enrollment_create(student=other_student, course=other)
    published_course(admin=admin, title="Nobody studies this")

    response = admin_client.get(ENROLMENTS_URL, {"course__id__exact": course.pk})

    assert listed(response) == [enrollment]
    assert "Botany" in response.text and "Nobody studies this" not in response.text


@pytest.mark.parametrize("query", ["astro", "STUDENT-ONE@"])
def test_enrolment_list_searches_student_email_and_course_title(admin_client, admin, course, query):
    wanted = services.enrollment_create(
        student=StudentFactory(email="student-one@example.com"), course=course
    )
    services.enrollment_create(student=StudentFactory(), course=published_course(admin=admin, title="Botany"))

    assert listed(admin_client.get(ENROLMENTS_URL, {"q": query})) == [wanted]


def test_enrolment_list_runs_as_many_queries_for_ten_rows_as_for_one(admin_client, admin, course, enrollment):
    for_one = queries_for(admin_client, ENROLMENTS_URL)
    completed(course, StudentFactory())
    for _ in range(4):
        services.enrollment_create(student=StudentFactory(), course=course)
    other = published_course(admin=admin)
    for _ in range(4):
        services.enrollment_create(student=StudentFactory(), course=other, granted_by=admin)

    assert Enrollment.objects.count() == 10
    assert queries_for(admin_client, ENROLMENTS_URL) == for_one


# Enrolments: granting


def test_grant_dialog_asks_for_students_and_a_published_course(admin_client, course, admin):
    build_course(title="Still a draft")

    response = admin_client.get(GRANT_URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields["course"].queryset) == [course]


def test_grant_enrols_every_student_through_the_service(admin_client, admin, course):
    CoursePage.objects.filter(pk=course.pk).update(price=Decimal("30.00"))
    first, second = StudentFactory(), StudentFactory()

    response = grant(admin_client, f"{first.email}, {second.email.upper()}\n", course)

    assert response.headers["HX-Redirect"] == ENROLMENTS_URL
    assert set(Enrollment.objects.values_list("student", "source", "granted_by")) == {
        (first.pk, Enrollment.Source.ADMIN, admin.pk),
        (second.pk, Enrollment.Source.ADMIN, admin.pk),
    }
    assert stats(course).enrollment_count == 2
    assert messages_of(response) == [("success", "2 students enrolled in “Astronomy”.")]


def test_grant_refusal_is_a_message_and_enrols_nobody(admin_client, enrollment, student, course):
    newcomer = StudentFactory()

    response = grant(admin_client, f"{newcomer.email}\n{student.email}", course)

    assert response.headers["HX-Redirect"] == ENROLMENTS_URL
    assert messages_of(response) == [
        ("error", f"Nothing was changed. {student.email}: You are already enrolled in this course.")
    ]
    assert list(Enrollment.objects.all()) == [enrollment]
    assert stats(course).enrollment_count == 1


def test_grant_with_an_unknown_address_asks_again_in_the_dialog(admin_client, course, student):
    response = grant(admin_client, f"{student.email} nobody@example.com", course)

    assert response.status_code == 200
    assert response.context["form"].errors["students"] == ["No account with: nobody@example.com."]
    assert not Enrollment.objects.exists()


def test_grant_with_no_address_asks_again_in_the_dialog(admin_client, course):
    response = grant(admin_client, " , ;", course)

    assert response.context["form"].errors["students"] == ["Give at least one email address."]


# Enrolments: revoking


def test_revoke_action_unenrols_through_the_service(admin_client, course, enrollment):
    response = run_action(admin_client, ENROLMENTS_URL, "revoke", [enrollment], **CONFIRMED)

    assert not Enrollment.objects.exists()
    assert stats(course).enrollment_count == 0
    assert messages_of(response) == [("success", "1 enrolment revoked.")]


def test_revoke_refusal_is_a_message_and_keeps_every_enrolment(
    admin_client, course, enrollment, other_student
):
    certified = completed(course, other_student)

    response = run_action(admin_client, ENROLMENTS_URL, "revoke", [enrollment, certified], **CONFIRMED)

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert text.endswith("This enrolment earned a certificate and is kept.")
    assert Enrollment.objects.count() == 2
    assert stats(course).enrollment_count == 2


def test_revoke_from_the_enrolment_page_goes_back_to_the_list(admin_client, course, enrollment):
    url = reverse("admin:learners_enrollment_revoke_detail", args=[enrollment.pk])

    response = admin_client.post(url, {"_form_submitted": "True"})

    assert response.headers["HX-Redirect"] == ENROLMENTS_URL
    assert not Enrollment.objects.exists()


def test_enrolment_page_is_read_only(admin_client, enrollment):
    response = admin_client.get(reverse("admin:learners_enrollment_change", args=[enrollment.pk]))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert reverse("admin:learners_enrollment_revoke_detail", args=[enrollment.pk]) in response.text


# Only role-admins act


def test_staff_who_is_not_an_admin_sees_enrolments_but_no_actions(staff_student, enrollment):
    response = staff_student.get(ENROLMENTS_URL)

    assert listed(response) == [enrollment]
    assert GRANT_URL not in response.text
    assert response.context["action_form"] is None  # no action is offered at all


def test_staff_who_is_not_an_admin_cannot_grant(staff_student, course):
    response = grant(staff_student, StudentFactory().email, course)

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_staff_who_is_not_an_admin_cannot_revoke(staff_student, course, enrollment):
    run_action(staff_student, ENROLMENTS_URL, "revoke", [enrollment], **CONFIRMED)
    url = reverse("admin:learners_enrollment_revoke_detail", args=[enrollment.pk])

    assert staff_student.post(url, {"_form_submitted": "True"}).status_code == 403
    assert list(Enrollment.objects.all()) == [enrollment]


def test_staff_who_is_not_an_admin_cannot_delete_reviews(staff_student, course, enrollment, student):
    review = reviewed(student=student, course=course, rating=4)

    run_action(staff_student, REVIEWS_URL, "delete_reviews", [review], **CONFIRMED)

    assert list(Review.objects.all()) == [review]


# Reviews


def test_deleting_reviews_keeps_the_average_right(admin_client, admin, course):
    reviews = []
    for rating in (5, 4, 1, 2):
        student = StudentFactory()
        services.enrollment_create(student=student, course=course)
        reviews.append(reviewed(student=student, course=course, rating=rating))

    response = run_action(admin_client, REVIEWS_URL, "delete_reviews", reviews[2:], **CONFIRMED)

    course_stats = stats(course)
    assert (course_stats.review_count, course_stats.rating_total) == (2, 9)
    assert course_stats.average_rating == Decimal("4.50")
    assert messages_of(response) == [("success", "2 reviews deleted.")]


def test_deleting_a_review_from_its_page_goes_back_to_the_list(admin_client, course, enrollment, student):
    review = reviewed(student=student, course=course, rating=3)

    response = admin_client.post(
        reverse("admin:learners_review_delete_detail", args=[review.pk]), {"_form_submitted": "True"}
    )

    assert response.headers["HX-Redirect"] == REVIEWS_URL
    assert not Review.objects.exists()
    assert (stats(course).review_count, stats(course).average_rating) == (0, Decimal("0"))


def test_review_list_shows_the_rating_and_runs_constant_queries(admin_client, course, enrollment, student):
    reviewed(student=student, course=course, rating=4, comment="Clear and kind.")
    for_one = queries_for(admin_client, REVIEWS_URL)
    for rating in (1, 2, 3, 4, 5, 1, 2, 3, 4):
        other = StudentFactory()
        services.enrollment_create(student=other, course=course)
        reviewed(student=other, course=course, rating=rating)

    html = admin_client.get(REVIEWS_URL, {"rating": "4"}).text
    assert "★★★★☆" in html and "Clear and kind." in html
    assert queries_for(admin_client, REVIEWS_URL) == for_one


# Certificates


def test_rerender_action_writes_the_pdf(admin_client, course, student, django_capture_on_commit_callbacks):
    certificate = completed(course, student).certificate
    assert not certificate.pdf  # its rendering waits for a commit the test never makes

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, CERTIFICATES_URL, "rerender", [certificate])

    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert messages_of(response) == [("success", "The PDF of 1 certificate is being rendered again.")]


def test_rerender_from_the_certificate_page(
    admin_client, course, student, django_capture_on_commit_callbacks
):
    certificate = completed(course, student).certificate
    url = reverse("admin:learners_certificate_rerender_detail", args=[certificate.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"_form_submitted": "True"})

    assert response.headers["HX-Redirect"] == reverse(
        "admin:learners_certificate_change", args=[certificate.pk]
    )
    certificate.refresh_from_db()
    assert certificate.pdf


def test_certificate_page_links_to_the_pdf_and_the_verification_page(admin_client, course, student):
    certificate = completed(course, student).certificate
    services.certificate_render(certificate_id=certificate.pk)

    response = admin_client.get(reverse("admin:learners_certificate_change", args=[certificate.pk]))

    assert not response.context["has_change_permission"]
    assert reverse("learners:certificate_pdf", args=[certificate.code]) in response.text
    assert reverse("learners:certificate_verify", args=[certificate.code]) in response.text


def test_certificate_list_runs_as_many_queries_for_ten_rows_as_for_one(admin_client, admin, course, student):
    completed(course, student)
    for_one = queries_for(admin_client, CERTIFICATES_URL)
    for _ in range(9):
        completed(course, StudentFactory())

    assert Certificate.objects.count() == 10
    assert queries_for(admin_client, CERTIFICATES_URL) == for_one


def test_staff_who_is_not_an_admin_cannot_rerender(client, course, student):
    certificate = completed(course, student).certificate
    User.objects.filter(pk=student.pk).update(is_staff=True)
    activate_authenticator_app(student)  # staff pass the two-factor requirement; the role check is tested
    student.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.force_login(student)

    response = client.post(
        reverse("admin:learners_certificate_rerender_detail", args=[certificate.pk]),
        {"_form_submitted": "True"},
    )

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert not certificate.pdf


# Progress and quiz attempts: read only


@pytest.fixture
def quiz_course(admin):
    return published_course(admin=admin, sections=1, lessons_per_section=2, lesson_types=("text", "quiz"))


def study(course, student):
    services.enrollment_create(student=student, course=course)
    text, quiz = lessons_of(course)
    services.lesson_complete(student=student, lesson=text)
    services.quiz_attempt_submit(student=student, lesson=quiz, answers=quiz_answers(quiz, right=False))
    services.quiz_attempt_submit(student=student, lesson=quiz, answers=quiz_answers(quiz))


@pytest.mark.parametrize("url", [PROGRESS_URL, ATTEMPTS_URL])
def test_progress_and_attempt_lists_run_as_many_queries_for_ten_rows_as_for_one(
    admin_client, quiz_course, student, url
):
    study(quiz_course, student)
    for_one = queries_for(admin_client, url)  # two rows of each: the text and quiz lesson; two attempts
    for _ in range(4):
        study(quiz_course, StudentFactory())

    assert len(listed(admin_client.get(url))) == 10
    assert queries_for(admin_client, url) == for_one


def test_attempt_list_filters_by_passed(admin_client, quiz_course, student):
    study(quiz_course, student)

    response = admin_client.get(ATTEMPTS_URL, {"passed__exact": "0"})

    [failed] = listed(response)
    assert (failed.passed, failed.score) == (False, Decimal("0.00"))


@pytest.mark.parametrize("url", [PROGRESS_URL, ATTEMPTS_URL, REVIEWS_URL, CERTIFICATES_URL])
def test_records_cannot_be_added_here(admin_client, url):
    response = admin_client.get(url)

    assert not response.context["has_add_permission"]


def test_every_record_opens_read_only(admin_client, admin, quiz_course, student):
    study(quiz_course, student)
    reviewed(student=student, course=quiz_course, rating=5)
    enrollment = Enrollment.objects.get()
    records = [enrollment, enrollment.certificate, Review.objects.get()]
    records += [*enrollment.lesson_progress.all(), *enrollment.quiz_attempts.all()]

    for record in records:
        opts = record._meta
        response = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        )
        assert (response.status_code, response.context["has_change_permission"]) == (200, False)


def test_hiding_reviews_keeps_them_and_takes_them_out_of_the_average(
    admin_client, course, enrollment, student
):
    review = reviewed(student=student, course=course, rating=2)

    response = run_action(admin_client, REVIEWS_URL, "hide_reviews", [review])
    assert messages_of(response) == [("success", "1 review hidden.")]
    assert Review.objects.get().is_hidden
    assert stats(course).review_count == 0
    assert listed(admin_client.get(REVIEWS_URL, {"hidden": "yes"})) == [review]

    response = run_action(admin_client, REVIEWS_URL, "show_reviews", [review])
    assert messages_of(response) == [("success", "1 review shown again.")]
    assert (stats(course).review_count, stats(course).average_rating) == (1, Decimal("2.00"))


def test_staff_who_is_not_an_admin_cannot_hide_reviews(staff_student, course, enrollment, student):
    review = reviewed(student=student, course=course, rating=4)

    run_action(staff_student, REVIEWS_URL, "hide_reviews", [review])

    assert not Review.objects.get().is_hidden


def test_revoking_asks_first_naming_how_many_people_it_touches(
    admin_client, course, enrollment, other_student
):
    other = services.enrollment_create(student=other_student, course=course)

    response = run_action(admin_client, ENROLMENTS_URL, "revoke", [enrollment, other])

    assert response.status_code == 200
    assert "2 enrolments of 2 people in 1 course will be revoked." in response.text
    assert str(other_student) in response.text
    assert Enrollment.objects.count() == 2


def test_deleting_reviews_asks_first_and_changes_nothing_until_confirmed(
    admin_client, course, enrollment, student
):
    review = reviewed(student=student, course=course, rating=2)

    response = run_action(admin_client, REVIEWS_URL, "delete_reviews", [review])

    assert "1 review by 1 person will be deleted." in response.text
    assert list(Review.objects.all()) == [review]


def test_unpublishing_asks_first_saying_how_many_students_are_enrolled(admin_client, course, enrollment):
    services.enrollment_create(student=StudentFactory(), course=course)

    response = admin_client.post(
        reverse("admin:catalog_courselifecycle_changelist"),
        {"action": "unpublish", "_selected_action": [course.pk]},
    )

    assert "1 course with 2 students enrolled will leave the catalog." in response.text
    assert CoursePage.objects.get(pk=course.pk).live
