"""Panels on the CMS dashboard: the instructor's learning panel (totals, grading figures, enrolments over
time, each course with its figures, gradebook and roster export) and the "To grade" panel of instructors
and admins. Each reads a fixed number of queries (learners.analytics, learners.selectors)."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import analytics, selectors
from .cms_views import EXPORT_FORMATS, export_url
from .dashboard import hours

CHART_DAYS = 30
BAR_PITCH, BAR_WIDTH, CHART_HEIGHT = 10, 8, 100  # in the chart's SVG units


class LearningPanel(Component):
    name = "learning"
    template_name = "learners/cms/learning_panel.html"
    order = 110  # below the instructor's courses

    class Media:
        css = {"all": ["learners/css/learning-panel.css"]}

    def get_context_data(self, parent_context):
        figures = analytics.instructor_analytics(instructor=parent_context["request"].user, days=CHART_DAYS)
        return {
            "figures": figures,
            "median_time_to_grade": hours(figures["grading"]["median_time_to_grade"]),
            "days": CHART_DAYS,
            "chart_width": CHART_DAYS * BAR_PITCH,
            "bars": _bars(figures["enrollments_per_day"]),
            "courses": [
                {
                    **row,
                    "roster_url": reverse("learners_roster", args=[row["id"]]),
                    "gradebook_url": reverse("learners_gradebook", args=[row["id"]]),
                    "gradebook_exports": {name: export_url(row["id"], name) for name in EXPORT_FORMATS},
                }
                for row in figures["courses"]
                if row["status"] == "published" or row["enrollments"]
            ],
        }


class GradingPanel(Component):
    """Work awaiting a grade in the courses one grades (every course for admins): counts by course, and
    the pieces that have waited longest."""

    name = "grading"
    template_name = "learners/cms/grading_panel.html"
    order = 95  # above the courses: it asks for action
    OLDEST = 5

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        queue_url = reverse("learners_grading_queue")
        by_course = [
            {
                **row,
                "queue_url": f"{queue_url}?course={row['course_id']}",
                "gradebook_url": reverse("learners_gradebook", args=[row["course_id"]]),
            }
            for row in selectors.awaiting_by_course(user)
        ]
        return {
            "queue_url": queue_url,
            "total": sum(row["count"] for row in by_course),
            "by_course": by_course,
            "oldest": selectors.grading_queue(user).prefetch_related(None)[: self.OLDEST],
        }


def _bars(series) -> list[dict]:
    """Each day as a bar of an SVG chart, the busiest day full height; drawn on the server, no script."""
    peak = max((count for _day, count in series), default=0)
    bars = []
    for index, (day, count) in enumerate(series):
        height = round(CHART_HEIGHT * count / peak) if peak else 0
        bars.append(
            {"day": day, "count": count, "x": index * BAR_PITCH, "y": CHART_HEIGHT - height, "height": height}
        )
    return bars
