"""The figures instructors and admins read: aggregate queries only, a fixed number of them, cached briefly.

Rates, averages and medians are None where there is nothing to go on (no enrolment, review, decision, grade),
so "none yet" is never shown as 0%. Time series run by local day, oldest first, quiet days as 0.
Figures are cached for ANALYTICS_CACHE_SECONDS: dashboards are read far more often than the numbers
move, and a minute-old figure is still right for a dashboard.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from catalog.models import CoursePage, CourseStats, CourseStatus
from catalog.selectors import course_decisions, courses_by_status
from lms_site.models import User
from lms_site.replica import replica_reads
from lms_site.selectors import median_duration, per_day, request_decisions, signups_per_day, users_by_role

from .models import Enrollment, Submission

TOP_COURSES = 5


def _cached(key: str, compute):
    def compute_on_replica():
        with replica_reads():
            return compute()

    return cache.get_or_set(f"analytics:{key}", compute_on_replica, settings.ANALYTICS_CACHE_SECONDS)


def _ratio(part, whole) -> float | None:
    return part / whole if whole else None


def _totals(stats) -> dict:
    """Enrolments, completions and reviews of the courses behind `stats` (CourseStats rows): one query."""
    sums = stats.aggregate(
        enrollments=Sum("enrollment_count", default=0),
        completions=Sum("completion_count", default=0),
        reviews=Sum("review_count", default=0),
        rating_total=Sum("rating_total", default=0),
    )
    return {
        "enrollments": sums["enrollments"],
        "completions": sums["completions"],
        "completion_rate": _ratio(sums["completions"], sums["enrollments"]),
        "reviews": sums["reviews"],
        "average_rating": _ratio(sums["rating_total"], sums["reviews"]),
    }


def _activity(enrollments, *, days: int, today: date) -> dict:
    return {
        "enrollments_per_day": per_day(enrollments, "enrolled_at", days=days, today=today),
        "completions_per_day": per_day(enrollments, "completed_at", days=days, today=today),
    }


def _grading(submissions) -> dict:
    """Work awaiting a grade, work graded, and the median time from handing in to the grade: three queries."""
    counts = submissions.aggregate(
        awaiting_grading=Count("pk", filter=Q(status=Submission.Status.SUBMITTED)),
        graded=Count("pk", filter=Q(status__in=Submission.GRADED)),
    )
    return {
        **counts,
        "median_time_to_grade": median_duration(submissions, start="submitted_at", end="graded_at"),
    }


def _course_rows(courses, *, limit: int | None = None) -> list[dict]:
    """One row per course (in the queryset's order) with its status and counters: one query."""
    rows = courses.values(
        "pk",
        "title",
        "lifecycle__status",
        "stats__enrollment_count",
        "stats__completion_count",
        "stats__review_count",
        "stats__rating_total",
    )
    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "status": row["lifecycle__status"],
            "enrollments": row["stats__enrollment_count"],
            "completions": row["stats__completion_count"],
            "completion_rate": _ratio(row["stats__completion_count"], row["stats__enrollment_count"]),
            "reviews": row["stats__review_count"],
            "average_rating": _ratio(row["stats__rating_total"], row["stats__review_count"]),
        }
        for row in rows[:limit]
    ]


def instructor_analytics(*, instructor: User | None, days: int = 30, today: date | None = None) -> dict:
    """One instructor's courses (every course when `instructor` is None, as admins may ask): eight queries."""
    today = today or timezone.localdate()

    def compute():
        courses = CoursePage.objects.all()
        if instructor is not None:
            courses = courses.filter(owner=instructor)
        return {
            "courses_by_status": courses_by_status(courses),
            **_totals(CourseStats.objects.filter(course__in=courses)),
            **_activity(Enrollment.objects.filter(course__in=courses), days=days, today=today),
            "grading": _grading(Submission.objects.filter(enrollment__course__in=courses)),
            "courses": _course_rows(courses.order_by("title", "pk")),
        }

    return _cached(f"instructor:{instructor.pk if instructor else 'all'}:{days}:{today}", compute)


def _top_courses(*order_by: str, **filters) -> list[dict]:
    """The catalog's leaders: published courses only."""
    published = CoursePage.objects.in_catalog().filter(**filters)
    return _course_rows(published.order_by(*order_by, "title", "pk"), limit=TOP_COURSES)


def admin_analytics(*, days: int = 30, today: date | None = None) -> dict:
    """The whole platform: people, courses, decisions and learning, with their time series."""
    today = today or timezone.localdate()

    def compute():
        courses = CoursePage.objects.all()
        by_status = courses_by_status(courses)
        requests = request_decisions()
        return {
            "users_by_role": users_by_role(),
            "signups_per_day": signups_per_day(days=days, today=today),
            "courses_by_status": by_status,
            "pending_approvals": {
                "courses": by_status[CourseStatus.PENDING],
                "instructor_requests": requests["pending"],
            },
            "course_decisions": course_decisions(),
            "instructor_request_decisions": requests,
            **_totals(CourseStats.objects.all()),
            **_activity(Enrollment.objects.all(), days=days, today=today),
            "grading": _grading(Submission.objects.all()),
            "top_courses_by_enrollment": _top_courses("-stats__enrollment_count"),
            "top_courses_by_rating": _top_courses(
                "-stats__average_rating", "-stats__review_count", stats__review_count__gt=0
            ),
        }

    return _cached(f"admin:{days}:{today}", compute)
