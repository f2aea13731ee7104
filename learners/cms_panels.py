"""The instructor's learning panel on the CMS dashboard: totals, enrolments over time, and each course
with its figures and roster export. Figures come from learners.analytics (a fixed number of queries)."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import analytics

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
            "days": CHART_DAYS,
            "chart_width": CHART_DAYS * BAR_PITCH,
            "bars": _bars(figures["enrollments_per_day"]),
            "courses": [
                {**row, "roster_url": reverse("learners_roster", args=[row["id"]])}
                for row in figures["courses"]
                if row["status"] == "published" or row["enrollments"]
            ],
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
