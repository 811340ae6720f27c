"""Twenty saves of the same visit at once: each loser is told, no winner's words are lost."""

from __future__ import annotations

import datetime
import threading
import time

from django.core import mail
from django.db import connection
from django.urls import reverse

from coaching import services
from coaching.models import Visit
from district.models import User
from district.services import EditConflict
from notices.models import Notice
from tests.conftest import District
from tests.factories import VisitFactory
from tests.load.conftest import CLIENTS, LOAD_SECONDS


def test_concurrent_edits_of_one_visit_tell_every_loser_and_keep_every_winner_in_the_history(
    postgresql: None, district: District, ild: User
) -> None:
    visit = VisitFactory.create(
        school=district.school,
        ild=ild,
        status=Visit.Status.PLANNED,
        date=datetime.date.today() - datetime.timedelta(days=1),
    )
    # The first link in an email loads every URL (and the views behind them): before the clock starts.
    reverse("coaching:visit_detail", args=[visit.pk])
    mail.outbox.clear()
    deadline = time.monotonic() + LOAD_SECONDS / 2
    lock = threading.Lock()
    won: list[tuple[int, str, str]] = []  # (version written, what_we_saw, status)
    told: list[tuple[int, int]] = []  # (version the loser had read, version it was shown)
    errors: list[BaseException] = []

    def edit(writer: int) -> None:
        n = 0
        marks_done = writer == 0
        try:
            # The writer that marks the visit done goes on until it has won once.
            while time.monotonic() < deadline or marks_done:
                n += 1
                current = Visit.objects.select_related("school").get(pk=visit.pk)
                read = current.version
                current.what_we_saw = f"writer {writer}, edit {n}"
                if marks_done:
                    current.status = Visit.Status.DONE
                try:
                    saved = services.visit_save(
                        ild=ild, visit=current, moves=[], focus_goals=[], next_steps=[], expected_version=read
                    )
                except EditConflict as clash:
                    with lock:
                        told.append((read, clash.current.version))
                else:
                    marks_done = False
                    with lock:
                        won.append((saved.version, saved.what_we_saw, saved.status))
        except BaseException as error:  # reported by the test, whatever it was
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(w,)) for w in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=LOAD_SECONDS + 60)

    assert errors == []
    assert len(won) >= 3, "the writers got real work done"
    assert all(shown > read for read, shown in told), "each loser is shown the newer version that beat it"
    final = Visit.objects.get(pk=visit.pk)
    assert sorted(version for version, _, _ in won) == list(range(2, final.version + 1)), "one winner per version"
    last = max(won)
    assert (final.what_we_saw, final.status) == (last[1], last[2]), "the visit is the last winner's write"
    history = set(final.history.values_list("version", "what_we_saw", "status"))
    assert set(won) <= history, "every winning write is in the history"
    assert any(status == Visit.Status.DONE for _, _, status in won)
    told_principal = Notice.objects.filter(kind=Notice.Kind.VISIT_LOGGED, subject_key=f"coaching.visit:{visit.pk}")
    assert told_principal.count() == 1
    assert [m.to for m in mail.outbox] == [["principal@district.test"]], "the principal hears once"
