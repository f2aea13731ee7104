import factory
from allauth.account.models import EmailAddress

from lms_site import services
from lms_site.models import Role, User

PASSWORD = "Str0ngPassw0rd"


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
