import json

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_people_by_role_and_signups_chart(client, admin):
    StudentFactory.create_batch(2)
    StudentFactory(is_active=False)
    InstructorFactory()
    client.force_login(admin)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    cards = {card["title"]: card["value"] for card in response.context["people_cards"]}
    assert cards == {"Students": 3, "Instructors": 1, "Admins": 1, "All users": 5, "Inactive": 1}
    chart = json.loads(response.context["signups_chart"])
    assert len(chart["labels"]) == 30
    assert chart["datasets"][0]["data"][-1] == 5
    assert sum(chart["datasets"][0]["data"]) == 5
    assert 'class="chart"' in response.text
