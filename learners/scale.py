"""A large, realistic data set written in bulk (`manage.py seed_demo --scale N`), for load benchmarks.

For N = 100: 10,000 courses (each two sections of three lessons) by 500 instructors, 100,000 students
with two enrolments each, about a million lesson progress rows, reviews and certificates. Rows are
written with bulk inserts, the page tree with computed paths (treebeard's materialised paths), and every
counter (numchild, enrolments, completions, ratings) is computed from the rows it counts, so the data
reads exactly as the services would have left it. It is added once: a second run finds it and stops.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from catalog.demo import lessons_of_every_type
from catalog.models import (
    Category,
    CourseIndexPage,
    CourseLifecycle,
    CoursePage,
    CourseStats,
    CourseStatus,
    Difficulty,
    LessonPage,
    SectionPage,
)
from catalog.search import refresh_all_course_vectors
from lms_site.demo import DEMO_PASSWORD
from lms_site.models import ROLE_GROUPS, Role, User

from . import demo
from .models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review, new_certificate_code

BATCH = 5000
EMAIL_DOMAIN = "scale.example.com"
LESSON_TYPES = ("video", "text", "quiz")  # a resource lesson needs a document
WORDS = (
    "Python",
    "SQL",
    "Design",
    "Data",
    "Cloud",
    "Writing",
    "Marketing",
    "Photography",
    "Music",
    "Finance",
    "Leadership",
    "Security",
    "Networks",
    "Statistics",
    "Drawing",
    "Spanish",
    "Chemistry",
    "History",
)


@dataclass(frozen=True)
class Unit:
    """What one unit of --scale adds."""

    courses: int = 100
    instructors: int = 5
    students: int = 1000
    sections_per_course: int = 2
    lessons_per_section: int = 3
    enrolments_per_student: int = 2
    published_share: float = 0.9
    review_share: float = 0.25


def seed(*, scale: int, stdout, unit: Unit = Unit()) -> None:
    if User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
        stdout.write("  scale data is there already; nothing added")
        return
    rng = random.Random(scale)  # noqa: S311 - the same made-up data for the same scale, not a secret
    with transaction.atomic():
        instructors = _people(Role.INSTRUCTOR, unit.instructors * scale, stdout)
        students = _people(Role.STUDENT, unit.students * scale, stdout)
        templates = _lesson_templates()
        courses = _courses(unit, unit.courses * scale, instructors, templates, rng, stdout)
        quiz = next(template for template in templates if template.answers)
        _learning(unit, students, courses, quiz.answers, rng, stdout)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, for tables that just grew a hundredfold


def _report(stdout, what: str, count: int) -> None:
    stdout.write(f"  {count:>9,} {what}")


# People


def _people(role: str, count: int, stdout) -> list[User]:
    """Verified accounts sharing the demo password (hashed once) in their role's group."""
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{role}-{n}@{EMAIL_DOMAIN}",
                password=password,
                first_name=role.title(),
                last_name=str(n),
                role=role,
                is_staff=role == Role.ADMIN,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH,
    )
    group = Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH
    )
    _report(stdout, f"{role}s", len(users))
    return users


# The page tree


@dataclass
class Course:
    page: Page
    lessons: list[int]  # lesson ids in outline order
    status: str
    quizzes: set[int]  # its quiz lessons' ids


@dataclass(frozen=True)
class Lesson:
    """One of the demo's lessons, its body as stored (block ids given once, as a save in the CMS would),
    and for a quiz the answers that pass it."""

    fields: dict
    answers: dict | None


def _lesson_templates() -> list[Lesson]:
    stream = LessonPage._meta.get_field("body").stream_block
    templates = []
    for lesson in lessons_of_every_type(document_id=None):
        if lesson["lesson_type"] not in LESSON_TYPES:
            continue
        value = stream.to_python(lesson["body"])
        list(value)  # reading each block gives it and the blocks inside it their ids
        body = stream.get_prep_value(value)
        page = LessonPage(lesson_type=lesson["lesson_type"], body=body)
        templates.append(Lesson({**lesson, "body": body}, demo.quiz_answers(page) if page.quiz else None))
    return templates


def _courses(unit: Unit, count: int, instructors, templates: list[Lesson], rng, stdout) -> list[Course]:
    index = CourseIndexPage.objects.get()
    categories = list(Category.objects.all()) or [Category.objects.create(name="General", slug="general")]
    now = timezone.now()
    statuses = [
        CourseStatus.PUBLISHED if rng.random() < unit.published_share else CourseStatus.DRAFT
        for _ in range(count)
    ]
    course_pages = _pages(
        CoursePage,
        index,
        [
            {
                "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} in practice {n}",
                "slug": f"scale-course-{n}",
                "live": status == CourseStatus.PUBLISHED,
                "owner_id": instructors[n % len(instructors)].pk,
                "first_published_at": now if status == CourseStatus.PUBLISHED else None,
                "subtitle": "A course of the scale data set",
                "description": "Short lessons, a quiz in every section, and practice.",
                "category_id": rng.choice(categories).pk,
                "difficulty": rng.choice(Difficulty.values),
                "price": Decimal(0) if rng.random() < 0.7 else Decimal(rng.choice((19, 29, 49))),
                "estimated_duration_minutes": 90,
            }
            for n, status in enumerate(statuses)
        ],
    )
    _report(stdout, "courses", len(course_pages))
    sections = _pages(
        SectionPage,
        course_pages,
        [
            {
                "title": f"Part {s + 1}",
                "slug": f"part-{s + 1}",
                "live": course.live,
                "owner_id": course.owner_id,
            }
            for course in course_pages
            for s in range(unit.sections_per_course)
        ],
        per_parent=unit.sections_per_course,
    )
    lesson_rows = [
        {
            **templates[n % len(templates)].fields,
            "slug": f"lesson-{n + 1}",
            "live": section.live,
            "owner_id": section.owner_id,
            "is_preview": n == 0,
        }
        for section in sections
        for n in range(unit.lessons_per_section)
    ]
    lessons = _pages(LessonPage, sections, lesson_rows, per_parent=unit.lessons_per_section)
    _report(stdout, "sections and lessons", len(sections) + len(lessons))
    CourseLifecycle.objects.bulk_create(
        [
            CourseLifecycle(
                course_id=page.pk,
                status=status,
                published_at=now - timedelta(days=n % 365) if status == CourseStatus.PUBLISHED else None,
            )
            for n, (page, status) in enumerate(zip(course_pages, statuses, strict=True))
        ],
        batch_size=BATCH,
    )
    refresh_all_course_vectors()
    per_course = unit.sections_per_course * unit.lessons_per_section
    kinds = zip(lessons, (row["lesson_type"] for row in lesson_rows), strict=True)
    quizzes = {lesson.pk for lesson, kind in kinds if kind == "quiz"}
    return [
        Course(
            page,
            [lesson.pk for lesson in lessons[n * per_course : (n + 1) * per_course]],
            status,
            quizzes,
        )
        for n, (page, status) in enumerate(zip(course_pages, statuses, strict=True))
    ]


def _pages(model, parents, rows: list[dict], *, per_parent: int | None = None) -> list[Page]:
    """Pages of `model` under `parents` (one parent, or `per_parent` rows for each of a list), in order.

    The base rows go in with Page's bulk insert, then the model's own table with the same ids (Django's
    bulk_create does not do multi-table models), then each parent's numchild. Returns the base rows,
    which is all a child or an enrolment needs of them.
    """
    single = not isinstance(parents, list)
    content_type = ContentType.objects.get_for_model(model)
    own_fields = {field.attname for field in model._meta.local_concrete_fields} | {
        field.name for field in model._meta.local_concrete_fields
    }
    bases, own = [], []
    for n, row in enumerate(rows):
        parent = parents if single else parents[n // per_parent]
        position = (parent.numchild + n + 1) if single else (n % per_parent + 1)
        base = {key: value for key, value in row.items() if key not in own_fields}
        bases.append(
            Page(
                **base,
                draft_title=row["title"],
                path=model._get_path(parent.path, parent.depth + 1, position),
                depth=parent.depth + 1,
                numchild=0,
                content_type=content_type,
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                url_path=f"{parent.url_path}{row['slug']}/",
                last_published_at=base.get("first_published_at"),
                has_unpublished_changes=False,
            )
        )
        own.append({key: value for key, value in row.items() if key in own_fields})
    created = Page.objects.bulk_create(bases, batch_size=BATCH)
    own_rows = [model(page_ptr_id=base.pk, **fields) for base, fields in zip(created, own, strict=True)]
    for start in range(0, len(own_rows), BATCH):
        model._base_manager._insert(own_rows[start : start + BATCH], fields=model._meta.local_concrete_fields)
    if single:
        Page.objects.filter(pk=parents.pk).update(numchild=F("numchild") + len(created))
    else:
        Page.objects.filter(pk__in=[parent.pk for parent in parents]).update(numchild=per_parent)
    return created


# Learning


@dataclass
class Tally:
    """A course's counters, as the services keep them in CourseStats."""

    enrollment_count: int = 0
    completion_count: int = 0
    review_count: int = 0
    rating_total: int = 0

    def stats(self, course_id: int) -> CourseStats:
        average = self.rating_total / self.review_count if self.review_count else 0
        return CourseStats(
            course_id=course_id,
            enrollment_count=self.enrollment_count,
            completion_count=self.completion_count,
            review_count=self.review_count,
            rating_total=self.rating_total,
            average_rating=Decimal(average).quantize(Decimal("0.01")),
        )


@dataclass
class Rows:
    """Learning rows waiting for their bulk insert, written a batch of students at a time."""

    enrolments: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    written: dict = field(default_factory=lambda: {"enrolments": 0, "lesson progress rows": 0, "reviews": 0})

    def write(self) -> None:
        for model, rows in (
            (Enrollment, self.enrolments),
            (LessonProgress, self.progress),
            (Review, self.reviews),
            (Certificate, self.certificates),
            (QuizAttempt, self.attempts),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        self.written["enrolments"] += len(self.enrolments)
        self.written["lesson progress rows"] += len(self.progress)
        self.written["reviews"] += len(self.reviews)
        for rows in (self.enrolments, self.progress, self.reviews, self.certificates, self.attempts):
            rows.clear()


def _learning(unit: Unit, students, courses: list[Course], quiz_answers: dict, rng, stdout) -> None:
    """Enrolments in published courses at every stage, their progress, certificates and reviews."""
    published = [course for course in courses if course.status == CourseStatus.PUBLISHED]
    tallies = {course.page.pk: Tally() for course in courses}
    rows, now = Rows(), timezone.now()
    for student in students:
        for course in rng.sample(published, min(unit.enrolments_per_student, len(published))):
            _study(student, course, tallies[course.page.pk], rows, quiz_answers, rng=rng, now=now, unit=unit)
        if len(rows.progress) >= BATCH * 4:
            rows.write()
    rows.write()
    for what, count in rows.written.items():
        _report(stdout, what, count)
    CourseStats.objects.filter(course_id__in=tallies).delete()  # made empty with each course
    CourseStats.objects.bulk_create(
        [tally.stats(course_id) for course_id, tally in tallies.items()], batch_size=BATCH
    )


def _study(student, course: Course, tally: Tally, rows: Rows, quiz_answers, *, rng, now, unit: Unit) -> None:
    """One enrolment: at least half of the lessons done, some courses complete, some reviewed."""
    enrolled_at = now - timedelta(days=rng.randrange(90), minutes=rng.randrange(1440))
    last_seen = enrolled_at + timedelta(days=1)
    done = rng.randint(len(course.lessons) // 2, len(course.lessons))
    complete = done == len(course.lessons)
    enrolment = Enrollment(
        student=student,
        course_id=course.page.pk,
        enrolled_at=enrolled_at,
        last_accessed_at=last_seen,
        progress_percentage=(Decimal(100) * done / len(course.lessons)).quantize(Decimal("0.01")),
        completed_at=last_seen if complete else None,
    )
    rows.enrolments.append(enrolment)
    tally.enrollment_count += 1
    opened = course.lessons[: done + 1]  # the lessons done, and the one they are on
    for position, lesson_id in enumerate(opened):
        finished = position < done
        rows.progress.append(
            LessonProgress(
                enrollment=enrolment,
                lesson_id=lesson_id,
                status=LessonProgress.Status.COMPLETED if finished else LessonProgress.Status.IN_PROGRESS,
                completed_at=last_seen if finished else None,
                last_accessed_at=last_seen,
            )
        )
        if finished and lesson_id in course.quizzes:  # a quiz is complete once passed
            rows.attempts.append(
                QuizAttempt(
                    enrollment=enrolment,
                    lesson_id=lesson_id,
                    answers=quiz_answers,
                    score=100,
                    passed=True,
                    created_at=last_seen,
                )
            )
    if complete:
        tally.completion_count += 1
        rows.certificates.append(
            Certificate(
                enrollment=enrolment,
                code=new_certificate_code(),
                holder_name=student.full_name,
                issued_at=last_seen,
            )
        )
    if rng.random() < unit.review_share:
        rating = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 5, 6))[0]
        rows.reviews.append(
            Review(student=student, course_id=course.page.pk, rating=rating, comment="Useful.")
        )
        tally.review_count += 1
        tally.rating_total += rating
