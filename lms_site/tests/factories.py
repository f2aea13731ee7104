import factory
from allauth.account.models import EmailAddress

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
    role = Role.ADMIN


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
