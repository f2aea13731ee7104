"""The operations panel for people. Roles and access change only through lms_site.services, audited."""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import IncorrectLookupParameters
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.sites.admin import SiteAdmin as BaseSiteAdmin
from django.contrib.sites.models import Site
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from taggit.models import Tag
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import BooleanRadioFilter, ChoicesDropdownFilter
from unfold.contrib.import_export.forms import ExportForm, ImportForm
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, BaseDialogForm, UserChangeForm
from wagtail.documents.models import Document
from wagtail.images.models import Image

from . import services
from .admin_forms import FORM_SUBMITTED, ReasonForm, RejectionForm, RoleChangeForm, StudentCreationForm
from .errors import DomainError
from .models import AccountEvent, InstructorRequest, Role, User
from .resources import UserImportResource, UserResource

# Wagtail's media are managed in /cms/; tags belong to that media; a user's sessions end through
# user_set_active. Shown here they would only be Django's unstyled forms beside the real tools.
for model in (Document, Image, Tag, UserSession):
    admin.site.unregister(model)
for model in (Group, Site, EmailAddress, Authenticator):
    admin.site.unregister(model)

ROLE_COLOURS = {Role.STUDENT: "info", Role.INSTRUCTOR: "success", Role.ADMIN: "danger"}
STATUS_COLOURS = {
    InstructorRequest.Status.PENDING: "warning",
    InstructorRequest.Status.APPROVED: "success",
    InstructorRequest.Status.REJECTED: "danger",
    InstructorRequest.Status.WITHDRAWN: "info",
}


@dataclass(frozen=True)
class Decision:
    """One way to decide an instructor request, asked the same in a dialog and on a page."""

    decide: Callable
    form_class: type[ReasonForm]
    title: str
    description: str
    done: str

    def dialog(self):
        return {"title": self.title, "description": self.description, "form_class": self.form_class}


APPROVAL = Decision(
    decide=services.instructor_request_approve,
    form_class=ReasonForm,
    title=_("Approve this request"),
    description=_("The applicant becomes an instructor and is told by email."),
    done=_("Approved."),
)
REJECTION = Decision(
    decide=services.instructor_request_reject,
    form_class=RejectionForm,
    title=_("Reject this request"),
    description=_("The applicant receives your reason by email."),
    done=_("Rejected."),
)


def is_role_admin(request):
    return request.user.is_active and request.user.role == Role.ADMIN


def apply_all(model_admin, request, objects, change, *, label=str) -> int:
    """Change every object in one transaction; one refusal undoes them all and is reported, not raised."""
    count = 0
    try:
        with transaction.atomic():
            for obj in objects:
                change(obj)
                count += 1
    except DomainError as error:
        message = _("Nothing was changed. %(object)s: %(error)s") % {
            "object": label(obj),
            "error": error.full_message(),
        }
        model_admin.message_user(request, message, messages.ERROR)
        return 0
    return count


@dataclass(frozen=True)
class Confirmation:
    """What a destructive list action asks before it acts: what changes, and how many people it touches."""

    title: str
    description: str
    summarise: Callable[[list], str]  # the counts, say "3 enrolments of 2 people will be revoked."
    describe: Callable = str  # one row as the page lists it
    form_class: type[BaseDialogForm] = BaseDialogForm

    def ask(self, model_admin, request, rows):
        """(cleaned data, None) once confirmed, else (None, the page that asks)."""
        form_class = self.form_class
        form = form_class(request, data=request.POST if FORM_SUBMITTED in request.POST else None)
        if form.is_valid():
            return form.cleaned_data, None
        context = {
            **model_admin.admin_site.each_context(request),
            "title": self.title,
            "description": self.description,
            "summary": self.summarise(rows),
            "opts": model_admin.opts,
            "form": form,
            "rows": [(row.pk, self.describe(row)) for row in rows],
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return None, TemplateResponse(request, "admin/confirm_action.html", context)


def people(count: int) -> str:
    return ngettext("%(count)d person", "%(count)d people", count) % {"count": count}


def get_or_404(model_admin, request, object_id):
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        raise Http404
    return obj


def back_to(url_name, object_id=None):
    """Dialogs post through htmx, which follows this header rather than a redirect."""
    args = [] if object_id is None else [object_id]
    return HttpResponse(headers={"HX-Redirect": reverse(url_name, args=args)})


LINK_CLASSES = "text-primary-600 dark:text-primary-500"


def admin_link(url, text):
    """A link in a list or detail cell, styled like unfold's own."""
    return format_html('<a class="{}" href="{}">{}</a>', LINK_CLASSES, url, text)


class RecordAdmin(ModelAdmin):
    """Rows that only services write: listed and viewed here, never added, edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Identity and access are shown, never edited, on the change form: the email is allauth's verified
# login, and role, staff, groups and activity move together through the services (see actions).
ACCESS_FIELDS = ("email", "role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")


class NullCharacterInFile(ValueError):
    """A spreadsheet with a NUL character, which no database text column can hold."""


class TextCSV(CSV):
    """CSV whose cells PostgreSQL can store: a file holding a NUL is refused as it is read (at the
    preview), before a row reaches a lookup, where psycopg2 would raise. XLSX cannot hold one (XML)."""

    def create_dataset(self, in_stream):
        if ("\x00" if isinstance(in_stream, str) else b"\x00") in in_stream:
            raise NullCharacterInFile(_("The file holds a null character, which no cell can contain."))
        return super().create_dataset(in_stream)


class SpreadsheetImportExportAdmin(ImportExportModelAdmin):
    """CSV and XLSX in and out, for admins only, in unfold's forms."""

    import_form_class = ImportForm
    export_form_class = ExportForm
    formats = [TextCSV, XLSX]

    def has_import_permission(self, request):
        return is_role_admin(request)

    def has_export_permission(self, request):
        return is_role_admin(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, NullCharacterInFile):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_export_queryset(self, request):
        """The changelist's filters of the export's address; a parameter no filter knows is a 400 (the
        changelist itself answers it by dropping the filters, which an export must not do silently)."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(_("The export's filters are not valid.")) from error


class ServiceImportExportAdmin(SpreadsheetImportExportAdmin):
    """Export `resource_classes`, import through `import_resource_class` (a ServiceImportResource), whose
    refusal at the confirm step (a row that went bad since the preview) is reported on the import page
    rather than raised."""

    import_resource_class: type | None = None

    def get_import_resource_classes(self, request):
        return [self.import_resource_class]

    def process_result(self, result, request):
        if result.refusal is None:
            return super().process_result(result, request)
        self.message_user(request, result.refusal.full_message(), messages.ERROR)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")


DEACTIVATION = Confirmation(
    title=_("Deactivate"),
    description=_("They are signed out everywhere and cannot sign in until an admin activates them again."),
    summarise=lambda users: _("%(people)s will lose access.") % {"people": people(len(users))},
    describe=lambda user: f"{user.email} ({user.get_role_display()})",
    form_class=ReasonForm,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin, ServiceImportExportAdmin):
    form = UserChangeForm
    add_form = StudentCreationForm
    change_password_form = AdminPasswordChangeForm
    resource_classes = [UserResource]
    import_resource_class = UserImportResource  # verified students and instructors, never admins

    def import_action(self, request, **kwargs):
        """The preview says what confirming sends: an invitation to each new account."""
        response = super().import_action(request, **kwargs)
        if (getattr(response, "context_data", None) or {}).get("confirm_form") is not None:
            days = services.invitation_valid_days()
            notice = ngettext(
                "Each new account is emailed a link to set its password; the link works for %(days)d day.",
                "Each new account is emailed a link to set its password; the link works for %(days)d days.",
                days,
            )
            self.message_user(request, notice % {"days": days}, messages.INFO)
        return response

    list_display = ("email", "name", "role_badge", "is_active", "is_staff", "date_joined")
    list_filter = (
        ("role", ChoicesDropdownFilter),
        ("is_active", BooleanRadioFilter),
        ("is_staff", BooleanRadioFilter),
    )
    list_filter_submit = True
    search_fields = ("email", "first_name", "last_name")
    ordering = ("-date_joined",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("first_name", "last_name", "bio", "avatar", "phone")}),
        (_("Access"), {"fields": ACCESS_FIELDS[1:]}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)
    actions = ["change_role", "activate", "deactivate"]
    actions_detail = ["change_role_detail", "activate_detail", "deactivate_detail"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*ACCESS_FIELDS, "last_login", "date_joined")

    def has_manage_people_permission(self, request, obj=None):
        return is_role_admin(request)

    @display(description=_("Name"), ordering="last_name")
    def name(self, obj):
        return obj.full_name

    @display(description=_("Role"), ordering="role", label=ROLE_COLOURS)
    def role_badge(self, obj):
        return obj.role, obj.get_role_display()

    # Adding makes a student the way sign-up does; editing touches the profile only.

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        return form.create_student()

    def save_model(self, request, obj, form, change):
        if change:
            services.user_update_profile(
                user=obj, **{name: form.cleaned_data[name] for name in form.changed_data}
            )

    def save_related(self, request, form, formsets, change):
        if change:  # create_student has already saved everything an added student has
            super().save_related(request, form, formsets, change)

    # List actions.

    @action(description=_("Change role"), permissions=["manage_people"], icon="badge")
    def change_role(self, request, queryset):
        form = RoleChangeForm(request, data=request.POST if FORM_SUBMITTED in request.POST else None)
        if form.is_valid():
            self._change_roles(request, queryset, form)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change role"),
            "opts": self.opts,
            "form": form,
            "users": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/lms_site/user/change_role.html", context)

    @action(description=_("Activate"), permissions=["manage_people"], icon="check_circle")
    def activate(self, request, queryset):
        self._set_active(request, queryset, is_active=True)

    @action(description=_("Deactivate"), permissions=["manage_people"], icon="block")
    def deactivate(self, request, queryset):
        users = list(queryset)
        data, page = DEACTIVATION.ask(self, request, users)
        if page is not None:
            return page
        self._set_active(request, users, is_active=False, reason=data["reason"])
        return None

    # The same, from one user's page, asking in a dialog first.

    @action(
        description=_("Change role"),
        permissions=["manage_people"],
        icon="badge",
        url_path="change-role",
        dialog={
            "title": _("Change role"),
            "description": _("The change is recorded with you as the one who made it."),
            "form_class": RoleChangeForm,
        },
    )
    def change_role_detail(self, request, form, object_id):
        user = get_or_404(self, request, object_id)
        self._change_roles(request, [user], form)
        return back_to("admin:lms_site_user_change", object_id)

    @action(
        description=_("Activate"),
        permissions=["manage_people"],
        icon="check_circle",
        url_path="activate",
        dialog={"title": _("Activate this account"), "form_class": ReasonForm},
    )
    def activate_detail(self, request, form, object_id):
        user = get_or_404(self, request, object_id)
        self._set_active(request, [user], is_active=True, reason=form.cleaned_data["reason"])
        return back_to("admin:lms_site_user_change", object_id)

    @action(
        description=_("Deactivate"),
        permissions=["manage_people"],
        icon="block",
        url_path="deactivate",
        dialog={
            "title": _("Deactivate this account"),
            "description": _("The person is signed out everywhere and cannot sign in again."),
            "form_class": ReasonForm,
        },
    )
    def deactivate_detail(self, request, form, object_id):
        user = get_or_404(self, request, object_id)
        self._set_active(request, [user], is_active=False, reason=form.cleaned_data["reason"])
        return back_to("admin:lms_site_user_change", object_id)

    def _change_roles(self, request, users, form):
        role, reason = form.cleaned_data["role"], form.cleaned_data["reason"]

        def change(user):
            services.user_change_role(user=user, role=role, changed_by=request.user, reason=reason)

        if count := apply_all(self, request, users, change):
            message = ngettext(
                "%(count)d user now has the role %(role)s.",
                "%(count)d users now have the role %(role)s.",
                count,
            )
            self.message_user(request, message % {"count": count, "role": Role(role).label}, messages.SUCCESS)

    def _set_active(self, request, users, *, is_active, reason=""):
        def change(user):
            services.user_set_active(user=user, is_active=is_active, changed_by=request.user, reason=reason)

        if count := apply_all(self, request, users, change):
            if is_active:
                message = ngettext("%(count)d account is active.", "%(count)d accounts are active.", count)
            else:
                message = ngettext(
                    "%(count)d account is deactivated.", "%(count)d accounts are deactivated.", count
                )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)


WEB_SCHEMES = ("https://", "http://")


@admin.register(InstructorRequest)
class InstructorRequestAdmin(RecordAdmin):
    """Read here, decided through the services, which change the role and write to the applicant."""

    list_display = ("applicant", "status_badge", "created_at", "reviewer", "reviewed_at")
    list_filter = (("status", ChoicesDropdownFilter),)
    list_filter_submit = True
    list_select_related = ("applicant", "reviewer")
    search_fields = ("applicant__email", "applicant__first_name", "applicant__last_name")
    fields = (
        "applicant",
        "motivation",
        "link_list",
        "status",
        "reviewer",
        "reviewed_at",
        "decision_reason",
        "created_at",
    )
    readonly_fields = ("link_list",)
    actions_detail = ["approve", "reject"]
    actions_row = ["approve_row", "reject_row"]

    def has_decide_permission(self, request, obj=None):
        return is_role_admin(request)

    @display(description=_("Links"))
    def link_list(self, obj):
        """One link a line, to open; anything but a web address stays text."""
        if not obj.links:
            return _("None")
        items = format_html_join(
            "",
            "<li>{}</li>",
            (
                (admin_link(url, url) if str(url).startswith(("https://", "http://")) else url,)
                for url in obj.links
            ),
        )
        return format_html("<ul>{}</ul>", items)

    @display(description=_("Status"), ordering="status", label=STATUS_COLOURS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    # From the request's page, asking in a dialog.

    @action(
        description=_("Approve"),
        permissions=["decide"],
        icon="how_to_reg",
        url_path="approve",
        dialog=APPROVAL.dialog(),
    )
    def approve(self, request, form, object_id):
        self._decide(request, get_or_404(self, request, object_id), form, APPROVAL)
        return back_to("admin:lms_site_instructorrequest_change", object_id)

    @action(
        description=_("Reject"),
        permissions=["decide"],
        icon="block",
        url_path="reject",
        dialog=REJECTION.dialog(),
    )
    def reject(self, request, form, object_id):
        self._decide(request, get_or_404(self, request, object_id), form, REJECTION)
        return back_to("admin:lms_site_instructorrequest_change", object_id)

    # The same from a row of the list, asking on a page of its own and going back to the list.

    @action(description=_("Approve"), permissions=["decide"], icon="how_to_reg", url_path="approve-from-list")
    def approve_row(self, request, object_id):
        return self._decide_on_page(request, object_id, APPROVAL)

    @action(description=_("Reject"), permissions=["decide"], icon="block", url_path="reject-from-list")
    def reject_row(self, request, object_id):
        return self._decide_on_page(request, object_id, REJECTION)

    def _decide_on_page(self, request, object_id, decision):
        instructor_request = get_or_404(self, request, object_id)
        form = decision.form_class(
            request, object_id, data=request.POST if request.method == "POST" else None
        )
        if form.is_valid():
            self._decide(request, instructor_request, form, decision)
            return redirect("admin:lms_site_instructorrequest_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": decision.title,
            "description": decision.description,
            "opts": self.opts,
            "form": form,
            "instructor_request": instructor_request,
        }
        return TemplateResponse(request, "admin/lms_site/instructorrequest/decide.html", context)

    def _decide(self, request, instructor_request, form, decision):
        """Decide through the service; a refusal (say, already decided) is reported, not raised."""
        try:
            decision.decide(
                instructor_request=instructor_request,
                reviewer=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            self.message_user(request, error.full_message(), messages.ERROR)
        else:
            self.message_user(request, decision.done, messages.SUCCESS)


@admin.register(AccountEvent)
class AccountEventAdmin(RecordAdmin):
    """The audit log of role and access changes."""

    list_display = ("user", "action", "from_value", "to_value", "actor", "created_at", "reason")
    list_filter = (("action", ChoicesDropdownFilter),)
    list_filter_submit = True
    list_select_related = ("user", "actor")
    search_fields = ("user__email",)
    date_hierarchy = "created_at"


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass


@admin.register(Site)
class SiteAdmin(BaseSiteAdmin, ModelAdmin):
    pass


@admin.register(EmailAddress)
class EmailAddressAdmin(BaseEmailAddressAdmin, ModelAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(BaseAuthenticatorAdmin, ModelAdmin):
    """Who has which second factor; deleting one resets it for a person who lost their phone.

    Never added or edited here, and the secrets they hold are never shown.
    """

    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
