"""Catalog search: PostgreSQL full text over a course's own text, with a plain fallback elsewhere.

Each course's lifecycle row keeps a `search_vector` (title weighted above subtitle, above
description) under a GIN index, so a search reads the index and the matching courses only, never the
section and lesson pages that share Wagtail's page table. The vector is rewritten whenever the course's
page row is saved (creation, publication, a CMS or API edit), in the same transaction. Words typed
are reduced to letters and digits and each matches as a prefix, so no input can break the query.
On SQLite (development) the same words are looked for with `icontains` in the course's fields.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, Value

SEARCH_CONFIG = "english"
MAX_WORDS = 8  # more words only narrow an AND query further, at a cost
WORD = re.compile(r"[^\W_]+")
WEIGHTS = (("title", "A"), ("subtitle", "B"), ("description", "C"))
VECTOR = F("lifecycle__search_vector")


def full_text() -> bool:
    return connection.vendor == "postgresql"


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def course_vector(course) -> SearchVector:
    """The course's text as stored: built from its values, since its title lives in another table."""
    parts = [
        SearchVector(Value(getattr(course, name) or ""), weight=weight, config=SEARCH_CONFIG)
        for name, weight in WEIGHTS
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def refresh_course_vector(course) -> None:
    """Rewrite the course's search vector from its page row's values (PostgreSQL only)."""
    from .models import CourseLifecycle

    if full_text():
        CourseLifecycle.objects.filter(course_id=course.pk).update(search_vector=course_vector(course))


# Every course's vector at once, as `course_vector` builds one: for the migration that added it and for
# data written in bulk (learners.scale), which bypasses CoursePage.save.
REFRESH_ALL = """
UPDATE catalog_courselifecycle AS lifecycle
SET search_vector =
    setweight(to_tsvector('english', coalesce(page.title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(course.subtitle, '')), 'B')
    || setweight(to_tsvector('english', coalesce(course.description, '')), 'C')
FROM catalog_coursepage AS course
JOIN wagtailcore_page AS page ON page.id = course.page_ptr_id
WHERE lifecycle.course_id = course.page_ptr_id
"""


def refresh_all_course_vectors() -> None:
    if full_text():
        with connection.cursor() as cursor:
            cursor.execute(REFRESH_ALL)


def search_courses(courses, text: str):
    """`courses` matching every word of `text` (as a word prefix), annotated with `search_rank`
    (PostgreSQL) for ordering by relevance; none when `text` holds no word."""
    words = words_of(text)
    if not words:
        return courses.none()
    if not full_text():
        for word in words:
            courses = courses.filter(
                Q(title__icontains=word) | Q(subtitle__icontains=word) | Q(description__icontains=word)
            )
        return courses
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)
    return courses.filter(lifecycle__search_vector=query).annotate(search_rank=SearchRank(VECTOR, query))
