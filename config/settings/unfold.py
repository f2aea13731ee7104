"""The unfold admin's look and sidebar; kept apart from base.py because it grows with every app."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": "Learning Platform admin",
    "SITE_HEADER": "Learning Platform",
    "SITE_SYMBOL": "school",
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("lms_site/img/logo.svg")}
    ],
    "DASHBOARD_CALLBACK": "learners.dashboard.dashboard_callback",
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": [
            {
                "items": [
                    {"title": _("Dashboard"), "icon": "dashboard", "link": reverse_lazy("admin:index")},
                ],
            },
            {
                "title": _("People"),
                "separator": True,
                "items": [
                    {
                        "title": _("Users"),
                        "icon": "person",
                        "link": reverse_lazy("admin:lms_site_user_changelist"),
                    },
                    {
                        "title": _("Instructor requests"),
                        "icon": "how_to_reg",
                        "link": reverse_lazy("admin:lms_site_instructorrequest_changelist"),
                        "badge": "lms_site.admin_badges.pending_instructor_requests",
                        "badge_variant": "warning",
                    },
                    {
                        "title": _("Groups"),
                        "icon": "group",
                        "link": reverse_lazy("admin:auth_group_changelist"),
                    },
                    {
                        "title": _("Email addresses"),
                        "icon": "mail",
                        "link": reverse_lazy("admin:account_emailaddress_changelist"),
                    },
                    {
                        "title": _("Account events"),
                        "icon": "history",
                        "link": reverse_lazy("admin:lms_site_accountevent_changelist"),
                    },
                ],
            },
            {
                "title": _("Catalog"),
                "separator": True,
                "items": [
                    {
                        "title": _("Course reviews"),
                        "icon": "rate_review",
                        "link": reverse_lazy("admin:catalog_courselifecycle_changelist"),
                        "badge": "catalog.admin_badges.pending_course_reviews",
                        "badge_variant": "warning",
                    },
                    {
                        "title": _("Categories"),
                        "icon": "category",
                        "link": reverse_lazy("admin:catalog_category_changelist"),
                    },
                ],
            },
            {
                "title": _("Learning"),
                "separator": True,
                "items": [
                    {
                        "title": _("Enrolments"),
                        "icon": "school",
                        "link": reverse_lazy("admin:learners_enrollment_changelist"),
                    },
                    {
                        "title": _("Reviews"),
                        "icon": "reviews",
                        "link": reverse_lazy("admin:learners_review_changelist"),
                    },
                    {
                        "title": _("Certificates"),
                        "icon": "workspace_premium",
                        "link": reverse_lazy("admin:learners_certificate_changelist"),
                    },
                    {
                        "title": _("Lesson progress"),
                        "icon": "checklist",
                        "link": reverse_lazy("admin:learners_lessonprogress_changelist"),
                    },
                    {
                        "title": _("Quiz attempts"),
                        "icon": "quiz",
                        "link": reverse_lazy("admin:learners_quizattempt_changelist"),
                    },
                    {
                        "title": _("Submissions"),
                        "icon": "assignment",
                        "link": reverse_lazy("admin:learners_submission_changelist"),
                        "badge": "learners.admin_badges.work_awaiting_grading",
                        "badge_variant": "warning",
                    },
                ],
            },
            {
                "title": _("Elsewhere"),
                "separator": True,
                "items": [
                    {"title": _("Content (CMS)"), "icon": "web", "link": reverse_lazy("wagtailadmin_home")},
                    {"title": _("API documentation"), "icon": "api", "link": reverse_lazy("api-docs")},
                ],
            },
        ],
    },
}
