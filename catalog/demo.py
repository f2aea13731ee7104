"""Demo catalog: categories, and courses by two instructors in every status with lessons of every type.

Built through the services, as an instructor and an admin would, so the data obeys every rule.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from lms_site.links import absolute_url
from lms_site.models import User

from . import services
from .models import Category, CoursePage, CourseStatus

CATEGORIES = [
    ("Programming", "programming", "code", "Write software, from first scripts to production systems."),
    ("Data", "data", "analytics", "Ask questions of data and answer them with evidence."),
    ("Design", "design", "palette", "Make things people understand and enjoy using."),
    ("Communication", "communication", "campaign", "Speak, write and present with confidence."),
]

QUIZ = {
    "pass_mark": 50,
    "questions": [
        {
            "text": "Which of these is a Python list?",
            "multiple": False,
            "explanation": "Square brackets make a list; parentheses make a tuple.",
            "choices": [
                {"text": "[1, 2, 3]", "correct": True},
                {"text": "(1, 2, 3)", "correct": False},
                {"text": "{1, 2, 3}", "correct": False},
            ],
        },
        {
            "text": "Which values are falsy?",
            "multiple": True,
            "explanation": "Empty containers, zero and None are falsy.",
            "choices": [
                {"text": "0", "correct": True},
                {"text": "[]", "correct": True},
                {"text": "'False'", "correct": False},
            ],
        },
    ],
}


def demo_video_url() -> str:
    """A five-second clip in the repository, served with the static files: the demo plays offline.

    Its plain name, not the hashed one of the static manifest: the URL is stored in lesson content,
    so it must outlive releases, and seeding must work before `collectstatic` has run."""
    return absolute_url(f"{settings.STATIC_URL}catalog/demo/welcome.webm")


def lessons_of_every_type(document_id: int) -> list[dict]:
    """One lesson of every type."""
    return [
        {
            "title": "Welcome",
            "lesson_type": "video",
            "duration_minutes": 5,
            "is_preview": True,
            "body": [
                {
                    "type": "video",
                    "value": {"url": demo_video_url(), "caption": "Welcome"},
                },
                {"type": "text", "value": "<p>What you will build, and how the course works.</p>"},
            ],
        },
        {
            "title": "Core ideas",
            "lesson_type": "text",
            "duration_minutes": 15,
            "body": [
                {"type": "text", "value": "<h2>The ideas</h2><p>Read, then try each example yourself.</p>"}
            ],
        },
        {
            "title": "Check your understanding",
            "lesson_type": "quiz",
            "duration_minutes": 10,
            "body": [{"type": "quiz", "value": QUIZ}],
        },
        {
            "title": "Your first project",
            "lesson_type": "assignment",
            "duration_minutes": 60,
            "body": [
                {
                    "type": "assignment",
                    "value": {
                        "brief": "<p>Build a small tool that solves a problem you have.</p>",
                        "submission": "A link to your code and a paragraph on what you learned.",
                        "estimated_hours": "2.0",
                        "grading": "points",
                        "max_points": 10,
                        "pass_points": 6,
                        "max_attempts": 3,
                        "file_types": "pdf, txt, md, zip, py",
                        "max_file_size_mb": 5,
                    },
                }
            ],
        },
        {
            "title": "Cheat sheet",
            "lesson_type": "resource",
            "duration_minutes": 2,
            "body": [
                {"type": "resource", "value": {"document": document_id, "description": "Print it out."}}
            ],
        },
    ]


# (owner email, title, category slug, status, extra course fields)
COURSES = [
    (
        "instructor@example.com",
        "Python from zero",
        "programming",
        CourseStatus.PUBLISHED,
        {"is_sequential": True},
    ),
    ("instructor@example.com", "Data analysis with pandas", "data", CourseStatus.PENDING, {}),
    ("instructor@example.com", "Advanced SQL", "data", CourseStatus.REJECTED, {"difficulty": "advanced"}),
    ("instructor@example.com", "Web accessibility basics", "design", CourseStatus.DRAFT, {}),
    (
        "instructor2@example.com",
        "Photography fundamentals",
        "design",
        CourseStatus.PUBLISHED,
        {"price": Decimal("49.00"), "difficulty": "intermediate"},
    ),
    (
        "instructor2@example.com",
        "Public speaking",
        "communication",
        CourseStatus.PUBLISHED,
        {"enrollment_cap": 20},
    ),
    ("instructor2@example.com", "Brand design", "design", CourseStatus.APPROVED, {}),
]


def seed(stdout) -> None:
    categories = {}
    for name, slug, icon, description in CATEGORIES:
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "icon": icon, "description": description}
        )
    admin = User.objects.with_email("admin@example.com").get()
    for owner_email, title, category, status, extra in COURSES:
        if CoursePage.objects.filter(title=title).exists():
            continue
        owner = User.objects.with_email(owner_email).get()
        course = _author(owner, title, categories[category], extra)
        _bring_to(course, status, owner=owner, admin=admin)
        stdout.write(f"  {status} course '{title}' by {owner_email}")


def _author(owner, title, category, extra) -> CoursePage:
    course = services.course_create(
        user=owner,
        title=title,
        subtitle=f"A practical introduction to {title.lower()}",
        description=f"{title} in short lessons, a quiz and a project. No experience needed.",
        category=category,
        learning_outcomes="Understand the core ideas\nApply them in a project\nKnow where to go next",
        requirements="A computer and curiosity",
        estimated_duration_minutes=92,
        **extra,
    )
    document = Document.objects.create(
        title=f"{title} cheat sheet",
        file=ContentFile(b"Key ideas, one page.\n", name="cheat-sheet.txt"),
        collection=owner.library.collection,
        uploaded_by_user=owner,
    )
    for number in (1, 2):
        section = services.section_create(
            course=course, user=owner, title=f"Part {number}", description=f"Part {number} of {title}."
        )
        for lesson in lessons_of_every_type(document.pk):
            if number == 2:
                lesson = {**lesson, "title": f"{lesson['title']} ({number})", "is_preview": False}
                if lesson["lesson_type"] == "assignment":
                    lesson["body"] = [_due_a_week_ago(block) for block in lesson["body"]]
            services.lesson_create(section=section, course=course, user=owner, **lesson)
    return course


def _due_a_week_ago(block: dict) -> dict:
    """The second part's project was due a week before the demo was made: late work is taken, marked late."""
    due_at = (timezone.now() - timedelta(days=7)).replace(hour=17, minute=0, second=0, microsecond=0)
    return {**block, "value": {**block["value"], "due_at": due_at.isoformat(), "accept_late": True}}


def _bring_to(course, status, *, owner, admin) -> None:
    if status == CourseStatus.DRAFT:
        return
    services.course_submit(course=course, user=owner)
    if status == CourseStatus.REJECTED:
        services.course_reject(course=course, user=admin, reason="Please add exercises to every part.")
    elif status in (CourseStatus.APPROVED, CourseStatus.PUBLISHED):
        services.course_approve(course=course, user=admin)
        if status == CourseStatus.PUBLISHED:
            services.course_publish(course=course, user=admin)
