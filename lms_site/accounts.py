"""allauth integration: mail goes through the task queue, new accounts get their role's group."""

from allauth.account.adapter import DefaultAccountAdapter

from .emails import enqueue_email
from .services import user_sync_role


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        enqueue_email(self.render_mail(template_prefix, email, ctx))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_sync_role(user=user)
        return user
