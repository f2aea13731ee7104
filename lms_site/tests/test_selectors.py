from datetime import UTC, date, datetime

import pytest

from lms_site import selectors
from lms_site.tests.factories import AdminFactory, InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def joined(day, hour=12):
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_users_by_role_counts_each_role_and_inactive_in_one_query(django_assert_num_queries):
    StudentFactory.create_batch(2)
    StudentFactory(is_active=False)
    InstructorFactory()
    AdminFactory()

    with django_assert_num_queries(1):
        counts = selectors.users_by_role()

    assert counts == {"student": 3, "instructor": 1, "admin": 1, "total": 5, "inactive": 1}


def test_users_by_role_is_all_zero_without_users(django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.users_by_role()

    assert counts == {"student": 0, "instructor": 0, "admin": 0, "total": 0, "inactive": 0}


def test_signups_per_day_counts_each_day_and_fills_quiet_days_with_zero(django_assert_num_queries):
    StudentFactory(date_joined=joined(6, hour=0))
    StudentFactory(date_joined=joined(8, hour=1))
    InstructorFactory(date_joined=joined(8, hour=23))
    StudentFactory(date_joined=joined(10, hour=23))

    with django_assert_num_queries(1):
        signups = selectors.signups_per_day(days=5, today=TODAY)

    assert signups == [
        (date(2026, 3, 6), 1),
        (date(2026, 3, 7), 0),
        (date(2026, 3, 8), 2),
        (date(2026, 3, 9), 0),
        (date(2026, 3, 10), 1),
    ]


def test_signups_per_day_ignores_sign_ups_outside_the_window():
    StudentFactory(date_joined=joined(5, hour=23))
    StudentFactory(date_joined=joined(11, hour=0))

    signups = selectors.signups_per_day(days=5, today=TODAY)

    assert [count for _day, count in signups] == [0, 0, 0, 0, 0]


def test_signups_per_day_without_users_is_a_row_of_zeros(django_assert_num_queries):
    with django_assert_num_queries(1):
        signups = selectors.signups_per_day(days=30, today=TODAY)

    assert len(signups) == 30
    assert signups[0] == (date(2026, 2, 9), 0)
    assert signups[-1] == (TODAY, 0)
    assert {count for _day, count in signups} == {0}
