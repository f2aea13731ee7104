from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learners"
    verbose_name = _("Learning")

    def ready(self):
        from catalog import page_context
        from catalog.access import register_enrolment_check, register_lock_check
        from lms_site.profile_hooks import register_name_listener

        from . import signals  # noqa: F401
        from .page_context import learner_context
        from .selectors import is_enrolled, lesson_locked_by
        from .services import certificate_holder_names_fill

        register_enrolment_check(is_enrolled)
        register_lock_check(lesson_locked_by)
        page_context.register(learner_context)
        register_name_listener(certificate_holder_names_fill)
