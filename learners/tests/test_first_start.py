"""`make run` on a fresh checkout: a short, quiet start."""

import logging

from django.core.management import call_command

from .marks import committed_on_postgresql

pytestmark = committed_on_postgresql(why="seed_demo's mail goes out as its transaction commits")


def test_seed_demo_prints_a_summary_and_keeps_the_mail_in_files(settings, tmp_path, capsys, caplog):
    settings.EMAIL_BACKEND = "lms_site.mail_backends.ConsoleAndFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    caplog.set_level(logging.DEBUG)

    call_command("seed_demo")

    printed = capsys.readouterr().out
    mails = "".join(path.read_text() for path in tmp_path.iterdir())
    assert mails.count("Subject: ") > 10  # every demo message is kept
    assert "Content-Type:" not in printed
    assert f"emails sent, kept in {tmp_path}/" in printed
    assert len(printed.splitlines()) < 40
    assert [record.getMessage() for record in caplog.records] == []  # no page or task narration
