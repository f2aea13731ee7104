"""Reads about people: what each user may see, and the figures the admin dashboard shows."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import InstructorRequest, Role, User


def users_by_role() -> dict[str, int]:
    """Accounts per role, in total and inactive, keyed by role value, `total` and `inactive`."""
    return User.objects.aggregate(
        total=Count("pk"),
        inactive=Count("pk", filter=Q(is_active=False)),
        **{role: Count("pk", filter=Q(role=role)) for role in Role.values},
    )


def signups_per_day(*, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    """Sign-ups for each of the last `days` days up to `today`, oldest first, quiet days as 0."""
    today = today or timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    # A range on the raw column keeps the date_joined index usable; the day is taken in local time.
    tz = timezone.get_current_timezone()
    counts = dict(
        User.objects.filter(
            date_joined__gte=datetime.combine(first_day, time.min, tzinfo=tz),
            date_joined__lt=datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz),
        )
        .annotate(day=TruncDate("date_joined", tzinfo=tz))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
        .order_by()
    )
    return [(day, counts.get(day, 0)) for day in (first_day + timedelta(days=n) for n in range(days))]


def instructor_requests_visible_to(user: User):
    """Admins see every request; anyone else only their own (nobody signed in: none)."""
    requests = InstructorRequest.objects.select_related("applicant", "reviewer")
    if not user.is_authenticated:
        return requests.none()
    if user.role == Role.ADMIN:
        return requests
    return requests.filter(applicant=user)


def users_for_admin():
    return User.objects.all()
