"""allauth integration: mail goes through the task queue, new accounts get their role's group and
the name sign-up asked for."""

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.contrib.auth import get_user_model

from .emails import enqueue_email
from .forms import NameForm
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
        """allauth's own save stores `first_name` and `last_name` from the sign-up form's cleaned data."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_sync_role(user=user)
        return user


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code as an element for the page itself, without the XML prolog of a file."""
        svg = super().build_totp_svg(url)
        return svg[svg.index("<svg") :]


class SignupBaseForm(NameForm):
    """Base of allauth's signup form and of its headless signup input (ACCOUNT_SIGNUP_FORM_CLASS).

    Both ask for the person's name (`first_name`, `last_name` in the API's JSON), which others see
    instead of the email address; allauth's adapter stores it on the new user.

    The headless input checks its `password` without a user, so validators that compare the
    password with the account (similarity to the email) would never run through the API. Here the
    email is known; the site form (`password1`) already does this itself.
    """

    field_order = ("first_name", "last_name", "email", "password1", "password2", "password")

    def clean(self):
        cleaned_data = super().clean()
        password, email = cleaned_data.get("password"), cleaned_data.get("email")
        if password and email:
            try:
                get_adapter().clean_password(password, user=get_user_model()(email=email))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned_data

    def signup(self, request, user):
        """allauth calls this after saving the user; sign-up asks for nothing more to store."""
