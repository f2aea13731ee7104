"""Reads about people: what each user may see, and the figures the admin dashboard shows."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
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


def per_day(rows, field: str, *, days: int, today: date | None = None) -> list[tuple[date, int]]:
    """Rows per local day of `field` over the last `days` days up to `today`, oldest first, quiet days as 0.

    One query, whatever the number of rows.
    """
    today = today or timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    # A range on the raw column keeps its index usable; the day is taken in local time.
    tz = timezone.get_current_timezone()
    counts = dict(
        rows.filter(
            **{
                f"{field}__gte": datetime.combine(first_day, time.min, tzinfo=tz),
                f"{field}__lt": datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz),
            }
        )
        .annotate(day=TruncDate(field, tzinfo=tz))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
        .order_by()
    )
    return [(day, counts.get(day, 0)) for day in (first_day + timedelta(days=n) for n in range(days))]


def signups_per_day(*, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    return per_day(User.objects.all(), "date_joined", days=days, today=today)


def median_duration(rows, *, start: str, end: str) -> timedelta | None:
    """The median of `end - start` over the rows (None without rows): a count, then the middle row or two.

    Two queries on every database; no row is loaded but the middle ones.
    """
    durations = (
        rows.filter(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{end}__gte": F(start)})
        .annotate(duration=ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
        .order_by("duration")
        .values_list("duration", flat=True)
    )
    count = durations.count()
    if not count:
        return None
    middle = list(durations[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def request_decisions() -> dict:
    """Instructor requests: pending, approved, rejected, the approval rate and the median time to decide."""
    counts = InstructorRequest.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in InstructorRequest.Status.values}
    )
    decided = counts["approved"] + counts["rejected"]
    return {
        **counts,
        "approval_rate": counts["approved"] / decided if decided else None,
        "median_time_to_decision": median_duration(
            InstructorRequest.objects.all(), start="created_at", end="reviewed_at"
        ),
    }


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
