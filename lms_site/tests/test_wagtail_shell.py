import pytest
from django.urls import reverse
from wagtail.admin.menu import admin_menu, settings_menu

pytestmark = pytest.mark.django_db

CMS_HOME = reverse("wagtailadmin_home")


def menu_names(menu, request):
    return {item.name for item in menu.menu_items_for_request(request)}


def cms_request(client, user):
    """Open the CMS as `user`; the request it leaves behind carries the user for menu checks."""
    client.force_login(user)
    response = client.get(CMS_HOME)
    assert response.status_code == 200
    return response.wsgi_request


def test_instructor_menu_keeps_media_and_drops_reports_settings_and_help(client, instructor):
    request = cms_request(client, instructor)

    names = menu_names(admin_menu, request)

    assert {"images", "documents"} <= names
    assert not names & {"reports", "settings", "help", "people-admin"}


def test_admin_menu_keeps_settings_reports_and_help(client, admin):
    request = cms_request(client, admin)

    assert {"reports", "settings", "help"} <= menu_names(admin_menu, request)


def test_student_is_refused_the_cms(client, student):
    client.force_login(student)

    response = client.get(CMS_HOME)

    assert response.status_code == 302
    assert response.url.startswith(f"/accounts/login/?next={CMS_HOME}")


def test_admin_settings_menu_has_no_wagtail_users_or_groups(client, admin):
    request = cms_request(client, admin)

    names = menu_names(settings_menu, request)

    assert names
    assert not names & {"users", "groups"}


def test_admin_menu_links_to_people_in_the_admin_panel(client, admin):
    request = cms_request(client, admin)

    [item] = [item for item in admin_menu.menu_items_for_request(request) if item.name == "people-admin"]

    assert item.url == reverse("admin:lms_site_user_changelist")


def test_wagtail_user_edit_screen_sends_admin_to_the_admin_panel(client, admin, student):
    client.force_login(admin)

    response = client.get(reverse("wagtailusers_users:edit", args=[student.pk]))

    assert response.status_code == 302
    assert response.url == reverse("admin:lms_site_user_changelist")


def test_wagtail_bulk_deactivation_is_refused_and_sent_to_the_admin_panel(client, admin, student):
    client.force_login(admin)
    url = reverse("wagtail_bulk_action", args=["lms_site", "user", "set_active_state"])

    response = client.post(f"{url}?id={student.pk}", {"mark_as_active": "False"})

    assert response.status_code == 302
    assert response.url == reverse("admin:lms_site_user_changelist")
    student.refresh_from_db()
    assert student.is_active
