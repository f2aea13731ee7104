from .categories import Category
from .lifecycle import ChangeStatus, CourseLifecycle, CourseStats, CourseStatus
from .pages import CourseIndexPage, CoursePage, Difficulty, LessonPage, LessonType, SectionPage
from .workflow import CourseReviewTask

__all__ = [
    "Category",
    "ChangeStatus",
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
