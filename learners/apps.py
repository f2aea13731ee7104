from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learners"
    verbose_name = _("Learning")

    def ready(self):
        from catalog.access import register_enrolment_check

        from .selectors import is_enrolled

        register_enrolment_check(is_enrolled)
