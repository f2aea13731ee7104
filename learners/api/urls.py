from django.urls import path
from rest_framework.routers import SimpleRouter

from . import analytics, assignments, views

# Path converters (not regexes) so that ids are typed in the URLconf and in the schema.
router = SimpleRouter(use_regex_path=False)
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("certificates", views.CertificateViewSet, basename="certificate")

# courses/<id>/... and lessons/<id>/... sit beside catalog's routes for the same pages, which
# have no enroll, reviews, gradebook, progress, complete, quiz-attempts or submissions of their own.
urlpatterns = [
    path("courses/<id:course_id>/enroll/", views.CourseEnrollView.as_view(), name="course-enroll"),
    path("courses/<id:course_id>/reviews/", views.CourseReviewsView.as_view(), name="course-reviews"),
    path("reviews/<uuid:pk>/", views.ReviewView.as_view(), name="review-detail"),
    path("lessons/<id:lesson_id>/progress/", views.LessonProgressView.as_view(), name="lesson-progress"),
    path("lessons/<id:lesson_id>/complete/", views.LessonCompleteView.as_view(), name="lesson-complete"),
    path(
        "lessons/<id:lesson_id>/quiz-attempts/", views.QuizAttemptView.as_view(), name="lesson-quiz-attempts"
    ),
    path(
        "lessons/<id:lesson_id>/submissions/",
        assignments.LessonSubmissionsView.as_view(),
        name="lesson-submissions",
    ),
    path("submissions/<uuid:pk>/", assignments.SubmissionView.as_view(), name="submission-detail"),
    path("submissions/<uuid:pk>/grade/", assignments.SubmissionGradeView.as_view(), name="submission-grade"),
    path(
        "courses/<id:course_id>/gradebook/",
        assignments.CourseGradebookView.as_view(),
        name="course-gradebook",
    ),
    path("analytics/instructor/", analytics.InstructorAnalyticsView.as_view(), name="analytics-instructor"),
    path("analytics/admin/", analytics.AdminAnalyticsView.as_view(), name="analytics-admin"),
    *router.urls,
]
