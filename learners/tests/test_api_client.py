"""A Python client generated from /api/schema/ with openapi-python-client, used as an app would use it.

The client is generated into a temporary folder (never into the repository), every module of it is
imported, and a student and an instructor go through their journeys with it against the live server:
signing in with the client's own authentication operations, every answer parsed into its models.
"""

import importlib
import pkgutil
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client as DjangoClient

from catalog.models import CoursePage, CourseStatus
from catalog.tests.factories import CategoryFactory
from lms_site.tests.factories import PASSWORD

from .factories import lessons_of, published_course

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_rows_restored"),
]

PACKAGE = "lms_api_client"
EMAILED_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The generated package, imported; its generator's output is kept for the checks."""
    folder = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        schema = DjangoClient().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    (folder / "schema.json").write_bytes(schema.content)
    # No post hooks: formatting the generated code is the generator's only use of a network-free tool
    # it would look for on PATH (ruff); the code is the same without it.
    (folder / "config.yaml").write_text("post_hooks: []\n")
    run = subprocess.run(  # noqa: S603 - our own interpreter, arguments of our own
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--config",
            str(folder / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        modules = [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}.")
        ]
        yield {"output": run.stdout + run.stderr, "schema": schema.json(), "modules": modules}
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def client_module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_the_generator_keeps_every_model_and_operation(generated):
    """It warns about each part of the schema it cannot turn into code (and then leaves that part out)."""
    assert "Warning" not in generated["output"], generated["output"]
    operations = {
        module.__name__.rsplit(".", 1)[1] for module in generated["modules"] if ".api." in module.__name__
    }
    documented = {
        operation["operationId"]
        for path_item in generated["schema"]["paths"].values()
        for operation in path_item.values()
    }
    assert documented <= operations


def ok(response, status: int = 200):
    """The parsed body of an answer with the expected status."""
    assert response.status_code == status, response.content
    return response.parsed


def sign_up_and_verify(base_url: str, email: str):
    """Sign up and verify the emailed code with the generated authentication operations: the tokens."""
    models = client_module("models")
    anonymous = client_module("client").Client(base_url=base_url)
    pending = ok(
        client_module("api.authentication.auth_signup").sync_detailed(
            client=anonymous, body=models.AllauthSignup(first_name="Ada", email=email, password=PASSWORD)
        ),
        401,
    )
    assert [flow.id for flow in pending.data.flows if flow.is_pending] == ["verify_email"]
    [message] = [message for message in mail.outbox if email in message.to]
    verified = ok(
        client_module("api.authentication.auth_email_verify").sync_detailed(
            client=anonymous,
            body=models.AllauthVerifyEmail(key=EMAILED_CODE.search(message.body).group()),
            x_session_token=pending.meta.session_token,
        )
    )
    return verified.meta


def log_in(base_url: str, user):
    login = client_module("api.authentication.auth_login")
    models = client_module("models")
    anonymous = client_module("client").Client(base_url=base_url)
    signed_in = ok(
        login.sync_detailed(client=anonymous, body=models.AllauthLogin(email=user.email, password=PASSWORD))
    )
    return signed_in.meta


def test_a_student_signs_up_and_studies_a_course_through_the_generated_client(generated, site_url, admin):
    course = published_course(admin=admin, lessons_per_section=2, lesson_types=("text", "quiz"))
    models, client = client_module("models"), client_module("client")
    op = {
        name: client_module(f"api.{tag}.{name}")
        for tag, names in {
            "catalog": ["courses_list", "courses_retrieve", "lessons_retrieve"],
            "learning": [
                "courses_enroll_create",
                "lessons_progress_create",
                "lessons_complete_create",
                "lessons_quiz_attempts_create",
                "certificates_list",
                "certificates_retrieve",
                "courses_reviews_create",
            ],
            "people": ["me_retrieve"],
        }.items()
        for name in names
    }

    tokens = sign_up_and_verify(site_url, "learner@example.com")
    student = client.AuthenticatedClient(base_url=site_url, token=tokens.access_token)

    catalog = ok(op["courses_list"].sync_detailed(client=student, ordering="-created_at")).data
    assert [card.id for card in catalog.results] == [course.pk]
    detail = ok(op["courses_retrieve"].sync_detailed(course.pk, client=student)).data
    assert (detail.is_enrolled, len(detail.outline)) == (False, 1)
    enrollment = ok(op["courses_enroll_create"].sync_detailed(course.pk, client=student), 201).data
    assert enrollment.course.id == course.pk

    text_lesson, quiz_lesson = lessons_of(course)
    progress = ok(
        op["lessons_progress_create"].sync_detailed(
            text_lesson.pk, client=student, body=models.ProgressWriteRequest(position_seconds=30)
        )
    ).data
    assert progress.position_seconds == 30
    assert (
        ok(op["lessons_complete_create"].sync_detailed(text_lesson.pk, client=student)).data.certificate
        is None
    )

    [quiz] = ok(op["lessons_retrieve"].sync_detailed(quiz_lesson.pk, client=student)).data.body
    assert isinstance(quiz, models.LearnerQuizBlock)
    answers = models.QuizAttemptWriteRequestAnswers()
    for question in quiz.value.questions:  # the factories' quizzes: "4" is right
        answers[question.id] = next(choice.id for choice in question.choices if choice.text == "4")
    result = ok(
        op["lessons_quiz_attempts_create"].sync_detailed(
            quiz_lesson.pk, client=student, body=models.QuizAttemptWriteRequest(answers=answers)
        ),
        201,
    ).data
    assert (result.passed, result.progress_percentage) == (True, "100.00")

    [certificate] = ok(op["certificates_list"].sync_detailed(client=student)).data.results
    assert certificate.course.id == course.pk
    anyone = client.Client(base_url=site_url)
    verification = ok(op["certificates_retrieve"].sync_detailed(certificate.code, client=anyone)).data
    assert verification.valid is True

    review = ok(
        op["courses_reviews_create"].sync_detailed(
            course.pk, client=student, body=models.ReviewWriteRequest(rating=5, comment="Clear and short.")
        ),
        201,
    ).data
    assert review.rating == 5
    me = ok(op["me_retrieve"].sync_detailed(client=student)).data
    assert (me.email, me.email_verified) == ("learner@example.com", True)


def test_an_instructor_builds_and_submits_a_course_through_the_generated_client(
    generated, site_url, admin, instructor
):
    published_course(admin=admin)  # the catalog's index page, where new courses go
    category = CategoryFactory()
    models, client = client_module("models"), client_module("client")
    catalog = "api.catalog."
    create_course = client_module(catalog + "courses_create")
    create_section = client_module(catalog + "courses_sections_create")
    create_lesson = client_module(catalog + "courses_sections_lessons_create")
    submit = client_module(catalog + "courses_submit_create")

    tokens = log_in(site_url, instructor)
    author = client.AuthenticatedClient(base_url=site_url, token=tokens.access_token)

    course = ok(
        create_course.sync_detailed(
            client=author,
            body=models.CourseWriteRequest(
                title="Soldering", description="From the first joint to a kit.", category=category.slug
            ),
        ),
        201,
    ).data
    assert course.status == models.CourseStatusEnum.DRAFT
    section = ok(
        create_section.sync_detailed(
            course.id, client=author, body=models.SectionWriteRequest(title="Tools")
        ),
        201,
    ).data
    video = models.VideoBlockRequest(
        type_=models.VideoBlockType.VIDEO,
        value=models.VideoValueRequest(url="https://video.example.com/iron.mp4"),
    )
    quiz = models.QuizBlockRequest(
        type_=models.QuizBlockType.QUIZ,
        value=models.QuizValueRequest(
            questions=[
                models.QuizQuestionRequest(
                    text="Which end is hot?",
                    choices=[
                        models.QuizChoiceRequest(text="The tip", correct=True),
                        models.QuizChoiceRequest(text="The handle"),
                    ],
                )
            ]
        ),
    )
    for title, lesson_type, body in [
        ("The iron", models.TypeEnum.VIDEO, [video]),
        ("Check", models.TypeEnum.QUIZ, [quiz]),
    ]:
        lesson = ok(
            create_lesson.sync_detailed(
                course.id,
                section.id,
                client=author,
                body=models.LessonWriteRequest(title=title, type_=lesson_type, body=body),
            ),
            201,
        ).data
        assert lesson.body[0].type_.value == lesson_type.value
    assert isinstance(lesson.body[0], models.QuizBlock)
    assert lesson.body[0].value.questions[0].choices[0].correct is True

    submitted = ok(submit.sync_detailed(course.id, client=author))
    assert submitted.data.status == models.CourseStatusEnum.PENDING
    assert submitted.message == "Course submitted for review."
    assert CoursePage.objects.get(pk=course.id).lifecycle.status == CourseStatus.PENDING


def test_tokens_are_refreshed_and_revoked_through_the_generated_client(generated, site_url, student):
    models, client = client_module("models"), client_module("client")
    refresh = client_module("api.authentication.auth_tokens_refresh")
    logout = client_module("api.authentication.auth_logout")
    me = client_module("api.people.me_retrieve")

    tokens = log_in(site_url, student)
    renewed = ok(
        refresh.sync_detailed(
            client=client.Client(base_url=site_url),
            body=models.AuthTokensRefreshBody(refresh_token=tokens.refresh_token),
        )
    ).data
    signed_in = client.AuthenticatedClient(base_url=site_url, token=renewed.access_token)
    assert ok(me.sync_detailed(client=signed_in)).data.email == student.email

    assert logout.sync_detailed(client=signed_in).status_code == 401  # allauth's logged-out answer
    refused = me.sync_detailed(client=signed_in)
    assert refused.status_code == 401
    assert refused.parsed.error.code == models.ErrorCode.AUTHENTICATION_FAILED


def test_passwords_are_changed_and_reset_through_the_generated_client(generated, site_url, student):
    models, client = client_module("models"), client_module("client")
    auth = "api.authentication."
    change = client_module(auth + "auth_password_change")
    request_reset = client_module(auth + "auth_password_request")
    reset = client_module(auth + "auth_password_reset")
    anonymous = client.Client(base_url=site_url)

    signed_in = client.AuthenticatedClient(base_url=site_url, token=log_in(site_url, student).access_token)
    changed = ok(
        change.sync_detailed(
            client=signed_in,
            body=models.AuthPasswordChangeBody(current_password=PASSWORD, new_password="An0ther-Passw0rd"),
        )
    )
    assert changed.data.user.email == student.email

    pending = ok(
        request_reset.sync_detailed(
            client=anonymous, body=models.AllauthRequestPassword(email=student.email)
        ),
        401,
    )
    assert "password_reset_by_code" in [flow.id for flow in pending.data.flows if flow.is_pending]
    message = next(m for m in reversed(mail.outbox) if student.email in m.to and EMAILED_CODE.search(m.body))
    answer = reset.sync_detailed(
        client=anonymous,
        body=models.AllauthResetPassword(
            key=EMAILED_CODE.search(message.body).group(), password="Th1rd-Passw0rd!"
        ),
        x_session_token=pending.meta.session_token,
    )
    assert answer.status_code == 401, answer.content  # reset; ACCOUNT_LOGIN_ON_PASSWORD_RESET is off
    assert answer.parsed.meta.is_authenticated is False
    student.refresh_from_db()
    assert student.check_password("Th1rd-Passw0rd!")
