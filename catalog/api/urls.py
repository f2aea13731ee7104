from rest_framework.routers import SimpleRouter

from . import views

# Path converters (not regexes) so that ids are typed in the URLconf and in the schema.
router = SimpleRouter(use_regex_path=False)
router.register("categories", views.CategoryViewSet, basename="category")
router.register("courses", views.CourseViewSet, basename="course")
router.register("courses/<id:course_pk>/sections", views.SectionViewSet, basename="course-section")
router.register(
    "courses/<id:course_pk>/sections/<id:section_pk>/lessons",
    views.SectionLessonViewSet,
    basename="course-lesson",
)
router.register("lessons", views.LessonViewSet, basename="lesson")

urlpatterns = router.urls
