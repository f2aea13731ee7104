from rest_framework.permissions import BasePermission

from lms_site.models import Role


class IsAdminRole(BasePermission):
    """Platform admins only (the `admin` role, not merely staff)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.ADMIN)
