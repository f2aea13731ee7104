import pytest
from django.core import mail
from django.urls import reverse

from lms_site.models import AccountEvent, InstructorRequest, Role
from lms_site.tests.factories import InstructorRequestFactory, StudentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:instructor-request-list")


def detail(request, suffix=""):
    name = f"api:instructor-request-{suffix}" if suffix else "api:instructor-request-detail"
    return reverse(name, args=[request.pk])


def test_request_lifecycle_student_applies_admin_approves(
    client_for, student, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = client_for(student).post(
            LIST, {"motivation": "I teach Django.", "links": ["https://example.com/me"]}, format="json"
        )
    assert created.status_code == 201, created.json()
    assert created.json()["data"]["status"] == "pending"
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert mail.outbox[0].alternatives[0][1] == "text/html"

    request = InstructorRequest.objects.get(pk=created.json()["data"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        approved = client_for(admin).post(detail(request, "approve"), {}, format="json")

    assert approved.status_code == 200
    body = approved.json()["data"]
    assert body["status"] == "approved"
    assert body["reviewer"] == {"id": str(admin.pk), "name": admin.full_name}
    assert body["reviewed_at"]
    student.refresh_from_db()
    assert student.role == Role.INSTRUCTOR
    assert AccountEvent.objects.filter(user=student, actor=admin, to_value="instructor").exists()
    assert mail.outbox[-1].to == [student.email]
    assert "approved" in mail.outbox[-1].body


def test_admin_rejects_with_reason_and_applicant_is_told(
    client_for, admin, django_capture_on_commit_callbacks
):
    request = InstructorRequestFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            detail(request, "reject"), {"reason": "Add a portfolio."}, format="json"
        )

    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.status, request.decision_reason, request.reviewer) == (
        "rejected",
        "Add a portfolio.",
        admin,
    )
    assert request.applicant.role == Role.STUDENT
    assert mail.outbox[-1].to == [request.applicant.email]
    assert "Add a portfolio." in mail.outbox[-1].body


def test_reject_without_reason_is_400_and_changes_nothing(client_for, admin):
    request = InstructorRequestFactory()

    response = client_for(admin).post(detail(request, "reject"), {"reason": "  "}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "reason" in response.json()["error"]["details"]
    request.refresh_from_db()
    assert request.status == "pending"


def test_student_cannot_approve_even_their_own_request(client_for):
    request = InstructorRequestFactory()

    response = client_for(request.applicant).post(detail(request, "approve"), {}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    request.refresh_from_db()
    assert request.status == "pending"


def test_instructor_cannot_apply(client_for, instructor):
    response = client_for(instructor).post(LIST, {"motivation": "More power."}, format="json")

    assert response.status_code == 403
    assert not InstructorRequest.objects.exists()


def test_admin_cannot_apply(client_for, admin):
    assert client_for(admin).post(LIST, {"motivation": "Why not."}, format="json").status_code == 403


def test_second_pending_request_is_conflict(client_for, student):
    client = client_for(student)
    assert client.post(LIST, {"motivation": "First."}, format="json").status_code == 201

    response = client.post(LIST, {"motivation": "Second."}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert InstructorRequest.objects.filter(applicant=student).count() == 1


def test_student_may_apply_again_after_rejection(client_for, admin):
    request = InstructorRequestFactory(rejected_by=admin)

    response = client_for(request.applicant).post(
        LIST, {"motivation": "With a portfolio now."}, format="json"
    )

    assert response.status_code == 201


def test_approving_twice_is_invalid_transition(client_for, admin):
    request = InstructorRequestFactory()
    client = client_for(admin)
    assert client.post(detail(request, "approve"), {}, format="json").status_code == 200

    response = client.post(detail(request, "approve"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_rejecting_an_approved_request_is_invalid_transition(client_for, admin):
    request = InstructorRequestFactory()
    client = client_for(admin)
    client.post(detail(request, "approve"), {}, format="json")

    response = client.post(detail(request, "reject"), {"reason": "Changed my mind"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_student_sees_only_their_own_requests(client_for, student):
    InstructorRequestFactory.create_batch(2)
    mine = InstructorRequestFactory(applicant=student)

    response = client_for(student).get(LIST)

    assert [r["id"] for r in response.json()["data"]["results"]] == [str(mine.pk)]


def test_student_cannot_read_another_students_request(client_for, student):
    theirs = InstructorRequestFactory()

    response = client_for(student).get(detail(theirs))

    assert response.status_code == 404


def test_admin_lists_all_and_filters_by_status(client_for, admin):
    InstructorRequestFactory.create_batch(2)
    rejected = InstructorRequestFactory(rejected_by=admin)
    client = client_for(admin)

    assert client.get(LIST).json()["data"]["count"] == 3
    filtered = client.get(LIST, {"status": "rejected"}).json()["data"]
    assert [r["id"] for r in filtered["results"]] == [str(rejected.pk)]


def test_bad_status_filter_is_400(client_for, admin):
    response = client_for(admin).get(LIST, {"status": "maybe"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_anonymous_cannot_apply(api_client):
    response = api_client.post(LIST, {"motivation": "Hi"}, format="json")

    assert response.status_code == 401


def test_links_must_be_urls(client_for, student):
    response = client_for(student).post(LIST, {"motivation": "Hi", "links": ["not a url"]}, format="json")

    assert response.status_code == 400
    assert "links" in response.json()["error"]["details"]


@pytest.mark.parametrize("rows", [1, 15])
def test_list_query_count_does_not_grow(client_for, admin, django_assert_num_queries, rows):
    InstructorRequestFactory.create_batch(rows, reviewer=admin)
    client = client_for(admin)
    with django_assert_num_queries(5):  # session, user, admin's authenticator app, count, page
        response = client.get(LIST)
    assert response.json()["data"]["count"] == rows


def test_applicant_email_is_not_guessable_from_other_student(client_for):
    other = StudentFactory()
    InstructorRequestFactory(applicant=other)
    me = StudentFactory()

    assert client_for(me).get(LIST).json()["data"]["count"] == 0


# Withdrawing


def test_applicant_withdraws_their_pending_request_and_may_apply_again(client_for):
    request = InstructorRequestFactory()
    client = client_for(request.applicant)

    response = client.post(detail(request, "withdraw"), format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["status"] == "withdrawn"
    request.refresh_from_db()
    assert request.status == InstructorRequest.Status.WITHDRAWN
    assert client.post(LIST, {"motivation": "Ready now."}, format="json").status_code == 201


def test_withdrawing_twice_is_invalid_transition(client_for):
    request = InstructorRequestFactory()
    client = client_for(request.applicant)
    client.post(detail(request, "withdraw"), format="json")

    response = client.post(detail(request, "withdraw"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_a_decided_request_cannot_be_withdrawn(client_for, admin):
    request = InstructorRequestFactory(rejected_by=admin)

    response = client_for(request.applicant).post(detail(request, "withdraw"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    request.refresh_from_db()
    assert request.status == InstructorRequest.Status.REJECTED


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("other_student", 404, "not_found"), ("admin", 403, "permission_denied")],
    ids=["another-student-who-cannot-see-it", "an-admin"],
)
def test_nobody_but_the_applicant_withdraws_a_request(client_for, request, who, status, code):
    instructor_request = InstructorRequestFactory()

    response = client_for(request.getfixturevalue(who)).post(
        detail(instructor_request, "withdraw"), format="json"
    )

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    instructor_request.refresh_from_db()
    assert instructor_request.status == InstructorRequest.Status.PENDING


def test_anonymous_cannot_withdraw(api_client):
    request = InstructorRequestFactory()

    assert api_client.post(detail(request, "withdraw"), format="json").status_code == 401


# Listing


def test_admin_searches_requests_by_the_applicants_name(client_for, admin):
    wanted = InstructorRequestFactory(applicant=StudentFactory(first_name="Ada", last_name="Lovelace"))
    InstructorRequestFactory(applicant=StudentFactory(first_name="Alan", last_name="Turing"))

    results = client_for(admin).get(LIST, {"search": "lovelace"}).json()["data"]["results"]

    assert [row["id"] for row in results] == [str(wanted.pk)]


@pytest.mark.parametrize("ordering", ["motivation", "-status", "created_at,nope"])
def test_ordering_by_anything_not_offered_is_400(client_for, admin, ordering):
    InstructorRequestFactory()

    response = client_for(admin).get(LIST, {"ordering": ordering})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "ordering" in response.json()["error"]["details"]


def test_ordering_by_an_offered_field_orders(client_for, admin):
    older, newer = InstructorRequestFactory(), InstructorRequestFactory()

    results = client_for(admin).get(LIST, {"ordering": "created_at"}).json()["data"]["results"]

    assert [row["id"] for row in results] == [str(older.pk), str(newer.pk)]
