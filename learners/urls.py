from django.urls import path

from . import site_views

app_name = "learners"
urlpatterns = [
    path("learning/", site_views.dashboard, name="dashboard"),
    path("learning/courses/<id:course_id>/enrol/", site_views.enrol, name="enrol"),
    path("learning/courses/<id:course_id>/leave/", site_views.leave, name="leave"),
    path("learning/courses/<id:course_id>/review/", site_views.review, name="review"),
    path("learning/courses/<id:course_id>/review/delete/", site_views.review_delete, name="review_delete"),
    path("learning/lessons/<id:lesson_id>/complete/", site_views.complete, name="complete"),
    path("learning/lessons/<id:lesson_id>/quiz/", site_views.quiz, name="quiz"),
    path("learning/certificates/name/", site_views.certificate_name, name="certificate_name"),
    path("learning/lessons/<id:lesson_id>/hand-in/", site_views.hand_in, name="hand_in"),
    path("learning/files/<uuid:file_id>/", site_views.submission_file, name="submission_file"),
    path("certificates/<str:code>/", site_views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", site_views.certificate_pdf, name="certificate_pdf"),
]
