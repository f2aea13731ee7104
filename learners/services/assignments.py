"""Handed-in work: a student hands in text, a link and/or files; the course's instructor or an admin
grades it.

Locks are taken in one order, the enrolment first and then the attempt, so handing in and grading never
wait on each other in a circle. Under the enrolment's lock a double submit finds the attempt it just made
(same work, same fingerprint) and makes no second one, and a second grading finds the attempt graded. A
passing grade completes the lesson through the same step as "mark as complete", so progress, sequential
locks, the certificate and the figures follow.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import LessonPage
from lms_site.emails import send_templated_email
from lms_site.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from lms_site.models import User
from lms_site.rich_text import sanitise_html

from .. import selectors
from ..models import Enrollment, Submission, SubmissionFile
from .learning import _check_unlocked, _complete, _enrollment_for_lesson

MAX_FILES = 5
MAX_TEXT_LENGTH = 50_000
MAX_LINK_LENGTH = 500
MAX_FEEDBACK_LENGTH = 10_000
MAX_NAME_LENGTH = 200
MEGABYTE = 1024 * 1024
web_address = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to store: its name as the student gave it, size and digest."""

    file: File
    name: str
    size: int
    sha256: str


def _digest(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _file_name(file: File) -> str:
    """The last part of the name the client sent, without control characters."""
    name = PurePath(str(file.name or "").replace("\\", "/")).name
    return "".join(character for character in name if character.isprintable()).strip()


def _checked_uploads(files: Sequence[File], rules: selectors.AssignmentRules) -> list[Upload]:
    """Every file checked before any is stored: a refusal names each problem and stores nothing."""
    if not files:
        return []
    if not rules.file_types:
        raise ValidationFailed(
            details={"files": [_("This assignment takes no files: hand in text or a link.")]}
        )
    problems = []
    if len(files) > MAX_FILES:
        problems.append(
            ngettext("Hand in at most %(count)d file.", "Hand in at most %(count)d files.", MAX_FILES)
            % {"count": MAX_FILES}
        )
    uploads = []
    for file in files:
        name = _file_name(file)
        extension = PurePath(name).suffix.lstrip(".").lower()
        size = file.size or 0
        if not name or len(name) > MAX_NAME_LENGTH:
            problems.append(
                _("Every file needs a name of at most %(count)d characters.") % {"count": MAX_NAME_LENGTH}
            )
        elif extension not in rules.file_types:
            problems.append(
                _("“%(name)s” is not a file type this assignment takes (%(types)s).")
                % {"name": name, "types": ", ".join(rules.file_types)}
            )
        elif size > rules.max_file_bytes:
            problems.append(
                _("“%(name)s” is %(size)s MB; this assignment takes files up to %(limit)d MB.")
                % {
                    "name": name,
                    "size": formats.number_format(size / MEGABYTE, 1),
                    "limit": rules.max_file_size_mb,
                }
            )
        elif size == 0:
            problems.append(_("“%(name)s” is empty.") % {"name": name})
        else:
            uploads.append(Upload(file, name, size, _digest(file)))
    if problems:
        raise ValidationFailed(
            _("Some files cannot be handed in; nothing was handed in."), details={"files": problems}
        )
    return uploads


def _checked_text(text: str) -> str:
    if len(text or "") > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            details={"text": [_("Keep the text under %(count)d characters.") % {"count": MAX_TEXT_LENGTH}]}
        )
    return sanitise_html(text)


def _checked_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        if len(link) > MAX_LINK_LENGTH:
            raise ValidationError("too long")
        web_address(link)
    except ValidationError as error:
        raise ValidationFailed(
            details={
                "link": [
                    _("Give a web address (http or https) of at most %(count)d characters.")
                    % {"count": MAX_LINK_LENGTH}
                ]
            }
        ) from error
    return link


def _fingerprint(text: str, link: str, uploads: list[Upload]) -> str:
    """The same work handed in twice has the same fingerprint, whatever order the files came in."""
    parts = [text, link, *sorted(f"{upload.name}:{upload.sha256}" for upload in uploads)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _store(submission: Submission, uploads: list[Upload]) -> None:
    """Write the files; if one fails, remove those already written so nothing is left behind."""
    stored = []
    try:
        for upload in uploads:
            row = SubmissionFile(
                submission=submission, name=upload.name, size=upload.size, sha256=upload.sha256
            )
            row.file.save(upload.name, upload.file, save=False)
            stored.append(row.file.name)
            row.save()
    except Exception:
        for name in stored:
            SubmissionFile.file.field.storage.delete(name)
        raise


@transaction.atomic
def submission_create(
    *, student: User, lesson: LessonPage, text: str = "", link: str = "", files: Sequence[File] = ()
) -> tuple[Submission, bool]:
    """Hand in work on an assignment lesson: (the attempt, whether it is new).

    A new attempt replaces the one awaiting a grade (both are kept). The same work handed in again while
    it awaits a grade (a double submit) is the attempt already made, and `False` says so.
    """
    rules = selectors.assignment_rules(lesson)
    if rules is None:
        raise NotFound(_("This lesson takes no handed-in work."))
    text, link = _checked_text(text), _checked_link(link)
    uploads = _checked_uploads(files, rules)
    if not (text or link or uploads):
        raise ValidationFailed(_("Hand in some text, a link or a file."))
    enrollment, course = _enrollment_for_lesson(student, lesson)
    _check_unlocked(enrollment, course, lesson)
    attempts = list(Submission.objects.filter(enrollment=enrollment, lesson=lesson).order_by("number"))
    fingerprint = _fingerprint(text, link, uploads)
    latest = attempts[-1] if attempts else None
    if latest and latest.status == Submission.Status.SUBMITTED and latest.fingerprint == fingerprint:
        return latest, False
    now = timezone.now()
    if refusal := selectors.hand_in_refusal(attempts, rules, now):
        raise Conflict(refusal)
    if latest and latest.status == Submission.Status.SUBMITTED:
        latest.status = Submission.Status.SUPERSEDED
        latest.save(update_fields=["status"])
    submission = Submission.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        number=len(attempts) + 1,
        text=text,
        link=link,
        fingerprint=fingerprint,
        is_late=rules.is_late(now),
        submitted_at=now,
    )
    _store(submission, uploads)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_accessed_at=now)
    return submission, True


def _grade_values(rules: selectors.AssignmentRules | None, passed, points) -> tuple[bool, Decimal | None]:
    """(passed, points) from what the grader gave: a pass or fail, or points that pass from the pass mark."""
    if rules is not None and rules.by_points:
        if passed is not None:
            raise ValidationFailed(
                details={"passed": [_("This assignment is graded in points; give `points`.")]}
            )
        try:
            points = Decimal(str(points)) if points is not None else None
        except InvalidOperation:
            points = None
        if points is None or not points.is_finite() or not 0 <= points <= rules.max_points:
            raise ValidationFailed(
                details={"points": [_("Give points from 0 to %(max)d.") % {"max": rules.max_points}]}
            )
        return points >= rules.pass_points, points.quantize(Decimal("0.01"))
    if points is not None:
        raise ValidationFailed(
            details={"points": [_("This assignment is graded pass or fail; give `passed`.")]}
        )
    if not isinstance(passed, bool):
        raise ValidationFailed(details={"passed": [_("Say whether the work passes: true or false.")]})
    return passed, None


@transaction.atomic
def submission_grade(
    *, submission: Submission, grader: User, passed: bool | None = None, points=None, feedback: str = ""
) -> Submission:
    """Grade an attempt, once. A pass completes the lesson (and at 100% the course, with its certificate);
    a fail invites another attempt. The student is emailed either way."""
    lesson = submission.lesson
    course = lesson.course
    if not selectors.can_grade(grader, course):
        raise NotAllowed(_("Only the course's instructor and admins grade its students' work."))
    feedback = (feedback or "").strip()
    if len(feedback) > MAX_FEEDBACK_LENGTH:
        raise ValidationFailed(
            details={
                "feedback": [
                    _("Keep the feedback under %(count)d characters.") % {"count": MAX_FEEDBACK_LENGTH}
                ]
            }
        )
    rules = selectors.assignment_rules(lesson)
    passed, points = _grade_values(rules, passed, points)
    enrollment = Enrollment.objects.select_for_update().get(pk=submission.enrollment_id)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_graded:
        raise Conflict(_("This attempt is graded already."))
    if submission.status == Submission.Status.SUPERSEDED:
        raise Conflict(_("A later attempt replaced this one; grade that one."))
    submission.status = Submission.Status.PASSED if passed else Submission.Status.FAILED
    submission.points = points
    submission.max_points = rules.max_points if points is not None else None
    submission.feedback = feedback
    submission.graded_by, submission.graded_at = grader, timezone.now()
    submission.save(update_fields=["status", "points", "max_points", "feedback", "graded_by", "graded_at"])
    if passed:
        _complete(enrollment, course, lesson, check_lock=False)
    _tell_student(submission, enrollment)
    return submission


def _tell_student(submission: Submission, enrollment: Enrollment) -> None:
    student = enrollment.student
    send_templated_email(
        template_prefix="learners/email/submission_graded",
        to=[student.email],
        context={
            "student": student,
            "submission": submission,
            "lesson": submission.lesson,
            "course": enrollment.course,
            "lesson_url": settings.SITE_URL.rstrip("/")
            + (submission.lesson.url or reverse("learners:dashboard")),
        },
    )
