"""Writes to categories, shared by the API and the admin import. Admins only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lms_site.errors import Conflict, NotAllowed, ValidationFailed
from lms_site.models import User

from . import page_cache
from .models import Category
from .permissions import is_admin

CATEGORY_FIELDS = frozenset({"name", "slug", "icon", "description"})


def _check_admin(user: User) -> None:
    if not is_admin(user):
        raise NotAllowed(_("Only admins can manage categories."))


def _save(category: Category, fields: dict) -> Category:
    if unknown := sorted(set(fields) - CATEGORY_FIELDS):
        raise ValidationFailed(details={name: [_("This field cannot be set.")] for name in unknown})
    for name, value in fields.items():
        setattr(category, name, value)
    if not category.slug:
        category.slug = slugify(category.name)[:100]
    try:
        category.full_clean()
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise ValidationFailed(details=details) from error
    category.save()
    page_cache.invalidate(page_cache.EVERY_PAGE)  # the catalog's filters and every course's label
    return category


@transaction.atomic
def category_create(*, user: User, **fields) -> Category:
    """A new category; the slug follows the name unless given."""
    _check_admin(user)
    return _save(Category(), fields)


@transaction.atomic
def category_update(*, category: Category, user: User, **fields) -> Category:
    _check_admin(user)
    return _save(category, fields)


@transaction.atomic
def category_delete(*, category: Category, user: User) -> None:
    """Courses protect their category: move them elsewhere first."""
    _check_admin(user)
    try:
        category.delete()
    except ProtectedError as error:
        raise Conflict(
            _("%(count)d course(s) are filed under this category; move them first.")
            % {"count": len(error.protected_objects)}
        ) from error
    page_cache.invalidate(page_cache.EVERY_PAGE)
