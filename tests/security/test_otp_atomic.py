"""One-time-code counters are updated atomically: parallel requests get no more tries than serial ones.

Threads on real PostgreSQL connections start together (a barrier) and the hash comparison is slowed
down, so every request is inside the critical section at the same moment: without a row lock they would
all read "no wrong tries yet", all compare, and all be told four tries remain.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from balai.portal.services import otp

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(n: int, work) -> list[object]:
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def slow_compare(monkeypatch):
    real = otp.hmac.compare_digest

    def slow(a, b):
        time.sleep(0.2)
        return real(a, b)

    monkeypatch.setattr(otp.hmac, "compare_digest", slow)


def test_parallel_wrong_codes_never_exceed_five_tries(slow_compare):
    issued = otp.issue_code(purpose="case", target="KT-PARA-LLEL", ip="10.9.0.1")
    wrong = "000000" if issued.code != "000000" else "111111"
    results = _together(12, lambda i: otp.check_code(purpose="case", target="KT-PARA-LLEL", code=wrong,
                                                     ip=f"10.9.1.{i}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    told_left = sorted(r.attempts_left for r in results if r.reason == "wrong")
    assert told_left == [1, 2, 3, 4]  # each try counted once, one after the other
    assert sum(r.reason == "too_many" for r in results) == 8
    # the five tries are used up: even the right code is refused now
    assert otp.check_code(purpose="case", target="KT-PARA-LLEL", code=issued.code, ip="10.9.0.1").reason == "too_many"


def test_a_correct_code_sent_twice_at_once_is_accepted_once(slow_compare):
    issued = otp.issue_code(purpose="case", target="KT-ONCE-ONLY", ip="10.9.2.1")
    results = _together(4, lambda i: otp.check_code(purpose="case", target="KT-ONCE-ONLY", code=issued.code,
                                                    ip=f"10.9.3.{i}"))
    assert sum(getattr(r, "ok", False) for r in results) == 1, results


def test_parallel_requests_for_codes_stay_within_the_target_limit():
    limit, _window = otp.TARGET_LIMIT
    results = _together(10, lambda i: otp.issue_code(purpose="case", target="KT-MANY-CODE", ip=f"10.9.4.{i}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(not r.limited for r in results) == limit


def test_parallel_hits_on_one_rate_limit_stay_within_it():
    results = _together(15, lambda i: otp.rate_limit_hit(name="track-lookup", key="10.9.5.1", limit=7, window=600))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r == 0 for r in results) == 7
