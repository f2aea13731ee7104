from .categories import Category
from .lifecycle import CourseLifecycle, CourseStats, CourseStatus
from .pages import CourseIndexPage, CoursePage, Difficulty, LessonPage, LessonType, SectionPage
from .workflow import CourseReviewTask

__all__ = [
    "Category",
    "CourseIndexPage",
    "CourseLifecycle",
    "CoursePage",
    "CourseReviewTask",
    "CourseStats",
    "CourseStatus",
    "Difficulty",
    "LessonPage",
    "LessonType",
    "SectionPage",
]
