"""Checks the national and state packs combine into conduct rules:
``collector_flag``, ``consent_missing``, the oral workplace request that
lapses, ``borrower_status: unreachable``, and word lists read from another
pack (``wording: {lists_from: ...}``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import fair_collect
from fair_collect.checks import DEFAULT_CHECKS
from fair_collect.checks.base import Check, PackContext
from fair_collect.errors import PackError
from fair_collect.facts.core import Facts

CTX = PackContext(pack_id="t", jurisdiction="ZZ")


def _check(name: str, **params: Any) -> Check:
    kind = DEFAULT_CHECKS[name]
    return kind.build(kind.params.model_validate(params), CTX)


def _facts(**body: Any) -> Facts:
    request: dict[str, Any] = {
        "channel": "visit",
        "at": "2026-06-09T10:30:00+08:00",
        "recipient": {"role": "borrower", "address": "深圳市南山区科技园1号"},
        **body,
    }
    return Facts.of(fair_collect.parse_request(request))


# ---------------------------------------------------------------- collector_flag


def test_collector_flag_finds_an_agency() -> None:
    check = _check("collector_flag", flag="agency")
    finding = check.evaluate(_facts(collector={"type": "third_party_collector", "agency": True}))
    assert finding is not None
    assert finding.evidence == {"flag": "agency", "value": True}
    assert check.evaluate(_facts(collector={"type": "first_party_creditor"})) is None


def test_collector_flag_without_a_collector_is_a_missing_fact() -> None:
    finding = _check("collector_flag", flag="agency").evaluate(_facts())
    assert finding is not None
    assert finding.missing_fact == "collector"


def test_collector_flag_can_ask_for_false() -> None:
    check = _check("collector_flag", flag="attorney", equals=False)
    assert check.evaluate(_facts(collector={"attorney": False})) is not None
    assert check.evaluate(_facts(collector={"attorney": True})) is None


# --------------------------------------------------------------- consent_missing

VISIT = {"kind": "visit", "given_at": "2026-06-01T09:00:00+08:00"}


def _borrower(*consents: dict[str, Any]) -> dict[str, Any]:
    return {"id": "B1", "consents": list(consents)}


def test_a_visit_without_consent_is_found() -> None:
    finding = _check("consent_missing", kind="visit").evaluate(_facts(borrower=_borrower()))
    assert finding is not None
    assert finding.evidence == {"consent_kind": "visit"}


def test_a_visit_with_consent_in_force_passes() -> None:
    check = _check("consent_missing", kind="visit")
    assert check.evaluate(_facts(borrower=_borrower(VISIT))) is None


@pytest.mark.parametrize(
    ("consent", "why"),
    [
        ({**VISIT, "kind": "call"}, "another kind"),
        ({**VISIT, "given_at": "2026-06-10T09:00:00+08:00"}, "given later"),
        ({**VISIT, "window_end": "2026-06-05T00:00:00+08:00"}, "window closed"),
        ({**VISIT, "channel": "letter"}, "another medium"),
        ({**VISIT, "address": "北京市朝阳区1号"}, "another address"),
    ],
)
def test_a_consent_that_does_not_cover_the_action_does_not_count(
    consent: dict[str, Any], why: str
) -> None:
    finding = _check("consent_missing", kind="visit").evaluate(_facts(borrower=_borrower(consent)))
    assert finding is not None, why


def test_a_consent_naming_this_address_counts() -> None:
    consent = {**VISIT, "address": "深圳市南山区科技园1号"}
    assert (
        _check("consent_missing", kind="visit").evaluate(_facts(borrower=_borrower(consent)))
        is None
    )


# ------------------------------------------------------------ oral workplace lapse


def _work_call(at: str, in_writing: bool) -> Facts:
    return Facts.of(
        fair_collect.parse_request(
            {
                "channel": "call",
                "at": at,
                "recipient": {
                    "role": "borrower",
                    "address": "+16175550100",
                    "address_kind": "work_phone",
                },
                "borrower": {
                    "id": "B1",
                    "workplace_contact_prohibited": {
                        "since": "2026-06-01T09:00:00-04:00",
                        "in_writing": in_writing,
                    },
                },
            }
        )
    )


WORKPLACE = {"address_kind_places": {"work_phone": "workplace", "mobile": "anywhere"}}


def test_an_oral_workplace_request_lapses_after_its_days() -> None:
    check = _check("workplace_contact", **WORKPLACE, oral_lapses_after_days=10)
    assert check.evaluate(_work_call("2026-06-10T10:00:00-04:00", in_writing=False)) is not None
    assert check.evaluate(_work_call("2026-06-11T10:00:00-04:00", in_writing=False)) is None


def test_a_written_workplace_request_does_not_lapse() -> None:
    check = _check("workplace_contact", **WORKPLACE, oral_lapses_after_days=10)
    assert check.evaluate(_work_call("2026-07-30T10:00:00-04:00", in_writing=True)) is not None


def test_without_the_lapse_an_oral_request_holds() -> None:
    check = _check("workplace_contact", **WORKPLACE)
    assert check.evaluate(_work_call("2026-07-30T10:00:00-04:00", in_writing=False)) is not None


# --------------------------------------------------------------- unreachable


def test_borrower_status_unreachable() -> None:
    check = _check("borrower_status", status="unreachable")
    finding = check.evaluate(_facts(borrower={"id": "B1", "unreachable": True}))
    assert finding is not None
    assert finding.evidence["status"] == "unreachable"
    assert check.evaluate(_facts(borrower={"id": "B1"})) is None


# ------------------------------------------------------------------ lists_from

PACK = """\
id: house/state
title: A state pack reading the federal word lists
jurisdiction: US-ZZ
version: "1"
effective:
  from: "2021-11-30"
binds: [first_party_creditor, third_party_collector, debt_buyer]
sources:
  - source: "House policy 1"
example_defaults:
  channel: sms
  at: "2026-06-09T10:30:00-04:00"
  collector: {type: first_party_creditor, name: "Example Bank"}
  recipient: {role: borrower, address: "+12125550123", address_kind: mobile}
  borrower: {id: B1, location: {country: US, region: ZZ, time_zone: America/New_York}}
"""


def _rules(lists_from: str, categories: str = "[profanity_insult]") -> str:
    return f"""\
rules:
  - id: house.state.profanity
    title: No profane or obscene language
    category: harassment
    code: profane_language
    effect: deny
    check:
      wording: {{categories: {categories}, lists_from: {lists_from}}}
    message: "Profane language: {{quotes}}."
    citations:
      - source: "House policy 1"
    examples:
      - name: an insult
        expect: deny
        request: {{message: {{text: "Pay up, you worthless idiot."}}}}
      - name: a polite reminder
        expect: allow
        request: {{message: {{text: "A payment of $50 is due on June 15."}}}}
"""


def _write(root: Path, rules: str) -> Path:
    root.mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules.yaml").write_text(rules, encoding="utf-8")
    return root


def test_a_pack_reads_the_shipped_federal_lists_even_when_loaded_alone(tmp_path: Path) -> None:
    policy = fair_collect.load_policy([_write(tmp_path / "state", _rules("us/federal"))])
    assert [p.id for p in policy.packs] == ["house/state"]
    verdict = policy.check(
        {
            "channel": "sms",
            "at": "2026-06-09T10:30:00-04:00",
            "collector": {"type": "first_party_creditor"},
            "recipient": {"role": "borrower", "address": "+12125550123"},
            "borrower": {"id": "B1", "location": {"country": "US", "region": "ZZ"}},
            "message": {"text": "Pay up, you worthless idiot."},
        }
    )
    assert verdict.codes == ("profane_language",)
    from fair_collect.testing.scenarios import run_rule_examples

    results = list(run_rule_examples(policy))
    assert len(results) == 2
    assert all(r.passed for r in results), results


def test_a_pack_that_is_neither_loaded_nor_shipped_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy([_write(tmp_path / "state", _rules("house/missing"))])
    (problem,) = caught.value.problems
    assert "house/missing" in problem.msg
    assert problem.rule_id == "house.state.profanity"


def test_a_category_the_other_pack_lacks_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        fair_collect.load_policy(
            [_write(tmp_path / "state", _rules("us/federal", "[no_such_category]"))]
        )
    (problem,) = caught.value.problems
    assert "no_such_category" in problem.msg


# ---------------------------------------------------------------- address_kind


def _to(kind: str | None) -> Facts:
    recipient: dict[str, Any] = {"role": "borrower", "address": "+16175550100"}
    if kind is not None:
        recipient["address_kind"] = kind
    return Facts.of(
        fair_collect.parse_request(
            {"channel": "call", "at": "2026-06-09T10:30:00-04:00", "recipient": recipient}
        )
    )


def test_address_kind_matches_the_listed_kinds_only() -> None:
    check = _check("address_kind", kinds=["work_phone"])
    finding = check.evaluate(_to("work_phone"))
    assert finding is not None
    assert finding.evidence == {"address_kind": "work_phone"}
    assert check.evaluate(_to("mobile")) is None


def test_an_unknown_address_kind_matches_unless_told_otherwise() -> None:
    assert _check("address_kind", kinds=["work_phone"]).evaluate(_to(None)) is not None
    assert (
        _check("address_kind", kinds=["work_phone"], unknown="no_match").evaluate(_to(None)) is None
    )
