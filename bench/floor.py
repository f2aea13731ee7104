"""The floor: the catalog's first page from the same database, with nothing but a query and a template.

What the real catalog page costs above this is the price of Wagtail's routing, the filters, the
layout and the cache; the benchmark compares the two under the same load.
"""

from django.http import HttpResponse, JsonResponse
from django.template import Context, Template

from catalog.models import CoursePage

PAGE_SIZE = 12
TEMPLATE = Template(
    """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Courses</title></head><body>
<h1>Courses</h1><p>{{ count }} courses</p><ul>{% for course in courses %}
<li><a href="{{ course.url_path }}">{{ course.title }}</a> {{ course.subtitle }} {{ course.category.name }}
by {{ course.owner.first_name }} {{ course.owner.last_name }}: {{ course.price }} {{ course.currency }},
rated {{ course.stats.average_rating }} ({{ course.stats.review_count }})</li>{% endfor %}
</ul></body></html>"""
)


def catalog_floor(request):
    courses = CoursePage.objects.in_catalog()
    cards = courses.select_related("category", "owner", "stats")
    page = cards.order_by("-lifecycle__published_at", "title")[:PAGE_SIZE]
    return HttpResponse(TEMPLATE.render(Context({"courses": page, "count": courses.count()})))


API_PAGE_SIZE = 20
API_FIELDS = ("pk", "title", "slug", "subtitle", "difficulty", "price", "currency", "lifecycle__published_at")


def api_floor(request):
    """The floor of the JSON endpoints: 20 catalog rows, one query, no framework above Django."""
    rows = CoursePage.objects.in_catalog().order_by("-lifecycle__published_at", "title")
    return JsonResponse({"results": list(rows.values(*API_FIELDS)[:API_PAGE_SIZE])})
