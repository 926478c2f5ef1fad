"""``local_time_window`` options the national packs need: public holidays closed
all day (Indonesia), and a time the borrower agreed to (China: "unless the
debtor agreed a time")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

import fair_collect
from fair_collect.checks.base import PackContext
from fair_collect.checks.time import LOCAL_TIME_WINDOW, LocalTimeWindow
from fair_collect.facts.core import Facts
from fair_collect.facts.zoneinfo_cache import get_zone


def _window(**params: Any) -> LocalTimeWindow:
    validated = LOCAL_TIME_WINDOW.params.model_validate(params)
    check = LOCAL_TIME_WINDOW.build(validated, PackContext(pack_id="t", jurisdiction="ZZ"))
    assert isinstance(check, LocalTimeWindow)
    return check


def _facts(at: str, zone: str, consents: list[dict[str, Any]] | None = None) -> Facts:
    request = fair_collect.parse_request(
        {
            "channel": "call",
            "at": at,
            "borrower": {"id": "B1", "location": {"time_zone": zone}, "consents": consents or []},
        }
    )
    return Facts.of(request)


JAKARTA = "Asia/Jakarta"
INDONESIA = {"start": "08:00", "end": "20:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat"]}


def test_a_public_holiday_is_closed_all_day() -> None:
    window = _window(**INDONESIA, closed_on_holidays="ID")
    # 2026-08-17, Monday: Indonesian Independence Day.
    finding = window.evaluate(_facts("2026-08-17T10:00:00+07:00", JAKARTA))
    assert finding is not None
    assert finding.evidence["holiday"] == "Independence Day"
    # The next opening is Tuesday 08:00 local.
    assert window.next_pass(_facts("2026-08-17T10:00:00+07:00", JAKARTA)) == datetime(
        2026, 8, 18, 8, 0, tzinfo=get_zone(JAKARTA)
    )


def test_an_ordinary_working_day_is_open() -> None:
    window = _window(**INDONESIA, closed_on_holidays="ID")
    assert window.evaluate(_facts("2026-08-18T10:00:00+07:00", JAKARTA)) is None


def test_without_the_holiday_option_the_holiday_is_an_ordinary_day() -> None:
    assert _window(**INDONESIA).evaluate(_facts("2026-08-17T10:00:00+07:00", JAKARTA)) is None


def test_sunday_stays_closed_and_next_pass_skips_it() -> None:
    window = _window(**INDONESIA, closed_on_holidays="ID")
    facts = _facts("2026-08-15T20:30:00+07:00", JAKARTA)  # Saturday evening
    assert window.evaluate(facts) is not None
    # Sunday is closed and Monday the 17th is a holiday: Tuesday 08:00.
    assert window.next_pass(facts) == datetime(2026, 8, 18, 8, 0, tzinfo=get_zone(JAKARTA))


def test_an_unknown_holiday_calendar_is_refused_when_the_pack_loads() -> None:
    with pytest.raises(ValueError, match="holiday calendar"):
        _window(**INDONESIA, closed_on_holidays="XQ")


SHANGHAI = "Asia/Shanghai"
CHINA = {"start": "08:00", "end": "22:00", "consent_exemption": "time"}
AGREED = {
    "kind": "time",
    "given_at": "2026-06-01T12:00:00+08:00",
    "window_start": "2026-06-09T22:00:00+08:00",
    "window_end": "2026-06-09T22:30:00+08:00",
}


def test_a_time_the_borrower_agreed_to_opens_the_night() -> None:
    window = _window(**CHINA)
    assert window.evaluate(_facts("2026-06-09T22:10:00+08:00", SHANGHAI, [AGREED])) is None


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2026-06-09T22:40:00+08:00", "after the agreed slot"),
        ("2026-06-10T22:10:00+08:00", "the next night"),
    ],
)
def test_outside_the_agreed_slot_the_night_stays_closed(at: str, why: str) -> None:
    assert _window(**CHINA).evaluate(_facts(at, SHANGHAI, [AGREED])) is not None, why


def test_a_consent_of_another_kind_or_medium_does_not_open_the_night() -> None:
    window = _window(**CHINA)
    at = "2026-06-09T22:10:00+08:00"
    assert window.evaluate(_facts(at, SHANGHAI, [{**AGREED, "kind": "call"}])) is not None
    assert window.evaluate(_facts(at, SHANGHAI, [{**AGREED, "channel": "sms"}])) is not None
    assert window.evaluate(_facts(at, SHANGHAI, [{**AGREED, "channel": "voicemail"}])) is None


def test_a_consent_given_after_the_instant_does_not_count() -> None:
    late = {**AGREED, "given_at": "2026-06-09T22:20:00+08:00"}
    assert (
        _window(**CHINA).evaluate(_facts("2026-06-09T22:10:00+08:00", SHANGHAI, [late])) is not None
    )


def test_next_pass_offers_an_agreed_slot_that_opens_before_the_morning() -> None:
    window = _window(**CHINA)
    facts = _facts("2026-06-09T21:59:00+08:00", SHANGHAI, [AGREED])
    assert window.evaluate(facts) is None  # still inside 08:00-22:00
    late = _facts("2026-06-09T21:00:00+08:00", SHANGHAI, [AGREED])
    assert window.next_pass(late) == late.at
    night = _facts("2026-06-09T22:35:00+08:00", SHANGHAI, [AGREED])
    assert window.next_pass(night) == datetime(2026, 6, 10, 8, 0, tzinfo=get_zone(SHANGHAI))
    early = _facts(
        "2026-06-09T21:30:00+08:00",
        SHANGHAI,
        [
            {
                **AGREED,
                "window_start": "2026-06-09T23:00:00+08:00",
                "window_end": "2026-06-09T23:30:00+08:00",
            }
        ],
    )
    closed = early.at_instant(datetime(2026, 6, 9, 22, 10, tzinfo=get_zone(SHANGHAI)))
    assert window.next_pass(closed) == datetime(2026, 6, 9, 23, 0, tzinfo=get_zone(SHANGHAI))
