import pytest
from allauth.usersessions.models import UserSession
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site import services
from lms_site.tests import headless

pytestmark = pytest.mark.django_db

ME = reverse("api:me")


def test_deactivation_revokes_an_existing_access_token_at_once(admin, student):
    client = APIClient()
    tokens = headless.login_tokens(client, student)
    assert client.get(ME, headers=headless.bearer(tokens["access"])).status_code == 200
    assert UserSession.objects.filter(user=student).exists()

    services.user_set_active(user=student, is_active=False, changed_by=admin)

    response = client.get(ME, headers=headless.bearer(tokens["access"]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert headless.refresh(client, refresh_token=tokens["refresh"]).status_code >= 400
    assert not UserSession.objects.filter(user=student).exists()


def test_deactivated_user_cannot_log_in_again(admin, student):
    services.user_set_active(user=student, is_active=False, changed_by=admin)

    response = headless.login(APIClient(), email=student.email)

    assert response.status_code >= 400
    assert "access_token" not in response.json().get("meta", {})
