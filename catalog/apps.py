from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Wagtail mails moderators and authors itself, at once and inside the transaction; catalog.services
# sends the course review's emails through Celery once the change is committed.
WAGTAIL_WORKFLOW_MAILS = {
    "workflow_submitted": "workflow_state_submitted_email_notification",
    "workflow_rejected": "workflow_state_rejected_email_notification",
    "workflow_approved": "workflow_state_approved_email_notification",
}


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from wagtail import signals as wagtail_signals
        from wagtail.models import Page, WorkflowState
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .permissions import VendorPagePermissionPolicy

        # Wagtail registered its own in wagtail's ready(), which runs first; this one takes its place.
        register_permission_policy(Page, VendorPagePermissionPolicy())

        for signal_name, dispatch_uid in WAGTAIL_WORKFLOW_MAILS.items():
            getattr(wagtail_signals, signal_name).disconnect(sender=WorkflowState, dispatch_uid=dispatch_uid)
