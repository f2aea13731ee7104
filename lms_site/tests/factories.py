import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from lms_site import services
from lms_site.models import InstructorRequest, Role, User

PASSWORD = "Str0ngPassw0rd"
SIGNUP_NAME = {"first_name": "Nova", "last_name": "Learner"}  # what sign-up asks besides email and password


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user with the given role, its groups in sync as the service leaves them."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.STUDENT
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def sync_role(self, create, extracted, **kwargs):
        if create:
            services.user_sync_role(user=self)


class StudentFactory(UserFactory):
    role = Role.STUDENT


class InstructorFactory(UserFactory):
    role = Role.INSTRUCTOR


class AdminFactory(UserFactory):
    """An admin as the site requires them: with an authenticator app (`authenticator_app=False`: without)."""

    role = Role.ADMIN

    @factory.post_generation
    def authenticator_app(self, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_authenticator_app(self)


def activate_authenticator_app(user: User) -> None:
    """An authenticator app and recovery codes, as allauth's set-up leaves them."""
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def totp_code_of(secret: str) -> str:
    """The code an authenticator app holding `secret` shows now (RFC 6238), as the app computes it."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def totp_code(user: User) -> str:
    """The code `user`'s authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code_of(decrypt(authenticator.data["secret"]))


def recovery_codes(user: User) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


class InstructorRequestFactory(factory.django.DjangoModelFactory):
    """A pending request by a fresh student; `rejected_by=<admin>` makes it a decided one."""

    class Meta:
        model = InstructorRequest
        skip_postgeneration_save = True

    applicant = factory.SubFactory(StudentFactory)
    motivation = factory.Faker("paragraph")
    links = factory.List([factory.Faker("url")])

    @factory.post_generation
    def rejected_by(self, create, reviewer, **kwargs):
        if create and reviewer is not None:
            services.instructor_request_reject(instructor_request=self, reviewer=reviewer, reason="Not yet.")
            self.refresh_from_db()
