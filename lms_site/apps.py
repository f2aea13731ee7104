from django.apps import AppConfig


class LmsSiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms_site"
    verbose_name = "People and platform"

    def ready(self):
        from . import converters

        converters.register()  # before any URLconf that uses <id:...> is loaded
