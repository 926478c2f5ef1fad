"""The shipped packs on the team's labelled wording corpus (tests/data/wording/).

The issue's targets, per language: recall >= 0.95 over the violations and
evasions, false-positive rate <= 0.03 over the compliant messages and hard
negatives. The corpus is scored the way ``bench/wording_report.py`` scores it
(``fair_collect.testing.corpus``); the report there also gives precision and
recall per category and the blind holdout set's numbers, which are measured,
not asserted, so that the word lists are never tuned to them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import fair_collect
from fair_collect.testing.corpus import (
    LABELS,
    POSITIVE,
    REQUIRED,
    Outcome,
    language_group,
    load_corpus,
    run,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "wording"
CORPUS = DATA / "corpus.yaml"
#: Labelled sets held to the targets: the team's corpus and the development
#: sets written while the word lists were broadened. The blind holdout sets
#: (holdout*.yaml) are measured by bench/wording_report.py, never asserted.
TARGETED = {
    "corpus.yaml": ("en", "zh-Hans", "zh-Hant", "yue-Hant"),
    "extra-en.yaml": ("en",),
    "extra-zh.yaml": ("zh-Hans", "zh-Hant", "yue-Hant"),
}
RECALL_AT_LEAST = 0.95
FALSE_POSITIVE_RATE_AT_MOST = 0.03


@pytest.fixture(scope="module")
def policy() -> fair_collect.Policy:
    return fair_collect.load_policy()


@pytest.fixture(scope="module")
def corpus() -> dict[str, object]:
    return load_corpus(CORPUS)


_OUTCOMES: dict[str, list[Outcome]] = {}


def outcomes_of(policy: fair_collect.Policy, name: str) -> list[Outcome]:
    if name not in _OUTCOMES:
        _OUTCOMES[name] = run(policy, load_corpus(DATA / name)["messages"], LABELS)
    return _OUTCOMES[name]


@pytest.fixture(scope="module")
def outcomes(policy: fair_collect.Policy) -> list[Outcome]:
    return outcomes_of(policy, "corpus.yaml")


def _rates(outcomes: list[Outcome], language: str) -> tuple[float, float, list[str], list[str]]:
    counts: Counter[str] = Counter()
    misses, false_positives = [], []
    for o in outcomes:
        if language_group(str(o.entry["language"])) != language:
            continue
        if o.entry["kind"] in POSITIVE:
            counts["positives"] += 1
            if o.flagged:
                counts["tp"] += 1
            else:
                misses.append(str(o.entry["id"]))
        else:
            counts["negatives"] += 1
            if o.flagged:
                counts["fp"] += 1
                false_positives.append(f"{o.entry['id']}: {sorted(o.flagged)}")
    return (
        counts["tp"] / counts["positives"],
        counts["fp"] / counts["negatives"],
        misses,
        false_positives,
    )


@pytest.mark.parametrize(
    ("name", "language"), [(name, lang) for name, langs in TARGETED.items() for lang in langs]
)
def test_recall_and_false_positive_rate_per_language(
    policy: fair_collect.Policy, name: str, language: str
) -> None:
    recall, fpr, misses, false_positives = _rates(outcomes_of(policy, name), language)
    assert recall >= RECALL_AT_LEAST, f"recall {recall:.3f}; missed {misses}"
    assert fpr <= FALSE_POSITIVE_RATE_AT_MOST, f"FPR {fpr:.3f}; flagged {false_positives}"


def test_hard_negatives_with_negations_are_never_flagged_as_threats(
    outcomes: list[Outcome],
) -> None:
    """The negation cases the README's labelling policy names are all clear."""
    ids = {"en-hardneg-001", "en-hardneg-015", "en-hardneg-022"}
    flagged = {str(o.entry["id"]): o.flagged for o in outcomes if o.entry["id"] in ids}
    assert len(flagged) == len(ids)
    assert all(not codes for codes in flagged.values()), flagged


def test_every_required_content_case_is_decided_as_labelled(
    corpus: dict[str, list[dict[str, object]]],
) -> None:
    outcomes = run(fair_collect.load_policy(), corpus["required_content"], REQUIRED)
    wrong = [
        f"{o.entry['id']}: want {o.entry['required_content']}, got {sorted(o.flagged)}"
        for o in outcomes
        if set(o.entry["required_content"]) != o.flagged  # type: ignore[arg-type]
    ]
    assert wrong == []
