"""Figures for the admin index page (unfold's DASHBOARD_CALLBACK); templates/admin/index.html draws them."""

import json

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors

SIGNUP_DAYS = 30


def dashboard_callback(request, context):
    counts = selectors.users_by_role()
    users_url = reverse("admin:lms_site_user_changelist")
    context["people_cards"] = [
        {"title": _("Students"), "value": counts["student"], "link": f"{users_url}?role__exact=student"},
        {
            "title": _("Instructors"),
            "value": counts["instructor"],
            "link": f"{users_url}?role__exact=instructor",
        },
        {"title": _("Admins"), "value": counts["admin"], "link": f"{users_url}?role__exact=admin"},
        {"title": _("All users"), "value": counts["total"], "link": users_url},
        {"title": _("Inactive"), "value": counts["inactive"], "link": f"{users_url}?is_active__exact=0"},
    ]

    signups = selectors.signups_per_day(days=SIGNUP_DAYS)
    context["signups_total"] = sum(count for _day, count in signups)
    context["signups_chart"] = json.dumps(
        {
            "labels": [date_format(day, "M j") for day, _count in signups],
            "datasets": [
                {
                    "label": _("Sign-ups"),
                    "data": [count for _day, count in signups],
                    "backgroundColor": "var(--color-primary-600)",
                    "borderColor": "var(--color-primary-600)",
                    "displayYAxis": True,
                    "maxTicksXLimit": 10,
                }
            ],
        }
    )
    return context
