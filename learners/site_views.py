"""The learner's pages outside the page tree: "My learning", enrolling, studying, reviews, certificates.

Like the API, they only translate HTTP to learners.services. A refusal is shown as a message on the
page the form came from; a missing course or lesson is a 404 and someone else's business a 403.
"""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import AuthenticationFailed

from catalog.models import CoursePage, LessonPage
from lms_site import services as people_services
from lms_site.api.authentication import BearerJWTAuthentication
from lms_site.errors import DomainError, NotAllowed, NotFound
from lms_site.forms import NameForm

from . import selectors, services
from .forms import ReviewForm, SubmissionForm, answers_from_form
from .gradebook import grades_of
from .models import Certificate, SubmissionFile


def _certificate(code: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("enrollment__course__owner"),
        code=code.upper(),
    )


def certificate_verify(request, code):
    """Public: anyone holding the code (printed on the certificate, in its QR code) can check it. Its
    holder, if it was issued without a name, is asked for one here."""
    certificate = _certificate(code)
    is_holder = request.user.is_authenticated and certificate.enrollment.student_id == request.user.pk
    context = {"certificate": certificate}
    if is_holder and not certificate.holder_name:
        context["name_form"] = _name_form(request.user)
    return render(request, "learners/certificate_verify.html", context)


def _name_form(user) -> NameForm:
    return NameForm(initial={"first_name": user.first_name, "last_name": user.last_name})


@require_POST
@login_required
def certificate_name(request):
    """The learner gives their name through the profile service, which names their certificates issued
    without one (learners.services.certificate_holder_names_fill) and has their PDFs drawn again."""
    form = NameForm(request.POST)
    if not form.is_valid():
        _show_errors(request, form)
    elif _run(request, people_services.user_update_profile, user=request.user, **form.cleaned_data)[0]:
        messages.success(
            request, _("Thank you. Your certificates carry your name now; their PDFs are being redrawn.")
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("learners:dashboard")


def _show_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def certificate_pdf(request, code):
    certificate = _certificate(code)
    if not certificate.pdf:
        raise Http404  # still being rendered by the worker
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


@login_required
def dashboard(request):
    """The student's courses with progress, where to carry on, certificates, and their grades."""
    studies = selectors.dashboard(request.user)
    grades = grades_of({study.enrollment.pk: study.lessons for study in studies})
    studies = [replace(study, grades=grades[study.enrollment.pk]) for study in studies]
    completed = [study for study in studies if study.enrollment.completed_at is not None]
    certificates = (getattr(study.enrollment, "certificate", None) for study in completed)
    unnamed = any(certificate is not None and not certificate.holder_name for certificate in certificates)
    return render(
        request,
        "learners/dashboard.html",
        {
            "studying": [study for study in studies if study.enrollment.completed_at is None],
            "completed": completed,
            "name_form": _name_form(request.user) if unnamed else None,
        },
    )


def _run(request, service, **kwargs) -> tuple[bool, object]:
    """Call a service: (True, what it returned), or (False, None) with its refusal shown as a message."""
    try:
        return True, service(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.full_message())
        return False, None


def _course(course_id) -> CoursePage:
    return get_object_or_404(CoursePage.objects.select_related("lifecycle", "owner"), pk=course_id)


def _lesson(lesson_id) -> LessonPage:
    return get_object_or_404(LessonPage, pk=lesson_id)


def _page_url(page) -> str:
    return page.url or reverse("learners:dashboard")


@require_POST
@login_required
def enrol(request, course_id):
    course = _course(course_id)
    if _run(request, services.enrollment_create, student=request.user, course=course)[0]:
        messages.success(request, _("You are enrolled. Welcome to “%(course)s”!") % {"course": course.title})
    return redirect(_page_url(course))


@require_POST
@login_required
def leave(request, course_id):
    course = _course(course_id)
    enrollment = selectors.enrollment_of(request.user, course)
    if enrollment is None:
        raise Http404
    if _run(request, services.enrollment_delete, enrollment=enrollment, user=request.user)[0]:
        messages.success(request, _("You left “%(course)s”.") % {"course": course.title})
        return redirect("learners:dashboard")
    return redirect(_page_url(course))


@require_POST
@login_required
def complete(request, lesson_id):
    """Mark the lesson done and go on to the next one, or back to the course once it is complete."""
    lesson = _lesson(lesson_id)
    completed, enrollment = _run(request, services.lesson_complete, student=request.user, lesson=lesson)
    if not completed:
        return redirect(_page_url(lesson))
    return _after_completion(request, lesson, enrollment)


def _after_completion(request, lesson: LessonPage, enrollment):
    if enrollment.completed_at is not None:
        messages.success(
            request,
            _("You completed “%(course)s”. Your certificate is ready in My learning.")
            % {"course": lesson.course.title},
        )
        return redirect(_page_url(lesson.course))
    study = selectors.study_of(enrollment)
    messages.success(
        request,
        _("“%(lesson)s” is complete. Course progress: %(progress)s%%.")
        % {"lesson": lesson.title, "progress": f"{enrollment.progress_percentage.normalize():f}"},
    )
    next_lesson = study.next_lesson
    return redirect(_page_url(next_lesson or lesson.course))


@require_POST
@login_required
def quiz(request, lesson_id):
    """Grade the answers; the lesson page then shows the result of this attempt, question by question."""
    lesson = _lesson(lesson_id)
    if lesson.quiz is None:
        raise Http404
    answers = answers_from_form(lesson.quiz, request.POST)
    submitted, graded = _run(
        request, services.quiz_attempt_submit, student=request.user, lesson=lesson, answers=answers
    )
    if submitted:
        attempt, _results = graded
        score = f"{attempt.score.normalize():f}"
        if attempt.passed:
            messages.success(request, _("You scored %(score)s%% and passed.") % {"score": score})
        else:
            messages.warning(
                request,
                _("You scored %(score)s%%; %(mark)s%% passes. Have another go.")
                % {"score": score, "mark": lesson.quiz["pass_mark"]},
            )
    return redirect(f"{_page_url(lesson)}#quiz")


@require_POST
@login_required
def review(request, course_id):
    """Write the student's review of the course, or change it if they have one."""
    course = _course(course_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _show_errors(request, form)
        return redirect(f"{_page_url(course)}#reviews")
    mine = course.reviews.filter(student=request.user).first()
    if mine is None:
        saved, _review = _run(
            request, services.review_create, student=request.user, course=course, **form.cleaned_data
        )
    else:
        saved, _review = _run(
            request, services.review_update, review=mine, user=request.user, **form.cleaned_data
        )
    if saved:
        messages.success(request, _("Thank you for your review."))
    return redirect(f"{_page_url(course)}#reviews")


@require_POST
@login_required
def review_delete(request, course_id):
    course = _course(course_id)
    mine = course.reviews.filter(student=request.user).first()
    if mine is None:
        raise Http404
    if _run(request, services.review_delete, review=mine, user=request.user)[0]:
        messages.success(request, _("Your review is deleted."))
    return redirect(f"{_page_url(course)}#reviews")


@require_POST
@login_required
def hand_in(request, lesson_id):
    """Hand in work on an assignment lesson; the lesson page then lists the attempt."""
    lesson = _lesson(lesson_id)
    rules = selectors.assignment_rules(lesson)
    if rules is None:
        raise Http404
    form = SubmissionForm(request.POST, request.FILES, rules=rules)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{_page_url(lesson)}#assignment")
    handed_in, result = _run(
        request, services.submission_create, student=request.user, lesson=lesson, **form.cleaned_data
    )
    if handed_in:
        _submission, is_new = result
        if is_new:
            messages.success(request, _("Your work is handed in. You will get an email once it is graded."))
        else:
            messages.info(request, _("This work was handed in already; it awaits a grade."))
    return redirect(f"{_page_url(lesson)}#assignment")


def _signed_in(request):
    """The person asking: by the site's session, or by an API client's bearer token."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = BearerJWTAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


@require_GET
@cache_control(private=True)
def submission_file(request, file_id):
    """A handed-in file, for its student, the course's instructor and admins; a 404 for anyone else, so
    not even its existence shows. Always a download, never shown in the site's own pages."""
    user = _signed_in(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    visible = SubmissionFile.objects.filter(submission__in=selectors.submissions_visible_to(user))
    stored = get_object_or_404(visible, pk=file_id)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
