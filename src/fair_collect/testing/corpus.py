"""Score the content rules on a labelled wording corpus (``tests/data/wording/``).

A corpus message (see ``tests/data/wording/README.md``) becomes the proposed
action it stands for (``build_request``): English under US federal law,
Chinese (simplified, traditional, Cantonese) under the CN pack, with its
channel, recipient, collector and debt facts (English wording messages are
sent as a debt collector's: the corpus labels content whoever sends it, and
the federal pack binds debt collectors only). ``run`` checks each with every
rule and keeps the reasons whose code is a corpus label; ``summarise`` gives
recall and false-positive rate per language and precision and recall per
category. ``bench/wording_report.py`` prints the report; the test suite holds
the shipped packs to the targets on the team's corpus.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fair_collect.engine import Policy

__all__ = [
    "LABELS",
    "POSITIVE",
    "REQUIRED",
    "Outcome",
    "build_request",
    "language_group",
    "load_corpus",
    "required_rows",
    "run",
    "summarise",
    "table",
]


def load_corpus(path: Path) -> dict[str, Any]:
    """A corpus file: ``messages`` and optionally ``required_content``."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


LABELS = (
    "violence_threat",
    "false_legal_threat",
    "impersonation",
    "profanity_insult",
    "shaming_exposure",
    "third_party_threat",
    "third_party_disclosure",
    "false_credit_claim",
    "personal_data",
    "time_barred_suit_threat",
)
REQUIRED = ("opt_out_missing", "collector_disclosure_missing", "lcm_extra_content")
POSITIVE = frozenset({"violation", "evasion"})

#: Corpus recipient roles -> request roles.
_ROLES = {
    "borrower": "borrower",
    "spouse": "spouse",
    "guarantor": "guarantor",
    "family_member": "family",
    "employer": "employer",
    "coworker": "coworker",
    "friend": "other",
    "neighbor": "neighbour",
    "emergency_contact": "emergency_contact",
    "contact_list": "contact_list",
    "public": "other",
    "wrong_number": "other",
}


#: Corpus roles of recipients other than the borrower that are not
#: location-information contacts: people the borrower's debt may be told to
#: (a spouse, a guarantor), and a reassigned number or a public post, which
#: reach a third party while the sender means the borrower.
_NOT_LOCATION = frozenset({"spouse", "guarantor", "wrong_number", "public"})


def language_group(language: str) -> str:
    return "en" if language == "en" else language


def build_request(entry: dict[str, Any]) -> dict[str, Any]:
    """The proposed action a corpus message stands for."""
    english = entry["language"] == "en"
    channel = entry["channel"]
    role = _ROLES[entry.get("recipient_role", "borrower")]
    debt_facts = entry.get("debt", {})
    if english:
        at = "2026-06-09T10:30:00-04:00"
        location = {"country": "US", "region": "NY", "postal_code": "10001"}
        phone = "+12125550123"
        other_phone = "+12125550166"
        # The corpus labels what a message says, whoever sends it; the federal
        # pack binds debt collectors only (state laws such as California's
        # Rosenthal Act reach creditors), so a wording message is checked as a
        # debt collector's. Required-content cases keep their sender, since
        # who is bound is what they test.
        collector_type = (
            entry.get("collector_type", "third_party_collector")
            if "required_content" in entry
            else "third_party_collector"
        )
        currency = "USD"
    else:
        at = "2026-06-09T10:30:00+08:00"
        location = {"country": "CN", "region": "GD"}
        phone = "+8613800009999"
        other_phone = "+8613700008888"
        collector_type = entry.get("collector_type", "first_party_creditor")
        currency = "CNY"
    mine = role == "borrower"
    message: dict[str, Any] = {"text": entry["text"]}
    if channel in ("call", "voicemail", "sms"):
        kind = "mobile"
        address = phone if mine else other_phone
    elif channel == "email":
        kind = "personal_email"
        address = "borrower@example.com" if mine else "someone@example.com"
    elif channel == "letter":
        kind = "home"
        address = "1 Main St" if mine else "2 Side St"
        message["envelope_text"] = ""
    else:
        kind = "other"
        address = "@borrower" if mine else "@someone"
    if channel == "social_media":
        message["visibility"] = "public" if entry.get("recipient_role") == "public" else "private"
    # A US debt collector may contact a third party, without the consumer's
    # consent, only for location information (1006.10): a message to someone
    # else is checked as such a contact, and it discloses the debt when it
    # reveals it (the label's definition).
    third_party = english and not mine and entry.get("recipient_role") not in _NOT_LOCATION
    return {
        "channel": channel,
        "at": at,
        "purpose": "location_information" if third_party else "collection",
        "collector": {
            "type": collector_type,
            "name": "Example Recovery",
            "attorney": bool(entry.get("sender_is_attorney", False)),
        },
        "recipient": {"role": role, "address": address, "address_kind": kind},
        "message": message,
        "borrower": {
            "id": "B1",
            "location": location,
            "phones": [{"number": phone, "kind": "mobile"}],
            "emails": [{"address": "borrower@example.com", "kind": "personal_email"}],
        },
        "debts": [
            {
                "id": "D1",
                "kind": "consumer",
                "amount": "812.00",
                "currency": currency,
                "time_barred": bool(debt_facts.get("time_barred", False)),
                "suit_authorized": bool(debt_facts.get("suit_authorized", False)),
                "judgment": bool(debt_facts.get("judgment", False)),
            }
        ],
        "history": [],
    }


@dataclass
class Outcome:
    entry: dict[str, Any]
    flagged: set[str]
    quotes: list[str] = field(default_factory=list)


#: Reason codes that signal a corpus label of another name.
_LABEL_OF = {"location_contact_mentions_debt": "third_party_disclosure"}


def run(policy: Policy, entries: Iterable[dict[str, Any]], codes: Iterable[str]) -> list[Outcome]:
    wanted = set(codes)
    out = []
    for entry in entries:
        verdict = policy.check(build_request(entry))
        flagged = {_LABEL_OF.get(r.code, r.code) for r in verdict.reasons}
        flagged &= wanted
        quotes = [
            f"{r.code}: {r.evidence.get('quotes') or r.evidence.get('masked') or ''}"
            for r in verdict.reasons
            if r.code in wanted
        ]
        out.append(Outcome(entry, flagged, quotes))
    return out


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def summarise(outcomes: list[Outcome]) -> tuple[list[list[str]], list[list[str]]]:
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        group = language_group(o.entry["language"])
        positive = o.entry["kind"] in POSITIVE
        counts = by_language[group]
        counts["positives" if positive else "negatives"] += 1
        if o.flagged:
            counts["tp" if positive else "fp"] += 1
        labels = set(o.entry["labels"])
        for label in LABELS:
            if label in labels and label in o.flagged:
                by_label[label]["tp"] += 1
            elif label in labels:
                by_label[label]["fn"] += 1
            elif label in o.flagged:
                by_label[label]["fp"] += 1
    lang_rows = [
        ["language", "positives", "recall", "negatives", "false-positive rate", "precision"]
    ]
    for group in sorted(by_language):
        c = by_language[group]
        lang_rows.append(
            [
                group,
                str(c["positives"]),
                _ratio(c["tp"], c["positives"]),
                str(c["negatives"]),
                _ratio(c["fp"], c["negatives"]),
                _ratio(c["tp"], c["tp"] + c["fp"]),
            ]
        )
    total = Counter[str]()
    for c in by_language.values():
        total.update(c)
    lang_rows.append(
        [
            "all",
            str(total["positives"]),
            _ratio(total["tp"], total["positives"]),
            str(total["negatives"]),
            _ratio(total["fp"], total["negatives"]),
            _ratio(total["tp"], total["tp"] + total["fp"]),
        ]
    )
    label_rows = [["category", "labelled", "recall", "flagged", "precision"]]
    for label in LABELS:
        c = by_label[label]
        label_rows.append(
            [
                label,
                str(c["tp"] + c["fn"]),
                _ratio(c["tp"], c["tp"] + c["fn"]),
                str(c["tp"] + c["fp"]),
                _ratio(c["tp"], c["tp"] + c["fp"]),
            ]
        )
    return lang_rows, label_rows


def required_rows(outcomes: list[Outcome]) -> list[list[str]]:
    rows = [["item", "labelled", "recall", "flagged", "precision"]]
    for item in REQUIRED:
        tp = sum(1 for o in outcomes if item in o.entry["required_content"] and item in o.flagged)
        fn = sum(
            1 for o in outcomes if item in o.entry["required_content"] and item not in o.flagged
        )
        fp = sum(
            1 for o in outcomes if item not in o.entry["required_content"] and item in o.flagged
        )
        rows.append([item, str(tp + fn), _ratio(tp, tp + fn), str(tp + fp), _ratio(tp, tp + fp)])
    return rows


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
