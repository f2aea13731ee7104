"""Learning in the operations panel: enrolments, reviews, certificates, progress and handed-in work.

Rows here are written only by learners.services (and learners.imports on top of them): the admin lists
and shows them, and its actions call the same services the site and the API call, so the counters on
CourseStats stay right. Only role-admins act.
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.contrib.filters.admin import (
    BooleanRadioFilter,
    ChoicesDropdownFilter,
    RadioFilter,
    RelatedDropdownFilter,
)
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm

from lms_site.admin import (
    Confirmation,
    RecordAdmin,
    ServiceImportExportAdmin,
    admin_link,
    apply_all,
    back_to,
    get_or_404,
    is_role_admin,
    people,
)
from lms_site.jobs import enqueue

from . import services
from .admin_forms import GradeDialogForm, GrantForm
from .models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review, Submission
from .resources import (
    CertificateResource,
    EnrollmentImportResource,
    EnrollmentResource,
    LessonProgressImportResource,
    LessonProgressResource,
    ReviewImportResource,
    ReviewResource,
)
from .tasks import render_certificate

SOURCE_COLOURS = {
    Enrollment.Source.SELF: "info",
    Enrollment.Source.ADMIN: "primary",
    Enrollment.Source.IMPORT: "warning",
}
SUBMISSION_COLOURS = {
    Submission.Status.SUBMITTED: "warning",
    Submission.Status.SUPERSEDED: "info",
    Submission.Status.PASSED: "success",
    Submission.Status.FAILED: "danger",
}
PROGRESS_COLOURS = {
    LessonProgress.Status.IN_PROGRESS: "info",
    LessonProgress.Status.COMPLETED: "success",
}


class CourseFilter(RelatedDropdownFilter, admin.RelatedOnlyFieldListFilter):
    """Only the courses that have rows in this list, as a dropdown."""


class MomentSetFilter(RadioFilter):
    """Yes or no: whether the row has a moment in `field` (completed, hidden...)."""

    field: str
    options: tuple

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset


class CompletedFilter(MomentSetFilter):
    title = _("completion")
    parameter_name = "completed"
    field = "completed_at"
    options = (("yes", _("Completed")), ("no", _("Not completed")))


class RatingFilter(RadioFilter):
    title = _("rating")
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [(str(stars), "★" * stars) for stars in range(5, 0, -1)]

    def queryset(self, request, queryset):
        if self.value() in {"1", "2", "3", "4", "5"}:
            return queryset.filter(rating=self.value())
        return queryset


class HiddenFilter(MomentSetFilter):
    title = _("visibility")
    parameter_name = "hidden"
    field = "hidden_at"
    options = (("yes", _("Hidden")), ("no", _("Shown")))


def confirmation(title, description, submit):
    return {
        "title": title,
        "description": description,
        "form_class": BaseDialogForm,
        "form_submit_text": submit,
    }


class LearningAdmin(RecordAdmin):
    list_filter_submit = True

    def has_manage_learning_permission(self, request, obj=None):
        return is_role_admin(request)


class OfCourse:
    """The course column of rows that name their course (select_related course)."""

    @display(description=_("Course"), ordering="course__title")
    def course_title(self, obj):
        return obj.course.title


class OfEnrollment:
    """Columns for rows that hang off an enrolment (select_related enrollment__student, __course)."""

    @display(description=_("Student"), ordering="enrollment__student__email")
    def student(self, obj):
        return obj.enrollment.student

    @display(description=_("Course"), ordering="enrollment__course__title")
    def course_title(self, obj):
        return obj.enrollment.course.title


def _in_course(enrollment):
    return f"{enrollment.student} / {enrollment.course.title}"


def _revocation_summary(enrollments) -> str:
    courses = len({enrollment.course_id for enrollment in enrollments})
    return _("%(enrolments)s of %(people)s in %(courses)s will be revoked.") % {
        "enrolments": ngettext("%(count)d enrolment", "%(count)d enrolments", len(enrollments))
        % {"count": len(enrollments)},
        "people": people(len({enrollment.student_id for enrollment in enrollments})),
        "courses": ngettext("%(count)d course", "%(count)d courses", courses) % {"count": courses},
    }


def _review_deletion_summary(reviews) -> str:
    return _("%(reviews)s by %(people)s will be deleted.") % {
        "reviews": ngettext("%(count)d review", "%(count)d reviews", len(reviews)) % {"count": len(reviews)},
        "people": people(len({review.student_id for review in reviews})),
    }


REVOCATION = Confirmation(
    title=_("Revoke enrolment"),
    description=_(
        "Each student's progress in the course is deleted and the course leaves their learning. "
        "An enrolment with a certificate cannot be revoked."
    ),
    summarise=_revocation_summary,
    describe=_in_course,
)
REVIEW_DELETION = Confirmation(
    title=_("Delete reviews"),
    description=_(
        "Deleting cannot be undone; hiding a review keeps it. The courses' ratings are recomputed."
    ),
    summarise=_review_deletion_summary,
    describe=lambda review: f"{review.student} / {review.course.title}: {'★' * review.rating}",
)


@admin.register(Enrollment)
class EnrollmentAdmin(OfCourse, LearningAdmin, ServiceImportExportAdmin):
    """Who studies what. Granted here or by import (paid courses too), revoked here; never edited."""

    resource_classes = [EnrollmentResource]
    import_resource_class = EnrollmentImportResource  # grants, paid courses included

    list_display = (
        "student",
        "course_title",
        "progress",
        "source_badge",
        "enrolled_at",
        "completed_at",
        "certificate_link",
    )
    list_filter = (("course", CourseFilter), ("source", ChoicesDropdownFilter), CompletedFilter)
    list_select_related = ("student", "course", "certificate")
    search_fields = ("student__email", "course__title")
    date_hierarchy = "enrolled_at"
    fields = (
        "student",
        "course",
        "source",
        "granted_by",
        "progress",
        "enrolled_at",
        "last_accessed_at",
        "completed_at",
        "certificate_link",
    )
    readonly_fields = ("progress", "certificate_link")
    actions = ["revoke"]
    actions_list = ["grant"]
    actions_detail = ["revoke_detail"]

    @display(description=_("Progress"), ordering="progress_percentage")
    def progress(self, obj):
        value = f"{obj.progress_percentage.normalize():f}"
        return render_to_string(
            "unfold/components/progress.html", {"value": value, "description": f"{value}%"}
        )

    @display(description=_("Source"), ordering="source", label=SOURCE_COLOURS)
    def source_badge(self, obj):
        return obj.source, obj.get_source_display()

    @display(description=_("Certificate"))
    def certificate_link(self, obj):
        certificate = getattr(obj, "certificate", None)
        if certificate is None:
            return None
        return admin_link(
            reverse("admin:learners_certificate_change", args=[certificate.pk]), certificate.code
        )

    # Granting, for one student or many, in a dialog on the list.

    @action(
        description=_("Grant enrolment"),
        permissions=["manage_learning"],
        icon="person_add",
        url_path="grant",
        dialog={
            "title": _("Grant enrolment"),
            "description": _(
                "Paid courses too, and full or closed ones: an admin's grant is not refused for those."
            ),
            "form_class": GrantForm,
            "form_submit_text": _("Grant"),
        },
    )
    def grant(self, request, form):
        course = form.cleaned_data["course"]

        def enrol(student):
            services.enrollment_create(
                student=student, course=course, granted_by=request.user, source=Enrollment.Source.ADMIN
            )

        if count := apply_all(self, request, form.cleaned_data["students"], enrol):
            message = ngettext(
                "%(count)d student enrolled in “%(course)s”.",
                "%(count)d students enrolled in “%(course)s”.",
                count,
            )
            self.message_user(request, message % {"count": count, "course": course.title}, messages.SUCCESS)
        return back_to("admin:learners_enrollment_changelist")

    # Revoking: the selected enrolments, or one from its page.

    @action(description=_("Revoke enrolment"), permissions=["manage_learning"], icon="person_remove")
    def revoke(self, request, queryset):
        enrollments = list(queryset)
        _data, page = REVOCATION.ask(self, request, enrollments)
        if page is None:
            self._revoke(request, enrollments)
        return page

    @action(
        description=_("Revoke"),
        permissions=["manage_learning"],
        icon="person_remove",
        url_path="revoke",
        dialog=confirmation(
            _("Revoke this enrolment"),
            _("The student's progress in the course is deleted; an enrolment with a certificate stays."),
            _("Revoke"),
        ),
    )
    def revoke_detail(self, request, form, object_id):
        if self._revoke(request, [get_or_404(self, request, object_id)]):
            return back_to("admin:learners_enrollment_changelist")
        return back_to("admin:learners_enrollment_change", object_id)

    def _revoke(self, request, enrollments) -> int:
        def revoke(enrollment):
            services.enrollment_delete(enrollment=enrollment, user=request.user)

        if count := apply_all(self, request, enrollments, revoke, label=_in_course):
            message = ngettext("%(count)d enrolment revoked.", "%(count)d enrolments revoked.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        return count


@admin.register(Review)
class ReviewAdmin(OfCourse, LearningAdmin, ServiceImportExportAdmin):
    """Moderation hides a review (or shows it again) or deletes it, through the services, which keep the
    course's rating right."""

    resource_classes = [ReviewResource]
    import_resource_class = ReviewImportResource  # through the review services, enrolled students only

    list_display = ("course_title", "student", "stars", "comment_start", "visibility", "created_at")
    list_filter = (("course", CourseFilter), RatingFilter, HiddenFilter)
    list_select_related = ("student", "course")
    search_fields = ("student__email", "course__title", "comment")
    fields = ("course", "student", "rating", "comment", "hidden_at", "created_at", "updated_at")
    actions = ["hide_reviews", "show_reviews", "delete_reviews"]
    actions_detail = ["delete_detail"]

    @display(description=_("Rating"), ordering="rating")
    def stars(self, obj):
        return format_html(
            '<span title="{}">{}</span>', obj.rating, "★" * obj.rating + "☆" * (5 - obj.rating)
        )

    @display(description=_("Comment"))
    def comment_start(self, obj):
        return Truncator(obj.comment).chars(80)

    @display(description=_("Visibility"), ordering="hidden_at", label={True: "warning", False: "success"})
    def visibility(self, obj):
        return obj.is_hidden, _("Hidden") if obj.is_hidden else _("Shown")

    @action(description=_("Hide reviews"), permissions=["manage_learning"], icon="visibility_off")
    def hide_reviews(self, request, queryset):
        self._set_hidden(request, queryset, hidden=True)

    @action(description=_("Show reviews again"), permissions=["manage_learning"], icon="visibility")
    def show_reviews(self, request, queryset):
        self._set_hidden(request, queryset, hidden=False)

    def _set_hidden(self, request, reviews, *, hidden: bool) -> None:
        def set_hidden(review):
            services.review_set_hidden(review=review, user=request.user, hidden=hidden)

        if count := apply_all(self, request, reviews, set_hidden):
            if hidden:
                message = ngettext("%(count)d review hidden.", "%(count)d reviews hidden.", count)
            else:
                message = ngettext("%(count)d review shown again.", "%(count)d reviews shown again.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @action(description=_("Delete reviews"), permissions=["manage_learning"], icon="delete")
    def delete_reviews(self, request, queryset):
        reviews = list(queryset)
        _data, page = REVIEW_DELETION.ask(self, request, reviews)
        if page is None:
            self._delete(request, reviews)
        return page

    @action(
        description=_("Delete"),
        permissions=["manage_learning"],
        icon="delete",
        url_path="delete-review",
        dialog=confirmation(
            _("Delete this review"), _("The course's rating is recomputed without it."), _("Delete")
        ),
    )
    def delete_detail(self, request, form, object_id):
        if self._delete(request, [get_or_404(self, request, object_id)]):
            return back_to("admin:learners_review_changelist")
        return back_to("admin:learners_review_change", object_id)

    def _delete(self, request, reviews) -> int:
        def delete(review):
            services.review_delete(review=review, user=request.user)

        if count := apply_all(self, request, reviews, delete):
            message = ngettext("%(count)d review deleted.", "%(count)d reviews deleted.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        return count


@admin.register(Certificate)
class CertificateAdmin(OfEnrollment, LearningAdmin, ServiceImportExportAdmin):
    """Issued by the services when a course is completed; the PDF can be rendered again from here."""

    resource_classes = [CertificateResource]

    list_display = (
        "code",
        "holder_name",
        "student",
        "course_title",
        "issued_at",
        "pdf_link",
        "verification_link",
    )
    list_filter = (("enrollment__course", CourseFilter),)
    list_select_related = ("enrollment__student", "enrollment__course")
    search_fields = ("code", "holder_name", "enrollment__student__email", "enrollment__course__title")
    date_hierarchy = "issued_at"
    fields = ("code", "holder_name", "student", "course_title", "issued_at", "pdf_link", "verification_link")
    readonly_fields = ("student", "course_title", "pdf_link", "verification_link")
    actions = ["rerender"]
    actions_detail = ["rerender_detail"]

    @display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return _("Being rendered")
        return admin_link(reverse("learners:certificate_pdf", args=[obj.code]), _("Download"))

    @display(description=_("Verification page"))
    def verification_link(self, obj):
        return admin_link(reverse("learners:certificate_verify", args=[obj.code]), _("Open"))

    @action(description=_("Re-render PDF"), permissions=["manage_learning"], icon="picture_as_pdf")
    def rerender(self, request, queryset):
        self._rerender(request, queryset.values_list("pk", flat=True))

    @action(
        description=_("Re-render PDF"),
        permissions=["manage_learning"],
        icon="picture_as_pdf",
        url_path="rerender",
        dialog=confirmation(
            _("Re-render the PDF"),
            _("A worker draws the certificate again: the name it was issued in, the course's current title."),
            _("Re-render"),
        ),
    )
    def rerender_detail(self, request, form, object_id):
        self._rerender(request, [get_or_404(self, request, object_id).pk])
        return back_to("admin:learners_certificate_change", object_id)

    def has_import_permission(self, request):
        """Only completing a course issues a certificate; a file of them would be forged ones."""
        return False

    def _rerender(self, request, certificate_ids):
        certificate_ids = list(certificate_ids)
        for certificate_id in certificate_ids:
            enqueue(render_certificate, str(certificate_id))
        message = ngettext(
            "The PDF of %(count)d certificate is being rendered again.",
            "The PDFs of %(count)d certificates are being rendered again.",
            len(certificate_ids),
        )
        self.message_user(request, message % {"count": len(certificate_ids)}, messages.SUCCESS)


@admin.register(LessonProgress)
class LessonProgressAdmin(OfEnrollment, LearningAdmin, ServiceImportExportAdmin):
    """Written by the lesson player's services; the import completes or starts lessons through them."""

    resource_classes = [LessonProgressResource]
    import_resource_class = LessonProgressImportResource
    list_display = (
        "student",
        "course_title",
        "lesson",
        "status_badge",
        "position_seconds",
        "completed_at",
        "last_accessed_at",
    )
    list_filter = (("enrollment__course", CourseFilter), ("status", ChoicesDropdownFilter))
    list_select_related = ("enrollment__student", "enrollment__course", "lesson")
    search_fields = ("enrollment__student__email", "lesson__title")

    @display(description=_("Status"), ordering="status", label=PROGRESS_COLOURS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()


@admin.register(QuizAttempt)
class QuizAttemptAdmin(OfEnrollment, LearningAdmin):
    list_display = ("student", "course_title", "lesson", "score", "passed", "created_at")
    list_filter = (("enrollment__course", CourseFilter), ("passed", BooleanRadioFilter))
    list_select_related = ("enrollment__student", "enrollment__course", "lesson")
    search_fields = ("enrollment__student__email", "lesson__title")
    date_hierarchy = "created_at"


@admin.register(Submission)
class SubmissionAdmin(OfEnrollment, LearningAdmin):
    """Handed-in work: listed, read (files through the view that checks who asks) and graded through the
    grading service, as the course's instructor grades it in the CMS."""

    list_display = (
        "student",
        "course_title",
        "lesson",
        "number",
        "status_badge",
        "is_late",
        "submitted_at",
        "graded_at",
    )
    list_filter = (
        ("enrollment__course", CourseFilter),
        ("status", ChoicesDropdownFilter),
        ("is_late", BooleanRadioFilter),
    )
    list_select_related = ("enrollment__student", "enrollment__course", "lesson")
    search_fields = ("enrollment__student__email", "lesson__title")
    date_hierarchy = "submitted_at"
    fields = (
        "student",
        "course_title",
        "lesson",
        "number",
        "status_badge",
        "is_late",
        "submitted_at",
        "work",
        "points",
        "max_points",
        "feedback",
        "graded_by",
        "graded_at",
    )
    readonly_fields = ("student", "course_title", "status_badge", "work")
    actions_detail = ["grade"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @display(description=_("Status"), ordering="status", label=SUBMISSION_COLOURS)
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=_("Work"))
    def work(self, obj):
        """The text was sanitised when it was handed in; the template escapes the rest."""
        return render_to_string("learners/includes/work.html", {"submission": obj})

    @action(
        description=_("Grade"),
        permissions=["grade"],
        icon="grading",
        url_path="grade",
        dialog={
            "title": _("Grade this work"),
            "description": _(
                "The student is emailed the grade and your feedback; a pass completes the lesson."
            ),
            "form_class": GradeDialogForm,
            "form_submit_text": _("Save the grade"),
        },
    )
    def grade(self, request, form, object_id):
        submission = get_or_404(self, request, object_id)
        if apply_all(
            self,
            request,
            [submission],
            lambda each: services.submission_grade(submission=each, grader=request.user, **form.grade()),
        ):
            self.message_user(request, _("Graded; the student is told by email."), messages.SUCCESS)
        return back_to("admin:learners_submission_change", object_id)

    def has_grade_permission(self, request, object_id=None):
        return is_role_admin(request)
