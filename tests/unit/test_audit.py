"""The lookback audit: planted violations, order independence, the history bound,
input errors and the ``fair-collect audit`` command."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

import fair_collect
from fair_collect.audit import (
    AuditEvent,
    EventInputError,
    EventVerdict,
    audit,
    history_horizon,
    read_events,
    summarize,
)
from fair_collect.cli import main
from fair_collect.engine import Policy
from fair_collect.testing.audit_logs import PLANTED_CODES, GeneratedLog, generate_log


@pytest.fixture(scope="module")
def policy() -> Policy:
    return fair_collect.load_policy()


@pytest.fixture(scope="module")
def log() -> GeneratedLog:
    return generate_log(1000, per_borrower=50, planted_per_kind=2)


@pytest.fixture(scope="module")
def verdicts(policy: Policy, log: GeneratedLog) -> dict[str, EventVerdict]:
    return {v.event_id: v for v in audit(log.events, log.contexts, policy=policy)}


def test_planted_violations_are_found_exactly(
    log: GeneratedLog, verdicts: dict[str, EventVerdict]
) -> None:
    assert len(verdicts) == len(log.events)
    denied = {k for k, v in verdicts.items() if v.outcome == "deny"}
    planted = set().union(*log.planted.values())
    assert denied == planted
    for code in PLANTED_CODES:
        assert len(log.planted[code]) == 2
        assert {k for k in denied if code in verdicts[k].codes} == log.planted[code]
    frequency = verdicts[next(iter(log.planted["call_frequency_exceeded"]))]
    assert frequency.rule_ids == ("us.federal.reg_f.call_frequency_7_in_7",)
    assert frequency.categories == ("frequency",)
    assert any("1006.14(b)" in c for c in frequency.citations)
    assert not any(v.outcome == "error" for v in verdicts.values())


def test_several_jurisdictions_are_audited(verdicts: dict[str, EventVerdict]) -> None:
    codes = {j for v in verdicts.values() for j in v.jurisdictions}
    assert {"US-TX", "US-CA", "US-MA", "US-WA", "US-NY-NYC", "CN", "IN", "GB"} <= codes
    assert any(v.outcome == "not_audited" for v in verdicts.values())  # inbound replies


def test_input_order_does_not_matter(
    policy: Policy, log: GeneratedLog, verdicts: dict[str, EventVerdict]
) -> None:
    shuffled = list(log.events)
    random.Random(7).shuffle(shuffled)
    again = {v.event_id: v for v in audit(shuffled, reversed(log.contexts), policy=policy)}
    assert {k: v.key() for k, v in again.items()} == {k: v.key() for k, v in verdicts.items()}


def test_bounded_history_gives_the_unbounded_verdicts(policy: Policy) -> None:
    small = generate_log(400, per_borrower=100, planted_per_kind=1, seed=11)
    bounded = audit(small.events, small.contexts, policy=policy)
    unbounded = audit(small.events, small.contexts, policy=policy, bounded=False)
    assert [v.key() for v in bounded] == [v.key() for v in unbounded]
    # The bound did drop history: long-lived borrowers hand each check far less.
    assert max(v.history_used for v in bounded) < max(v.history_used for v in unbounded)


def _tx_context(borrower_id: str, **borrower: Any) -> dict[str, Any]:
    return {
        "borrower_id": borrower_id,
        "borrower": {
            "location": {"country": "US", "region": "TX", "postal_code": "75201"},
            "phones": [{"number": "+12142305555", "kind": "mobile", "consumer_texted": True}],
            **borrower,
        },
        "debts": [{"id": "D1"}],
        "collector": {"type": "third_party_collector", "name": "ABC Recovery"},
    }


def _ev(event_id: str, day: int, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "borrower_id": "L1",
        "at": f"2026-03-{day:02d}T11:00:00-05:00"
        if day <= 31
        else f"2026-04-{day - 31:02d}T11:00:00-05:00",
        "channel": "call",
        "debt_ids": ["D1"],
        "outcome": "no_answer",
        "recipient_role": "borrower",
        "recipient_address": "+12142305555",
        "address_kind": "mobile",
        **fields,
    }


def test_rules_without_a_time_limit_still_see_older_events(policy: Policy) -> None:
    """Landmarks beyond the window: a second location contact with one neighbour,
    and a second reply after an SMS opt-out, both long after the first."""
    text = "ABC Recovery is a debt collector. Reply STOP to opt out."
    neighbour = {
        "recipient_role": "neighbour",
        "recipient_address": "+12142306666",
        "purpose": "location_information",
        "debt_ids": None,
        "outcome": "conversation",
    }
    events = [
        _ev("a-loc-1", 1, **neighbour),
        _ev("b-in", 2, channel="sms", direction="inbound", outcome="delivered"),
        _ev(
            "c-reply-1",
            2,
            at="2026-03-02T15:00:00-05:00",
            channel="sms",
            purpose="response_to_consumer",
            outcome="delivered",
            message_text=text,
        ),
        *(_ev(f"d-{day:02d}", day) for day in range(6, 60, 5)),
        _ev("e-loc-2", 60, **neighbour),
        _ev(
            "f-reply-2",
            61,
            channel="sms",
            purpose="response_to_consumer",
            outcome="delivered",
            message_text=text,
        ),
    ]
    contexts = [_tx_context("L1", opt_outs=[{"channel": "sms", "at": "2026-03-01T08:00:00-05:00"}])]
    bounded = {v.event_id: v for v in audit(events, contexts, policy=policy)}
    unbounded = {v.event_id: v for v in audit(events, contexts, policy=policy, bounded=False)}
    assert {k: v.key() for k, v in bounded.items()} == {k: v.key() for k, v in unbounded.items()}
    assert "location_contact_repeated" in bounded["e-loc-2"].codes
    assert bounded["c-reply-1"].outcome == "allow"
    assert "medium_opted_out" in bounded["f-reply-2"].codes
    assert bounded["f-reply-2"].history_used < unbounded["f-reply-2"].history_used


SMS_TEXT = "ABC Recovery is a debt collector. Reply STOP to opt out."


def _sms(event_id: str, day: int, **fields: Any) -> dict[str, Any]:
    return _ev(event_id, day, channel="sms", outcome="delivered", message_text=SMS_TEXT, **fields)


@pytest.mark.parametrize("reply", ["STOP", "stop.", " Unsubscribe ", "opt-out", "退订", "TD"])
def test_a_stop_reply_in_the_log_opts_the_medium_out_from_its_time(
    policy: Policy, reply: str
) -> None:
    events = [
        _sms("a-before", 2),
        _ev("b-stop", 3, channel="sms", direction="inbound", message_text=reply, outcome=None),
        _sms("c-after", 5),
        _ev("d-call", 6),  # another medium: not opted out
        _sms("e-other-number", 7, recipient_address="+12142307777"),  # another address
    ]
    got = {v.event_id: v for v in audit(events, [_tx_context("L1")], policy=policy)}
    assert got["a-before"].outcome == "allow"
    assert got["b-stop"].outcome == "not_audited"
    assert "medium_opted_out" in got["c-after"].codes
    assert "medium_opted_out" not in got["d-call"].codes
    assert "medium_opted_out" not in got["e-other-number"].codes


@pytest.mark.parametrize("reply", ["Stop by our office?", "I will pay at the end of the month", ""])
def test_a_reply_that_is_not_an_opt_out_keyword_opts_nothing_out(
    policy: Policy, reply: str
) -> None:
    events = [
        _ev("b-reply", 3, channel="sms", direction="inbound", message_text=reply, outcome=None),
        _sms("c-after", 5),
    ]
    got = {v.event_id: v for v in audit(events, [_tx_context("L1")], policy=policy)}
    assert "medium_opted_out" not in got["c-after"].codes


def test_a_derived_opt_out_allows_the_confirmation_and_is_the_same_bounded_or_not(
    policy: Policy,
) -> None:
    events = [
        _ev("a-stop", 3, channel="sms", direction="inbound", message_text="STOP", outcome=None),
        _ev(
            "b-confirm",
            3,
            at="2026-03-03T11:01:00-05:00",
            channel="sms",
            purpose="opt_out_confirmation",
            outcome="delivered",
            message_text="ABC Recovery: you will get no more texts from us.",
        ),
        *(_ev(f"c-{day:02d}", day) for day in range(6, 56, 5)),
        _sms("d-much-later", 58),
    ]
    contexts = [_tx_context("L1")]
    bounded = {v.event_id: v for v in audit(events, contexts, policy=policy)}
    unbounded = {v.event_id: v for v in audit(events, contexts, policy=policy, bounded=False)}
    assert {k: v.key() for k, v in bounded.items()} == {k: v.key() for k, v in unbounded.items()}
    assert "medium_opted_out" not in bounded["b-confirm"].codes
    assert "medium_opted_out" in bounded["d-much-later"].codes


def test_address_kinds_in_the_log_reach_the_counting_rules(policy: Policy) -> None:
    """Massachusetts caps personal and other numbers apart: two calls to the
    work phone leave the week's personal-number cap untouched."""
    context = {
        "borrower_id": "L1",
        "borrower": {
            "location": {"country": "US", "region": "MA", "postal_code": "02108"},
            "phones": [{"number": "+16175550123", "kind": "mobile"}],
        },
        "debts": [{"id": "D1"}],
        "collector": {"type": "first_party_creditor", "name": "Example Bank"},
    }
    work = {"recipient_address": "+16175550155", "address_kind": "work_phone"}
    mobile = {"recipient_address": "+16175550123", "address_kind": "mobile"}
    events = [
        _ev("a-work", 2, **work),
        _ev("b-work", 3, **work),
        _ev("c-mobile", 4, **mobile),
        _ev("d-mobile", 5, **mobile),
        _ev("e-mobile", 6, **mobile),
    ]
    got = {v.event_id: v for v in audit(events, [context], policy=policy)}
    assert got["c-mobile"].outcome == got["d-mobile"].outcome == "allow"
    assert "massachusetts_call_limit_exceeded" in got["e-mobile"].codes


def test_context_versions_apply_from_their_time(policy: Policy) -> None:
    """A bankruptcy the model cannot date is dated by a context version."""
    before = _tx_context("L1")
    after = {**_tx_context("L1", bankruptcy=True), "valid_from": "2026-03-10T00:00:00-05:00"}
    events = [_ev("x1", 5), _ev("x2", 15)]
    got = {v.event_id: v for v in audit(events, [after, before], policy=policy)}
    assert got["x1"].outcome == "allow"
    assert "bankruptcy_stay" in got["x2"].codes


def test_history_horizon_reads_the_rule_parameters(policy: Policy) -> None:
    horizon = history_horizon(policy)
    # Massachusetts counts 2 in 30 days (31 in Russia's monthly caps), plus two days of slack.
    assert horizon.window.days == 33
    assert "reporting" in horizon.landmarks["credit_report"]
    assert "reporting" not in horizon.landmarks["call"]
    assert not horizon.unbounded
    only_federal = history_horizon(fair_collect.load_policy(["us/federal"]))
    assert only_federal.window.days == 9  # 7 days plus slack


def test_event_errors_name_line_and_field(tmp_path: Path) -> None:
    good = _ev("g1", 1)
    lines = [json.dumps(good), json.dumps({**good, "event_id": "g2"}), ""]
    lines.append(json.dumps({**good, "event_id": "g3", "at": "2026-03-01T11:00:00"}))
    lines.append(json.dumps({**good, "event_id": "g4", "colour": "red"}))
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EventInputError) as caught:
        read_events(path)
    assert caught.value.fields == ("line 4: at", "line 5: colour")

    csv_path = tmp_path / "events.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["event_id", "borrower_id", "at", "channel", "debt_ids"])
        writer.writeheader()
        writer.writerow(
            {
                **{k: good[k] for k in ("event_id", "borrower_id", "at")},
                "channel": "call",
                "debt_ids": "D1;D2",
            }
        )
        writer.writerow(
            {
                **{k: good[k] for k in ("event_id", "borrower_id", "at")},
                "channel": "fax",
                "debt_ids": "",
            }
        )
    with pytest.raises(EventInputError) as caught:
        read_events(csv_path)
    assert caught.value.fields == ("line 3: channel",)


def test_csv_cells_parse_like_json(tmp_path: Path) -> None:
    event = AuditEvent.model_validate(
        {**_ev("c1", 1), "debt_ids": "D1; D2", "outcome": "", "by_agency": "true"}
    )
    assert event.debt_ids == ("D1", "D2")
    assert event.outcome is None
    assert event.by_agency is True


def test_parquet_rows_are_named(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [_ev("p1", 1), {**_ev("p2", 2), "channel": "fax"}]
    table = pa.Table.from_pylist(rows)
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    with pytest.raises(EventInputError) as caught:
        read_events(path)
    assert caught.value.fields == ("row 2: channel",)
    pq.write_table(pa.Table.from_pylist(rows[:1]), path)
    assert [e.event_id for e in read_events(path)] == ["p1"]


def _write_log(tmp_path: Path, log: GeneratedLog) -> tuple[Path, Path]:
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in log.events), encoding="utf-8")
    contexts = tmp_path / "contexts.jsonl"
    contexts.write_text("".join(json.dumps(c) + "\n" for c in log.contexts), encoding="utf-8")
    return events, contexts


def test_cli_formats_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = generate_log(120, per_borrower=30, planted_per_kind=1, seed=5)
    events, contexts = _write_log(tmp_path, log)
    out = tmp_path / "verdicts.jsonl"
    summary = tmp_path / "summary.json"
    code = main(
        [
            "audit",
            str(events),
            "--context",
            str(contexts),
            "--verdicts",
            str(out),
            "--summary",
            str(summary),
            "--format",
            "json",
        ]
    )
    assert code == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(summary.read_text(encoding="utf-8"))
    assert printed["denied"] == 4
    assert set(printed["by_code"]) == set(PLANTED_CODES)
    assert printed["worst_borrowers"][0]["denied"] == 1
    assert printed["rows"][0].keys() == {"rule_id", "pack", "month", "denied"}
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(log.events)

    # CSV and Parquet give the same verdicts.
    csv_path = tmp_path / "events.csv"
    columns = sorted({k for e in log.events for k in e})
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for e in log.events:
            writer.writerow({**e, "debt_ids": ";".join(e["debt_ids"])})
    out_csv = tmp_path / "verdicts-csv.jsonl"
    assert (
        main(
            [
                "audit",
                str(csv_path),
                "--context",
                str(contexts),
                "--verdicts",
                str(out_csv),
                "--format",
                "text",
            ]
        )
        == 1
    )
    text = capsys.readouterr().out
    assert "denied events by rule:" in text
    assert "us.federal.reg_f.cease_communication" in text
    assert out_csv.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")

    # A lawful log exits 0; verdicts to stdout move the summary to stderr.
    lawful = tmp_path / "lawful.jsonl"
    planted = set().union(*log.planted.values())
    lawful.write_text(
        "".join(json.dumps(e) + "\n" for e in log.events if e["event_id"] not in planted),
        encoding="utf-8",
    )
    assert (
        main(
            [
                "audit",
                str(lawful),
                "--context",
                str(contexts),
                "--verdicts",
                "-",
                "--format",
                "json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert all(json.loads(line)["outcome"] != "deny" for line in captured.out.splitlines())
    assert json.loads(captured.err)["denied"] == 0

    # Bad input exits 2 and names line and field.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**log.events[0], "channel": "fax"}) + "\n", encoding="utf-8")
    assert main(["audit", str(bad), "--format", "json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert problems[0]["loc"] == "line 1: channel"
    assert main(["audit", str(tmp_path / "missing.jsonl")]) == 2
    assert main(["audit", str(events), "--pin", "us/federal=sha256:" + "0" * 64]) == 3
    capsys.readouterr()


def test_events_that_make_no_valid_request_are_errors(policy: Policy) -> None:
    events = [_ev("u1", 1, debt_ids=["NOPE"])]
    (verdict,) = audit(events, [_tx_context("L1")], policy=policy)
    assert verdict.outcome == "error"
    assert verdict.error is not None
    assert "debt_ids" in verdict.error
    assert summarize([verdict]).errors == 1


def test_events_before_their_pack_took_effect_are_counted_apart(policy: Policy) -> None:
    """A UK contact from 2025 (the gb pack starts on 2026-01-01) is decided by
    every loaded pack, fail closed; the verdict and the summary say so, so an
    auditor can set such denials apart from those of the borrower's own law."""
    context = {
        "borrower_id": "G1",
        "borrower": {
            "location": {"country": "GB", "time_zone": "Europe/London"},
            "phones": [{"number": "+447911123456", "kind": "mobile"}],
        },
        "debts": [{"id": "D1"}],
        "collector": {"type": "third_party_collector", "name": "ABC Recovery"},
    }

    def event(event_id: str, at: str) -> dict[str, Any]:
        return {
            "event_id": event_id,
            "borrower_id": "G1",
            "at": at,
            "channel": "call",
            "debt_ids": ["D1"],
            "outcome": "no_answer",
            "recipient_role": "borrower",
            "recipient_address": "+447911123456",
            "address_kind": "mobile",
        }

    before, after = audit(
        [event("old", "2025-06-10T11:00:00+01:00"), event("new", "2026-06-10T11:00:00+01:00")],
        [context],
        policy=policy,
    )
    assert before.jurisdiction_source == "all_packs"
    assert after.jurisdiction_source == "location"
    summary = summarize([before, after])
    assert summary.under_every_pack == {"events": 1, "denied": int(before.outcome == "deny")}
    assert "decided by every loaded pack" in summary.render_text()
