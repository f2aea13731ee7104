"""The site's own account pages. Like the API, they only translate HTTP to lms_site.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .errors import DomainError
from .forms import InstructorRequestForm, ProfileForm
from .models import InstructorRequest, User


@login_required
def profile(request):
    # The form validates a copy, so a refused edit never shows up in the page header.
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=User.objects.get(pk=request.user.pk)
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.changes())
        messages.success(request, _("Your profile is saved."))
        return redirect("lms_site:profile")
    return render(request, "lms_site/profile.html", {"form": form})


@login_required
def become_instructor(request):
    user = request.user
    form = InstructorRequestForm(request.POST or None) if user.is_student else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.instructor_request_submit(applicant=user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. An admin will review your request and write to you."))
            return redirect("lms_site:become_instructor")
    instructor_requests = list(user.instructor_requests.all())
    context = {
        "form": form,
        "instructor_requests": instructor_requests,
        "pending": any(r.status == InstructorRequest.Status.PENDING for r in instructor_requests),
    }
    return render(request, "lms_site/become_instructor.html", context)


def add_domain_error(form, error: DomainError) -> None:
    """Field messages go to their fields; the rest, such as a conflict, to the whole form."""
    if not error.details:
        form.add_error(None, error.message)
    for name, texts in error.details.items():
        form.add_error(name if name in form.fields else None, texts)


def invitation(request, uidb64, token):
    """An invited person sets their first password, then signs in; a used or expired link says so."""
    user = services.invited_user(uidb64=uidb64, token=token)
    form = SetPasswordForm(user, request.POST or None) if user is not None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            messages.error(request, error.full_message())
        else:
            messages.success(request, _("Your password is set. Sign in with your email address and it."))
            return redirect("account_login")
    return render(request, "lms_site/invitation.html", {"form": form, "invited": user})
