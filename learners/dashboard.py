"""The admin index page (unfold's DASHBOARD_CALLBACK): platform figures from learners.analytics as
cards, charts and tables, over a period chosen with ?days=. templates/admin/index.html draws them.

It lives in learners, the app every other one is below, because it shows people, courses and learning.
"""

import json

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from catalog.models import CourseStatus
from lms_site.formats import NONE_YET, percent

from . import analytics

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
PRIMARY, SECONDARY = "var(--color-primary-600)", "var(--color-primary-300)"


def dashboard_callback(request, context):
    days = _period(request)
    figures = analytics.admin_analytics(days=days)
    users_url = reverse("admin:lms_site_user_changelist")
    reviews_url = reverse("admin:catalog_courselifecycle_changelist")
    requests_url = reverse("admin:lms_site_instructorrequest_changelist")
    roles = figures["users_by_role"]
    context.update(
        {
            "days": days,
            "periods": [{"days": period, "active": period == days} for period in PERIODS],
            "people_cards": [
                _card(_("Students"), roles["student"], f"{users_url}?role__exact=student"),
                _card(_("Instructors"), roles["instructor"], f"{users_url}?role__exact=instructor"),
                _card(_("Admins"), roles["admin"], f"{users_url}?role__exact=admin"),
                _card(_("All users"), roles["total"], users_url),
                _card(_("Inactive"), roles["inactive"], f"{users_url}?is_active__exact=0"),
            ],
            "learning_cards": [
                _card(
                    _("Enrolments"), figures["enrollments"], reverse("admin:learners_enrollment_changelist")
                ),
                _card(_("Completions"), figures["completions"]),
                _card(_("Completion rate"), percent(figures["completion_rate"])),
                _card(
                    _("Average rating"),
                    _rating(figures["average_rating"]),
                    reverse("admin:learners_review_changelist"),
                ),
            ],
            "decision_cards": [
                *_decision_cards(
                    _("Courses waiting for review"),
                    figures["pending_approvals"]["courses"],
                    f"{reviews_url}?status__exact={CourseStatus.PENDING}",
                    _("Course approval rate"),
                    figures["course_decisions"],
                ),
                *_decision_cards(
                    _("Instructor requests waiting"),
                    figures["pending_approvals"]["instructor_requests"],
                    f"{requests_url}?status__exact=pending",
                    _("Request approval rate"),
                    figures["instructor_request_decisions"],
                ),
            ],
            "grading_cards": [
                _card(
                    _("Work awaiting a grade"),
                    figures["grading"]["awaiting_grading"],
                    f"{reverse('admin:learners_submission_changelist')}?status__exact=submitted",
                ),
                _card(_("Work graded"), figures["grading"]["graded"]),
                _card(_("Median time to grade"), hours(figures["grading"]["median_time_to_grade"])),
            ],
            "signups_total": sum(count for _day, count in figures["signups_per_day"]),
            "signups_chart": _series_chart([(_("Sign-ups"), figures["signups_per_day"], PRIMARY)]),
            "learning_chart": _series_chart(
                [
                    (_("Enrolments"), figures["enrollments_per_day"], PRIMARY),
                    (_("Completions"), figures["completions_per_day"], SECONDARY),
                ]
            ),
            "status_chart": _bar_chart(
                _("Courses"),
                [label for _value, label in CourseStatus.choices],
                [figures["courses_by_status"][value] for value in CourseStatus.values],
            ),
            "top_by_enrollment": _course_table(figures["top_courses_by_enrollment"]),
            "top_by_rating": _course_table(figures["top_courses_by_rating"]),
        }
    )
    return context


def _period(request) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def _card(title, value, link=None, *, footer=""):
    return {"title": title, "value": value, "link": link, "footer": footer}


def _decision_cards(waiting_title, waiting, waiting_link, rate_title, decisions) -> list[dict]:
    """What waits for a decision, and how past decisions went (approval rate, median time)."""
    return [
        _card(waiting_title, waiting, waiting_link),
        _card(rate_title, percent(decisions["approval_rate"]), footer=_median(decisions)),
    ]


def _rating(average) -> str:
    return NONE_YET if average is None else f"{number_format(average, 2)} / 5"


def hours(duration) -> str:
    """A duration as hours with one decimal ("3.5 h"), or a dash for none."""
    if duration is None:
        return NONE_YET
    return _("%(hours)s h") % {"hours": number_format(duration.total_seconds() / 3600, 1)}


def _median(decisions) -> str:
    median = decisions["median_time_to_decision"]
    if median is None:
        return _("No decisions yet")
    return _("Median time to decide: %(hours)s") % {"hours": hours(median)}


def _series_chart(series) -> str:
    """A chart of day series sharing one axis: (label, [(day, count)], colour) each."""
    days = [day for day, _count in series[0][1]]
    return json.dumps(
        {
            "labels": [date_format(day, "M j") for day in days],
            "datasets": [
                {
                    "label": label,
                    "data": [count for _day, count in points],
                    "backgroundColor": colour,
                    "borderColor": colour,
                    "displayYAxis": True,
                    "maxTicksXLimit": 10,
                }
                for label, points, colour in series
            ],
        }
    )


def _bar_chart(label, labels, values) -> str:
    return json.dumps(
        {
            "labels": [str(each) for each in labels],
            "datasets": [
                {"label": label, "data": values, "backgroundColor": PRIMARY, "displayYAxis": True},
            ],
        }
    )


def _course_table(rows) -> dict:
    return {
        "headers": [_("Course"), _("Enrolments"), _("Completion rate"), _("Average rating")],
        "rows": [
            [
                row["title"],
                row["enrollments"],
                percent(row["completion_rate"]),
                _rating(row["average_rating"]),
            ]
            for row in rows
        ],
    }
