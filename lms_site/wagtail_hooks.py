"""The Wagtail shell stays an authoring tool: people are managed in /admin/, where roles go through services.

Wagtail's own user and group screens know nothing of roles, so a user edited there could end up with
groups or staff flags that contradict their role and with no audit record.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import Role, User

PEOPLE_SETTINGS_ITEMS = {"users", "groups"}
ADMIN_ONLY_MENU_ITEMS = {"reports", "settings", "help"}


class RoleAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.role == Role.ADMIN


@hooks.register("register_admin_menu_item")
def register_people_admin_menu_item():
    return RoleAdminMenuItem(
        _("People (admin)"),
        reverse("admin:lms_site_user_changelist"),
        name="people-admin",
        icon_name="group",
        order=9500,
    )


@hooks.register("construct_settings_menu")
def hide_wagtail_people_screens(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in PEOPLE_SETTINGS_ITEMS]


@hooks.register("construct_main_menu")
def keep_authors_to_authoring(request, menu_items):
    if request.user.role != Role.ADMIN:
        menu_items[:] = [item for item in menu_items if item.name not in ADMIN_ONLY_MENU_ITEMS]


def send_to_people_admin(request, *args):
    """Answer a Wagtail user screen reached by its address, the menu item being gone."""
    messages.info(request, _("People are managed in the admin panel, where every role change is recorded."))
    return redirect("admin:lms_site_user_changelist")


for hook_name in ("before_create_user", "before_edit_user", "before_delete_user"):
    hooks.register(hook_name, send_to_people_admin)


@hooks.register("before_bulk_action")
def refuse_wagtail_user_bulk_actions(request, action_type, objects, action):
    if action.model is User:
        return send_to_people_admin(request)
    return None
