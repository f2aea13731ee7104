"""Journeys through a real browser: what a student, an instructor and an admin click, end to end.

Setup data (the admin, a category, a published course) comes from the factories; every step of a
journey goes through Chromium against the live server, and checks what the person sees.
"""

import re

import pytest
from django.core import mail
from django.utils.text import slugify
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from catalog.models import CourseStatus
from catalog.tests.factories import CategoryFactory, course_in
from lms_site.tests.factories import PASSWORD, AdminFactory, InstructorFactory, StudentFactory, totp_code

from .. import services
from .factories import lessons_of, published_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_rows_restored"),
]

EMAILED_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def at(path: str) -> re.Pattern:
    """The live site's URL of `path`, for `expect(page).to_have_url`."""
    return re.compile(f"^http://[^/]+{re.escape(path)}$")


def expect_message(page: Page, text: str):
    expect(page.locator(".messages")).to_contain_text(text)


def enter_password(page: Page, email: str, *, then: str):
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_in(page: Page, email: str, *, then: str = "/"):
    enter_password(page, email, then=then)
    expect(page).to_have_url(at(then))


def log_in_as_admin(page: Page, admin, *, then: str = "/admin/"):
    """Admins have an authenticator app (lms_site.mfa): the password, then the code the app shows."""
    enter_password(page, admin.email, then=then)
    expect(page).to_have_url(at("/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(totp_code(admin))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(at(then))


# The student


def sign_up(page: Page, email: str, *, first_name: str, last_name: str):
    page.goto("/accounts/signup/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(at("/accounts/confirm-email/"))
    expect(page.locator("main")).to_contain_text(email)


def emailed_code(email: str) -> str:
    [message] = [message for message in mail.outbox if message.to == [email]]
    return EMAILED_CODE.search(message.body).group()


def verify_email(page: Page, email: str):
    page.get_by_label("Code").fill(emailed_code(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(at("/"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def enrol(page: Page, course_title: str):
    page.goto("/courses/")
    page.get_by_role("link", name=course_title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course_title)
    page.get_by_role("button", name="Enrol in this course").click()
    expect_message(page, f"You are enrolled. Welcome to “{course_title}”!")


def start_learning(page: Page, lesson_title: str):
    page.get_by_role("link", name="Start learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson_title)


def mark_as_complete(page: Page, lesson_title: str, progress: int):
    page.get_by_role("button", name="Mark as complete").click()
    expect_message(page, f"“{lesson_title}” is complete. Course progress: {progress}%.")


def pass_quiz(page: Page, answers: dict[str, str]):
    for question, answer in answers.items():
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect_message(page, "You scored 100% and passed.")
    expect(page.get_by_text("Right last time")).to_have_count(len(answers))


def download_certificate(page: Page, course_title: str) -> PdfReader:
    page.get_by_role("link", name="My learning").click()
    completed = page.get_by_role("region", name="Completed, with certificates")
    expect(completed).to_contain_text(course_title)
    with page.expect_download() as download:
        completed.get_by_role(
            "link", name=re.compile(f"^Download the PDF.*{re.escape(course_title)}")
        ).click()
    assert download.value.suggested_filename.endswith(".pdf")
    return PdfReader(download.value.path())


def test_student_signs_up_studies_a_course_and_downloads_the_certificate(people):
    admin = AdminFactory()
    course = published_course(admin=admin, lessons_per_section=2, lesson_types=("text", "quiz"))
    reading, quiz = (lesson.title for lesson in lessons_of(course))
    student = people["student"]

    sign_up(student, "newcomer@example.com", first_name="Nova", last_name="Learner")
    verify_email(student, "newcomer@example.com")
    enrol(student, course.title)
    start_learning(student, reading)
    mark_as_complete(student, reading, progress=50)
    expect(student.get_by_role("heading", level=1)).to_have_text(quiz)
    pass_quiz(student, {"2 + 2?": "4"})
    certificate = download_certificate(student, course.title)

    text = certificate.pages[0].extract_text()
    assert course.title in text and "Nova Learner" in text
    assert "newcomer" not in text


# The instructor


def request_instructor_role(page: Page):
    page.get_by_role("link", name="Teach").click()
    page.get_by_label("Why do you want to teach?").fill("I have taught chemistry for ten years.")
    page.get_by_role("button", name="Send request").click()
    expect_message(page, "Thank you. An admin will review your request and write to you.")
    expect(page.get_by_role("table")).to_contain_text("Pending")


def choose_row_action(page: Page, row_text: str, action: str):
    """Open the "..." menu at the end of an unfold list's row and pick `action`."""
    page.get_by_role("row").filter(has_text=row_text).locator(".field-actions_holder [x-ref]").click()
    # unfold opens the row's menu outside the table: the one visible menu is this row's
    page.get_by_role("link", name=re.compile(f"{action}$")).filter(visible=True).click()


def approve_instructor_request(page: Page, applicant: str):
    page.get_by_role("link", name="Instructor requests", exact=True).click()
    choose_row_action(page, applicant, "Approve")
    expect(page.get_by_text(f"({applicant})")).to_be_visible()
    page.get_by_label("Reason").fill("Welcome aboard.")
    page.get_by_role("button", name="Approve this request").click()
    expect(page).to_have_url(at("/admin/lms_site/instructorrequest/"))
    expect(page.get_by_text("Approved.", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=applicant)).to_contain_text("Approved")


def open_authoring_area(page: Page):
    """Where the "Teach" page sends someone who already has the role."""
    page.goto("/account/become-instructor/")
    expect(page.get_by_text("You already have the Instructor role")).to_be_visible()
    page.get_by_role("link", name="authoring area").click()
    expect(page).to_have_url(at("/cms/"))


def create_course(page: Page, *, title: str, description: str, category: str):
    page.get_by_role("link", name="Create a course").click()
    type_title(page, title)
    page.get_by_role("textbox", name="Description", exact=True).fill(description)
    page.get_by_role("combobox", name="Category", exact=True).select_option(label=category)
    save_draft(page, title)


def type_title(page: Page, title: str):
    """Typed key by key: Wagtail derives the page's slug from the title on each key press."""
    page.get_by_placeholder("Page title*").press_sequentially(title)
    expect(page.locator("#id_slug")).to_have_value(slugify(title))


def save_draft(page: Page, title: str):
    page.get_by_role("button", name="Save draft").click()
    expect_message(page, f"Page '{title}' created.")


def add_child_page(page: Page, parent_title: str):
    page.get_by_role("button", name="Toggle breadcrumbs").click()
    page.get_by_role("link", name=parent_title, exact=True).click()
    page.get_by_role("link", name="Add child page").click()


def add_section(page: Page, *, course: str, title: str):
    add_child_page(page, course)
    type_title(page, title)
    save_draft(page, title)


def add_text_lesson(page: Page, *, section: str, title: str, text: str):
    add_child_page(page, section)
    type_title(page, title)
    page.get_by_role("combobox", name=re.compile(r"^Type")).select_option(label="Text")
    page.get_by_title("Insert a block").first.click()
    page.get_by_role("listbox").get_by_role("option", name="Text").click()
    body = page.locator("[contenteditable=true]")  # the Draftail editor of the new text block
    body.press_sequentially(text)  # Draftail keeps its own state: it sees typing, not `fill`
    # and copies it into the form a moment later (debounced), as a person would wait before saving
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile(re.escape(text)))
    save_draft(page, title)
    expect(body).to_have_text(text)


def submit_for_moderation(page: Page, course: str):
    page.goto("/cms/")
    page.get_by_role("region", name="My courses", exact=True).get_by_role("link", name=course).click()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Course review").click()  # Wagtail's "Submit for moderation"
    expect_message(page, f"Page '{course}' has been submitted for moderation.")
    page.goto("/cms/")
    expect(page.get_by_role("region", name="My courses", exact=True)).to_contain_text("Pending review (1)")


def test_student_becomes_an_instructor_and_submits_a_course_for_review(people, settings):
    # The instructor saves each page: Wagtail's autosave, which on a slow machine may create the page
    # first and turn "Save draft" on the create form into a duplicate, would make the outcome a race.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    admin = AdminFactory()
    applicant = StudentFactory()
    CategoryFactory(name="Chemistry")
    student, boss = people["student"], people["admin"]

    log_in(student, applicant.email)
    request_instructor_role(student)
    log_in_as_admin(boss, admin)
    approve_instructor_request(boss, applicant.email)
    instructor = student
    open_authoring_area(instructor)
    create_course(
        instructor, title="Kitchen chemistry", description="Acids, bases and cake.", category="Chemistry"
    )
    add_section(instructor, course="Kitchen chemistry", title="Acids")
    add_text_lesson(instructor, section="Acids", title="Lemon juice", text="Why lemons taste sour.")
    submit_for_moderation(instructor, "Kitchen chemistry")


# The admin


def approve_course(page: Page, course: str):
    page.get_by_role("link", name="Course reviews", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=course)).to_contain_text("Pending review")
    choose_row_action(page, course, "Approve")
    page.get_by_label("Reason").fill("Clear and well structured.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 course approved.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=course)).to_contain_text("Approved")


def publish_course(page: Page, course: str):
    choose_row_action(page, course, "Publish")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("1 course published.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=course)).to_contain_text("Published")


def find_in_catalog(page: Page, course: str, description: str):
    page.goto("/courses/")
    page.get_by_role("link", name=course).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course)
    expect(page.get_by_role("region", name="About this course")).to_contain_text(description)


def test_admin_approves_and_publishes_a_course_and_it_reaches_the_catalog(people):
    admin = AdminFactory()
    course = course_in(CourseStatus.PENDING, admin=admin, title="Kitchen chemistry")
    boss, visitor = people["admin"], people["visitor"]
    visitor.goto("/courses/")
    expect(visitor.get_by_role("main")).not_to_contain_text("Kitchen chemistry")

    log_in_as_admin(boss, admin)
    approve_course(boss, "Kitchen chemistry")
    publish_course(boss, "Kitchen chemistry")
    find_in_catalog(visitor, "Kitchen chemistry", course.description)


def change_live_course(page: Page, course: str, *, description: str):
    """The owner edits a published course in /cms/ and submits the change for review."""
    page.get_by_role("region", name="My courses", exact=True).get_by_role("link", name=course).click()
    page.get_by_role("textbox", name="Description", exact=True).fill(description)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Course review").click()
    expect_message(page, f"Page '{course}' has been submitted for moderation.")
    page.goto("/cms/")
    expect(page.get_by_role("region", name="My courses", exact=True)).to_contain_text("Change pending review")


def compare_and_approve_change(page: Page, course: str, *, old: str, new: str):
    """The admin opens Wagtail's comparison from Course reviews, then approves the change there."""
    page.get_by_role("link", name="Course reviews", exact=True).click()
    row = page.get_by_role("row").filter(has_text=course)
    expect(row).to_contain_text("Change pending review")
    row.get_by_role("link", name="Compare").click()
    expect(page.locator(".deletion")).to_contain_text([old])
    expect(page.locator(".addition")).to_contain_text([new])
    page.go_back()
    choose_row_action(page, course, "Approve")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 course approved.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=course)).not_to_contain_text("Change pending review")


def test_a_change_to_a_live_course_reaches_students_once_an_admin_approves_it(people):
    admin = AdminFactory()
    course = course_in(CourseStatus.PUBLISHED, admin=admin, title="Kitchen chemistry")
    old, new = course.description, "Sourdough starters, explained."
    instructor, boss, student = people["instructor"], people["admin"], people["student"]

    log_in(instructor, course.owner.email, then="/cms/")
    change_live_course(instructor, "Kitchen chemistry", description=new)
    find_in_catalog(student, "Kitchen chemistry", old)
    log_in_as_admin(boss, admin)
    compare_and_approve_change(boss, "Kitchen chemistry", old=old, new=new)
    find_in_catalog(student, "Kitchen chemistry", new)


# Handed-in work


def hand_in(page: Page, *, text: str, file_name: str):
    page.get_by_label(re.compile(r"^Your work")).fill(text)
    page.get_by_label("Files").set_input_files(
        files=[{"name": file_name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4 my essay"}]
    )
    page.get_by_role("button", name="Hand in").click()
    expect_message(page, "Your work is handed in. You will get an email once it is graded.")
    expect(page.get_by_text("Your work awaits a grade.")).to_be_visible()


def grade_in_the_cms(page: Page, *, lesson: str, student: str, feedback: str):
    page.goto("/cms/")
    panel = page.get_by_role("region", name="To grade", exact=True)
    expect(panel).to_contain_text("1 piece of work awaits a grade.")
    panel.get_by_role("link", name=lesson, exact=True).click()
    expect(page.get_by_role("heading", name="The work")).to_be_visible()
    expect(page.locator("main")).to_contain_text(student)
    expect(page.get_by_role("link", name="essay.pdf")).to_be_visible()
    page.get_by_label("Passed", exact=True).check()
    page.get_by_label("Feedback for the student").fill(feedback)
    page.get_by_role("button", name="Save the grade").click()
    expect_message(page, f"Graded. {student} is told by email.")
    expect(page.locator("main")).to_contain_text("Nothing awaits a grade here.")


def see_the_grade(page: Page, *, lesson_url: str, feedback: str, course_title: str):
    page.goto(lesson_url)
    expect(page.get_by_text("Your work passed: this lesson is complete.")).to_be_visible()
    expect(page.locator(".attempt__feedback")).to_contain_text(feedback)
    page.get_by_role("link", name="My learning").click()
    completed = page.get_by_role("region", name="Completed, with certificates")
    expect(completed).to_contain_text(course_title)
    grades = completed.get_by_role("table", name=re.compile("Your grades"))
    expect(grades).to_contain_text("Passed")
    expect(grades).to_contain_text(feedback)


def test_student_hands_in_work_the_instructor_grades_it_and_the_student_completes_the_course(people):
    admin, teacher = AdminFactory(), InstructorFactory()
    learner = StudentFactory(first_name="Ada", last_name="Lovelace")
    course = published_course(
        admin=admin, owner=teacher, lessons_per_section=2, lesson_types=("text", "assignment")
    )
    reading, project = lessons_of(course)
    student, instructor = people["student"], people["instructor"]

    log_in(student, learner.email)
    enrol(student, course.title)
    start_learning(student, reading.title)
    mark_as_complete(student, reading.title, progress=50)
    expect(student.get_by_role("heading", level=1)).to_have_text(project.title)
    expect(student.get_by_role("button", name="Mark as complete")).to_have_count(0)
    hand_in(student, text="Engines can weave algebraic patterns.", file_name="essay.pdf")
    log_in(instructor, teacher.email, then="/cms/")
    grade_in_the_cms(instructor, lesson=project.title, student="Ada Lovelace", feedback="A visionary essay.")
    see_the_grade(student, lesson_url=project.url, feedback="A visionary essay.", course_title=course.title)

    [graded] = [message for message in mail.outbox if project.title in message.subject]
    assert graded.to == [learner.email]
    assert "A visionary essay." in graded.body


# Destructive list actions ask first


def run_list_action(page: Page, rows: list[str], action: str):
    """Tick the rows of an unfold list that show these texts and run `action` on them."""
    for text in rows:
        page.get_by_role("row").filter(has_text=text).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Run").click()


def test_admin_revokes_enrolments_after_seeing_who_it_touches(people):
    admin = AdminFactory()
    course = published_course(admin=admin, title="Kitchen chemistry")
    ann, bob = StudentFactory(first_name="Ann"), StudentFactory(first_name="Bob")
    for student in (ann, bob):
        services.enrollment_create(student=student, course=course)
    boss = people["admin"]

    log_in_as_admin(boss, admin, then="/admin/learners/enrollment/")
    run_list_action(boss, [ann.email, bob.email], "Revoke enrolment")

    expect(boss.locator("[data-confirm-summary]")).to_have_text(
        "2 enrolments of 2 people in 1 course will be revoked."
    )
    expect(boss.get_by_role("listitem").filter(has_text=f"{ann} / Kitchen chemistry")).to_be_visible()
    boss.get_by_role("button", name="Revoke enrolment").click()

    expect(boss.get_by_text("2 enrolments revoked.")).to_be_visible()
    expect(boss.get_by_role("row").filter(has_text=ann.email)).to_have_count(0)


def test_admin_unpublishes_a_course_and_its_students_see_it_unavailable(people):
    admin = AdminFactory()
    course = published_course(admin=admin, title="Kitchen chemistry")
    ann, bob = StudentFactory(), StudentFactory()
    for student in (ann, bob):
        services.enrollment_create(student=student, course=course)
    boss, learner = people["admin"], people["student"]

    log_in_as_admin(boss, admin, then="/admin/catalog/courselifecycle/")
    choose_row_action(boss, "Kitchen chemistry", "Unpublish")
    expect(boss.locator("[data-confirm-summary]")).to_have_text(
        "1 course with 2 students enrolled will leave the catalog."
    )
    boss.get_by_role("button", name="Unpublish").click()
    expect(boss.get_by_text("1 course unpublished.")).to_be_visible()

    log_in(learner, ann.email, then="/learning/")
    card = learner.get_by_role("listitem").filter(has_text="Kitchen chemistry")
    expect(card).to_contain_text("Unavailable")
    expect(card.get_by_role("link", name="Kitchen chemistry")).to_have_count(0)
    assert sorted(m.to[0] for m in mail.outbox if "no longer available" in m.subject) == sorted(
        [ann.email, bob.email]
    )
