"""The policy's word lists (``text/lexicon.py``) and the content checks that read
them (``checks/content.py``): what is found, where it is quoted from, what
clears a hit (negation in its clause, facts that make it lawful), and how a
broken word list is reported. A house pack in a temporary folder keeps these
tests independent of the shipped word lists."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fair_collect
from fair_collect import PackError
from fair_collect.testing.corpus import load_corpus
from fair_collect.text import lexicon as impl
from fair_collect.text import normalize
from fair_collect.text.lexicon import MAX_HITS_PER_ENTRY, Lexicon, WordEntry

PACK = """\
id: house/words
title: House wording pack
jurisdiction: US
version: "1"
effective:
  from: "2021-11-30"
binds: [third_party_collector]
sources:
  - source: "House policy 7"
example_defaults:
  channel: sms
  at: "2026-06-09T10:30:00-04:00"
  collector: {type: third_party_collector}
  recipient: {role: borrower, address: "+12125550123", address_kind: mobile}
  borrower:
    id: B1
    location: {country: US, region: NY, postal_code: "10001"}
    phones: [{number: "+12125550123", kind: mobile}]
  debts: [{id: D1}]
"""

RULES = """\
rules:
  - id: house.words.threats
    title: No threats
    category: harassment
    code: threat
    effect: deny
    check:
      wording: {categories: [violence_threat, false_legal_threat]}
    message: "Threat: {quotes}"
    citations: [{source: "House policy 7"}]
    examples:
      - {name: threat, expect: deny, request: {message: {text: "we will break your legs"}}}
      - {name: none, expect: allow, request: {message: {text: "thanks for paying"}}}
  - id: house.words.suit
    title: No suit threats unless authorised
    category: false_representation
    code: suit
    effect: deny
    check:
      wording: {categories: [suit_threat]}
    message: "Suit: {quotes}"
    citations: [{source: "House policy 7"}]
    examples:
      - {name: threat, expect: deny, request: {message: {text: "we will sue you"}}}
      - {name: none, expect: allow, request: {message: {text: "thanks for paying"}}}
  - id: house.words.opt_out
    title: Opt-out in texts
    category: disclosure
    code: opt_out_missing
    effect: deny
    check:
      required_content:
        item: opt_out_instructions
        categories: [opt_out_instruction]
        defeated_by: [opt_out_burden]
    message: "No opt-out ({required})"
    citations: [{source: "House policy 7"}]
    examples:
      - {name: missing, expect: deny, request: {message: {text: "pay now"}}}
      - {name: present, expect: allow, request: {message: {text: "pay now. Reply STOP to opt out"}}}
  - id: house.words.personal_data
    title: No identifiers
    category: privacy
    code: personal_data
    effect: deny
    check:
      personal_data: {region: US, relation_categories: [person_relation]}
    message: "Identifiers: {masked}"
    citations: [{source: "House policy 7"}]
    examples:
      - {name: ssn, expect: deny, request: {message: {text: "SSN 123-45-6789 on file"}}}
      - {name: masked, expect: allow, request: {message: {text: "SSN ending in 6789"}}}
"""

WORDS = """\
language: en
entries:
  - {text: "break your legs", category: violence_threat, forms: ["break your leg"]}
  - {text: "jail", category: false_legal_threat}
  - {text: "garnish your wages", category: false_legal_threat, lawful_if: [judgment]}
  - {text: "no one will find", category: violence_threat, negatable: false}
  - {text: "sue you", category: suit_threat, lawful_if: [suit_authorized]}
  - {text: "坐牢", category: false_legal_threat, language: zh-Hans}
  - {text: "爆通讯录", category: false_legal_threat, language: zh-Hans}
  - {text: "reply stop", category: opt_out_instruction}
  - {text: "with your ssn", category: opt_out_burden}
  - {text: "sister's", category: person_relation}
"""

CONTEXT = """\
language: en
entries:
  - {text: "not", category: negation, forms: ["never", "won't", "don't"]}
  - {text: "不会", category: negation, language: zh-Hans}
  - {text: "pay", category: negation_stop}
  - {text: "还", category: negation_stop, language: zh-Hans}
"""


def house_policy(tmp_path: Path, words: str = WORDS, rules: str = RULES) -> fair_collect.Policy:
    root = tmp_path / "house"
    (root / "wordlists").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK, encoding="utf-8")
    (root / "rules.yaml").write_text(rules, encoding="utf-8")
    (root / "wordlists" / "words.yaml").write_text(words, encoding="utf-8")
    (root / "wordlists" / "context.yaml").write_text(CONTEXT, encoding="utf-8")
    return fair_collect.load_policy([root])


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> fair_collect.Policy:
    return house_policy(tmp_path_factory.mktemp("lexicon"))


def request(text: str, **more: Any) -> dict[str, Any]:
    req: dict[str, Any] = {
        "channel": "sms",
        "at": "2026-06-09T10:30:00-04:00",
        "collector": {"type": "third_party_collector"},
        "recipient": {"role": "borrower", "address": "+12125550123", "address_kind": "mobile"},
        "borrower": {
            "id": "B1",
            "location": {"country": "US", "region": "NY", "postal_code": "10001"},
            "phones": [{"number": "+12125550123", "kind": "mobile"}],
        },
        "message": {"text": text},
        "debts": [{"id": "D1"}],
    }
    req.update(more)
    return req


def codes(policy: fair_collect.Policy, text: str, **more: Any) -> set[str]:
    return {r.code for r in policy.lint(request(text, **more)).reasons}


def test_rule_examples_pass(policy: fair_collect.Policy) -> None:
    from fair_collect.testing.scenarios import run_rule_examples

    results = run_rule_examples(policy)
    assert [r for r in results if not r.passed] == []


@pytest.mark.parametrize(
    "text",
    [
        "we will break your legs",
        "We Will BREAK YOUR LEG.",
        "we will br3ak your l3gs",
        "we will b r e a k your legs",
        "you'll go to J.A.I.L",
        "you'll go to j\u200bail",
        "you'll go to јаіl",  # Cyrillic look-alikes
        "ＪＡＩＬ awaits",
        "不还就等着坐牢",
        "不还就等着坐🔥牢",
        "等着zuo lao吧",
        "马上爆通訊錄",
        "马上 bao tong xun lu",
    ],
)
def test_disguised_threats_are_found(policy: fair_collect.Policy, text: str) -> None:
    assert "threat" in codes(policy, text)


@pytest.mark.parametrize(
    "text",
    [
        "jailbreak your phone for free",  # whole words only
        "We will not send anyone to jail.",  # negated in its clause
        "You will never go to jail over this.",
        "我们不会让你坐牢",
        "thanks for paying",
    ],
)
def test_hard_negatives_are_not_flagged(policy: fair_collect.Policy, text: str) -> None:
    assert "threat" not in codes(policy, text)


def test_negation_reaches_only_its_own_clause(policy: fair_collect.Policy) -> None:
    assert "threat" in codes(policy, "We will not call again. You will go to jail.")
    assert "threat" in codes(policy, "We won't wait, jail is next")


def test_a_stop_word_ends_the_reach_of_a_negation(policy: fair_collect.Policy) -> None:
    # "don't" negates "pay", not "jail".
    assert "threat" in codes(policy, "people who don't pay end up in jail")


def test_an_entry_that_is_not_negatable_stays_a_hit(policy: fair_collect.Policy) -> None:
    assert "threat" in codes(policy, "don't worry, no one will find you")


def test_enforcement_wording_is_lawful_after_a_judgment(policy: fair_collect.Policy) -> None:
    text = "We will garnish your wages."
    assert "threat" in codes(policy, text)
    assert "threat" not in codes(policy, text, debts=[{"id": "D1", "judgment": True}])
    # Every debt of the action needs the judgment.
    both = [{"id": "D1", "judgment": True}, {"id": "D2"}]
    assert "threat" in codes(policy, text, debts=both)
    assert "threat" not in codes(policy, text, debts=both, debt_ids=["D1"])


def test_a_suit_notice_is_lawful_when_the_suit_is_authorised(
    policy: fair_collect.Policy,
) -> None:
    assert "suit" in codes(policy, "we will sue you")
    assert "suit" not in codes(
        policy, "we will sue you", debts=[{"id": "D1", "suit_authorized": True}]
    )


def test_the_reason_quotes_the_original_text(policy: fair_collect.Policy) -> None:
    text = "Listen: we will b-r-e-a-k your legs!"
    verdict = policy.lint(request(text))
    (reason,) = [r for r in verdict.reasons if r.code == "threat"]
    (span,) = reason.evidence["spans"]
    assert text[span["start"] : span["end"]] == span["quote"] == "b-r-e-a-k your legs"
    assert span["field"] == "text"
    assert reason.evidence["quotes"] == ["b-r-e-a-k your legs"]
    assert "b-r-e-a-k your legs" in reason.message
    assert verdict.next_allowed_at is None


def test_subject_lines_are_read(policy: fair_collect.Policy) -> None:
    req = request("hello")
    req["channel"] = "email"
    req["recipient"] = {
        "role": "borrower",
        "address": "a@example.com",
        "address_kind": "personal_email",
    }
    req["message"] = {"text": "see below", "subject": "Jail is next"}
    (reason,) = [r for r in policy.lint(req).reasons if r.code == "threat"]
    assert reason.evidence["fields"] == ["subject"]


def test_required_content_is_defeated_by_a_burden(policy: fair_collect.Policy) -> None:
    assert "opt_out_missing" not in codes(policy, "Pay now. Reply STOP to opt out.")
    assert "opt_out_missing" in codes(policy, "Pay now.")
    assert "opt_out_missing" in codes(policy, "Pay now. Reply STOP with your SSN to opt out.")


def test_a_message_without_text_has_nothing_to_read(policy: fair_collect.Policy) -> None:
    req = request("x")
    del req["message"]
    assert policy.lint(req).allowed


def test_lint_runs_only_the_rules_that_read_the_message(policy: fair_collect.Policy) -> None:
    verdict = policy.lint(request("Reply STOP to opt out"))
    assert verdict.allowed
    assert {r.id for r in policy.rules if r.reads_message} == {
        "house.words.threats",
        "house.words.suit",
        "house.words.opt_out",
        "house.words.personal_data",
    }


def test_check_and_lint_agree_on_content(policy: fair_collect.Policy) -> None:
    req = request("we will break your legs")
    assert {r.code for r in policy.check(req).reasons} >= {r.code for r in policy.lint(req).reasons}


def test_a_rule_naming_an_unknown_category_is_a_pack_error(tmp_path: Path) -> None:
    rules = RULES.replace("[violence_threat, false_legal_threat]", "[violence_thret]")
    with pytest.raises(PackError) as caught:
        house_policy(tmp_path, rules=rules)
    text = str(caught.value)
    assert "violence_thret" in text
    assert "did you mean 'violence_threat'" in text


def test_a_broken_word_list_is_located(tmp_path: Path) -> None:
    words = WORDS + '  - {text: "debt*", category: violence_threat}\n  - {txt: "x"}\n'
    with pytest.raises(PackError) as caught:
        house_policy(tmp_path, words=words)
    problems = caught.value.problems
    assert all(p.file.endswith("wordlists/words.yaml") for p in problems)
    assert any("txt" in p.msg for p in problems)
    assert {p.line for p in problems} - {None}


def test_an_entry_without_a_category_is_located(tmp_path: Path) -> None:
    words = WORDS + '  - {text: "orphan"}\n'
    with pytest.raises(PackError) as caught:
        house_policy(tmp_path, words=words)
    (problem,) = caught.value.problems
    assert "category" in problem.msg
    assert problem.line == WORDS.count("\n") + 1


def test_word_lists_are_part_of_the_pack_digest(tmp_path: Path) -> None:
    first = house_policy(tmp_path / "a").packs[0].ref.digest
    second = house_policy(
        tmp_path / "b", words=WORDS + '  - {text: "x y", category: violence_threat}\n'
    )
    assert first != second.packs[0].ref.digest


def _lexicon() -> Lexicon:
    entries = [
        ("p", WordEntry(text="break your legs", category="violence_threat", language="en")),
        ("p", WordEntry(text="坐牢", category="false_legal_threat", language="zh-Hans")),
        ("q", WordEntry(text="jail", category="false_legal_threat", language="en")),
        (
            "p",
            WordEntry(
                text="sheriff",
                forms=("deputy",),
                near=("at your door", "cuffs"),
                within=3,
                category="false_legal_threat",
                language="en",
            ),
        ),
    ]
    return Lexicon(entries)


LEXICON = _lexicon()


def test_a_pair_entry_is_found_in_either_order_within_its_sentence() -> None:
    def quotes(text: str) -> list[str]:
        return [h.quote for h in LEXICON.scan(text) if h.term == "sheriff"]

    assert quotes("The sheriff will be at your door at noon.") == ["sheriff will be at your door"]
    assert quotes("Cuffs, and then a deputy.") == ["Cuffs, and then a deputy"]
    assert quotes("The S-H-E-R-I-F-F brings cuffs") == ["S-H-E-R-I-F-F brings cuffs"]
    # Either term alone, the two in different sentences, or too far apart: no hit.
    assert quotes("The sheriff's sale of the lot is on Monday.") == []
    assert quotes("Someone is at your door.") == []
    assert quotes("Ask the sheriff. We are at your door.") == []
    assert quotes("The sheriff said that one day we may be at your door") == []


def test_a_pair_is_negated_by_a_cue_before_its_later_term(policy: fair_collect.Policy) -> None:
    lexicon = Lexicon(
        [
            *((pack, entry) for pack, entry in LEXICON.entries),
            ("p", WordEntry(text="never", category="negation", language="en")),
        ]
    )
    (hit,) = lexicon.scan("The deputy will never be at your door.")
    assert hit.negated
    (hit,) = lexicon.scan("We never wait: the deputy will be at your door.")
    assert not hit.negated


_PAIR_WORDS = {"sheriff": 1, "deputy": 1, "cuffs": 1, "at your door": 3, "the": 1, "and": 1, ".": 0}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(_PAIR_WORDS)), max_size=60))
def test_pair_hits_are_the_terms_with_a_partner_close_by_in_their_sentence(
    words: list[str],
) -> None:
    # Reference: a "sheriff"/"deputy" is a hit when the nearest partner
    # before or after it in its sentence has at most ``within`` units between.
    expected = 0
    for i, word in enumerate(words):
        if word not in ("sheriff", "deputy"):
            continue
        for step in (-1, 1):
            units = 0
            j = i + step
            while 0 <= j < len(words) and words[j] != ".":
                if words[j] in ("cuffs", "at your door"):
                    break
                units += _PAIR_WORDS[words[j]]
                j += step
            if 0 <= j < len(words) and words[j] != "." and units <= 3:
                expected += 1
                break
    hits = [h for h in LEXICON.scan(" ".join(words)) if h.term == "sheriff"]
    assert len(hits) == min(expected, MAX_HITS_PER_ENTRY)
    for hit in hits:
        assert "." not in hit.quote
        terms = ("sheriff", "deputy", "cuffs", "at your door")
        assert hit.quote.startswith(terms)
        assert hit.quote.endswith(terms)


def test_hits_carry_their_pack() -> None:
    hits = LEXICON.scan("jail or break your legs")
    assert [(h.pack, h.category) for h in hits] == [
        ("q", "false_legal_threat"),
        ("p", "violence_threat"),
    ]
    assert LEXICON.categories == {
        "p": frozenset({"violence_threat", "false_legal_threat"}),
        "q": frozenset({"false_legal_threat"}),
    }


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_hit_spans_index_the_original_text(text: str) -> None:
    for hit in LEXICON.scan(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.quote


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.text(max_size=120))
def test_a_listed_phrase_is_found_wherever_it_is_put(before: str, after: str) -> None:
    text = f"{before} 坐牢 {after}"
    assert any(h.category == "false_legal_threat" for h in LEXICON.scan(text))


def test_a_quoted_threat_its_sentence_disowns_is_not_a_threat(
    policy: fair_collect.Policy,
) -> None:
    assert "threat" not in codes(policy, 'Scammers say "you will go to jail" and we never do.')
    assert "threat" not in codes(policy, "警惕以「坐牢」相威胁的骗子，我们不会这样做")
    # Quotation marks alone do not disown a threat ...
    assert "threat" in codes(policy, 'Pay or it is "jail" for you.')
    # ... nor does a cue in another sentence.
    assert "threat" in codes(policy, 'We do not wait. "Jail" is next.')


def test_quoted_phrases_are_not_joined_into_a_key(shipped_lexicon: Lexicon) -> None:
    def found(text: str) -> set[str]:
        return {text[h.start : h.end] for h in shipped_lexicon.scan(text) if not h.negated}

    # Two quoted phrases side by side do not make 洗钱案, nor does the word
    # before a quotation make 你涉嫌 with its first characters ...
    assert "洗钱”“案" not in found("理由是“涉嫌洗钱”“案件已立案”")
    assert "你「涉嫌" not in found("有人话你「涉嫌洗黑钱」")
    # ... but quotation marks that break a word are read through.
    assert "坐“牢" in found("你坐“牢”吧")
    assert "坐”“牢" in found("你“坐”“牢”吧")


def test_a_cue_a_stop_word_follows_disowns_no_quotation(shipped_lexicon: Lexicon) -> None:
    def negated(text: str, term: str) -> bool:
        (hit,) = [h for h in shipped_lexicon.scan(text) if text[h.start : h.end] == term][:1]
        return hit.negated

    # 不 in 过不了 and 再不还 negates nothing: the quoted claim stands ...
    assert not negated("你已被录入“全国网贷黑名单”，以后贷款都过不了。", "网贷黑名单")
    # ... while a real cue in the sentence still disowns the quotation.
    assert negated("骗子常以“不还钱就要坐牢”恐吓借款人，正规机构不会这样说", "坐牢")


@pytest.mark.parametrize(
    ("marks", "span", "splits"),
    [
        ([2, 7], (0, 4), True),  # into the quotation, taking part of it
        ([2, 7], (5, 9), True),  # out of it, from its middle
        ([2, 7], (1, 9), False),  # around all of it
        ([2, 4], (1, 5), False),  # a one-character quotation, whole
        ([2, 4, 5, 9], (3, 7), True),  # through two quotations side by side
        ([2], (0, 5), False),  # an unpaired mark closes nothing
    ],
)
def test_splits_a_quotation(marks: list[int], span: tuple[int, int], splits: bool) -> None:
    assert impl._splits_a_quotation(marks, *span) is splits


def test_a_negation_reaches_through_a_list(policy: fair_collect.Policy) -> None:
    text = "We will not sue you, garnish your wages or jail you."
    assert codes(policy, text).isdisjoint({"threat", "suit"})
    # A comma that opens a new clause still ends the negation's reach.
    assert "threat" in codes(policy, "We won't wait, you will go to jail or worse.")
    assert "threat" in codes(policy, "If you don't, a warrant is issued and jail follows.")


def test_text_flooded_with_numbers_is_not_an_allow(policy: fair_collect.Policy) -> None:
    # The personal-data scan stops after its caps; what it did not read may
    # hide an identifier, so the rule fails closed.
    flood = " ".join(f"{n:09d}" for n in range(2000)) + " SSN 123-45-6789"
    verdict = policy.lint(request(flood))
    (reason,) = [r for r in verdict.reasons if r.code == "personal_data"]
    assert reason.evidence["unread_fields"] == ["text"]


def test_hits_after_wide_characters_are_placed_on_characters() -> None:
    # The automaton reads UTF-8 bytes; hits must still be placed on
    # characters, after Han text, astral emoji and accented letters alike.
    text = "您好😀，é 坐牢 and jail 𠀀 坐牢"
    spans = [(h.start, h.end, h.quote) for h in LEXICON.scan(text)]
    first = text.index("坐牢")
    second = text.index("坐牢", first + 1)
    jail = text.index("jail")
    assert (first, first + 2, "坐牢") in spans
    assert (second, second + 2, "坐牢") in spans
    assert (jail, jail + 4, "jail") in spans


def test_bytes_no_key_holds_are_read_as_stand_ins() -> None:
    # Korean text (first byte 0xEA) and symbols no key holds reach the
    # automaton as stand-ins; the bytes of listed words are read as they are.
    fold = LEXICON._matcher.fold  # type: ignore[union-attr]
    assert fold[0xEA] == 0xFA
    assert fold[0xCE] == 0xF9
    assert fold[0xF0] == 0xFB
    assert fold[ord("~")] == 0xF8
    assert all(fold[b] == b for b in "jail 坐牢".encode())
    # Hits around such text are still placed on its characters.
    text = "가나다 jail λόγος 坐牢 😀 ~jail~"
    spans = [(h.start, h.end) for h in LEXICON.scan(text)]
    first = text.index("jail")
    zuolao = text.index("坐牢")
    last = text.index("jail", first + 1)
    assert spans == [(first, first + 4), (zuolao, zuolao + 2), (last, last + 4)]


def test_half_pinyin_spellings_are_read_in_mixed_text() -> None:
    # Latin letters beside Han characters are read with the pinyin of the
    # characters around them: "zuo牢" spells 坐牢.
    hits = LEXICON.scan("你就等着zuo牢吧")
    assert [h.quote for h in hits] == ["zuo牢"]
    assert LEXICON.scan("zuo牢 and 坐lao").hits[1].quote == "坐lao"


def _mixed_pairs_one_run_at_a_time(word: str) -> list[int]:
    """Reference for ``_mixed_pairs``: the ends of each Latin run tried in turn."""
    out: list[int] = []
    last = 0
    for run in re.finditer("[a-z]+", word):
        start, end = run.span()
        if start > last and "\u3400" <= word[start - 1] <= "\u9fff":
            last = start + 1
            out.append(start - 1)
        if end - 1 >= last and end < len(word) and "\u3400" <= word[end] <= "\u9fff":
            last = end + 1
            out.append(end - 1)
    return out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab中文㐀\u9fff\ua000 .é😀", max_size=60))
def test_mixed_pairs_are_those_of_a_scan_of_latin_runs(word: str) -> None:
    expected = _mixed_pairs_one_run_at_a_time(word)
    assert list(impl._mixed_pairs(word)) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_PAIRS_BY_RE2_FROM", 0)  # the path of long words
        assert list(impl._mixed_pairs(word)) == expected


def test_a_flood_of_latin_and_han_side_by_side_is_reported_as_truncated() -> None:
    # Each pair opens a window read aloud in pinyin: past the cap, the rest
    # is not read, and the scan says so.
    unit = "ab中cd文 "
    below = impl.MAX_MIXED_PAIRS // 2 - 1  # two pairs per unit, one in "zuo牢"
    scan = LEXICON.scan(unit * below + "zuo牢")
    assert not scan.truncated
    assert [h.quote for h in scan] == ["zuo牢"]
    flooded = LEXICON.scan(unit * (below + 10) + "zuo牢")
    assert flooded.truncated
    assert not flooded.hits


def test_a_flood_of_matches_is_reported_as_truncated() -> None:
    scan = LEXICON.scan("jail " * 30_000)
    assert scan.truncated
    assert scan.hits


@pytest.mark.parametrize("unit", ["jail ", "坐牢 jail "])
def test_a_flood_that_stops_the_word_view_scan_never_makes_the_squeezed_view(unit: str) -> None:
    folded = normalize(unit * 30_000)
    assert LEXICON.scan(folded.original, folded).truncated
    assert folded._squeezed is None
    # Read later, it is what it would have been.
    assert folded.squeezed.text == ("jaii" if unit == "jail " else "坐牢jaii") * 30_000


def test_a_message_read_in_full_reads_its_squeezed_view() -> None:
    folded = normalize("we will put you in j.a.i.l")
    assert [h.term for h in LEXICON.scan(folded.original, folded)] == ["jail"]
    assert folded._squeezed is not None


def _cue_lexicon() -> Lexicon:
    entries = [
        ("p", WordEntry(text="jail", category="false_legal_threat", language="en")),
        ("p", WordEntry(text="坐牢", category="false_legal_threat", language="zh-Hans")),
        ("p", WordEntry(text="not", category="negation", language="en")),
        ("p", WordEntry(text="pay", category="negation_stop", language="en")),
    ]
    return Lexicon(entries)


CUE_LEXICON = _cue_lexicon()


def test_hits_past_the_cap_of_an_entry_are_dropped_and_the_last_kept_is_never_negated() -> None:
    scan = CUE_LEXICON.scan("we will not jail you, 坐牢. " * (MAX_HITS_PER_ENTRY + 5))
    jail = [h for h in scan if h.term == "jail"]
    zuolao = [h for h in scan if h.term == "坐牢"]
    assert len(jail) == len(zuolao) == MAX_HITS_PER_ENTRY
    assert [h.negated for h in jail] == [True] * (MAX_HITS_PER_ENTRY - 1) + [False]
    assert not any(h.negated for h in zuolao)
    assert [h._where for h in scan] == sorted(h._where for h in scan)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["jail", "坐牢", "not", "pay", "you", ",", ".", "jail坐牢", "坐 牢"]),
        max_size=120,
    )
)
def test_the_hits_kept_are_the_first_of_each_entry_in_order_of_position(words: list[str]) -> None:
    # Reading the places grouped by entry keeps what reading every place in
    # order of position kept: the first MAX_HITS_PER_ENTRY of each entry.
    text = " ".join(words)
    folded = normalize(text)
    located: dict[int, int] = {}  # place (entry << shift | start) -> end
    scan = CUE_LEXICON.scan(text, folded)
    impl._scan_word(CUE_LEXICON._matcher, folded.text, located, impl._Budget())
    if not folded.text.isascii():
        CUE_LEXICON._scan_pinyin(folded.text, located, impl._Budget())
    impl._scan_squeezed(CUE_LEXICON._matcher, folded, located, impl._Budget())
    expected = []
    kept: dict[int, int] = {}
    shift = impl._PLACE_SHIFT
    places = ((place & ((1 << shift) - 1), end, place >> shift) for place, end in located.items())
    for start, end, entry in sorted(places):
        if CUE_LEXICON._roles[entry] or kept.get(entry, 0) >= MAX_HITS_PER_ENTRY:
            continue
        kept[entry] = kept.get(entry, 0) + 1
        expected.append((CUE_LEXICON.entries[entry][1].text, (start, end)))
    assert [(h.term, h._where) for h in scan] == expected


def test_a_negation_covers_each_item_of_a_long_list() -> None:
    # Each item is within reach of the negation, though the whole list is not.
    (hit,) = CUE_LEXICON.scan(
        "we will not call you at night, ask for gift cards, or send you to jail."
    )
    assert hit.negated
    # An item that opens a new clause with a subject is not in the list.
    (hit,) = CUE_LEXICON.scan("we will not call you at night, ask twice, you go to jail or worse.")
    assert not hit.negated
    # The hit's own item must still be short.
    (hit,) = CUE_LEXICON.scan(
        "we will not wait, or we tell everyone you know that you will be sent off to jail."
    )
    assert not hit.negated


def test_single_quotation_marks_quote_too() -> None:
    lexicon = Lexicon(
        [
            *CUE_LEXICON.entries,
            ("p", WordEntry(text="pretending to be", category="negation", language="en")),
        ]
    )
    text = "Callers pretending to be deputies say 'you go to jail today.' Hang up."
    (hit,) = lexicon.scan(text)
    assert hit.negated
    # Apostrophes are not quotation marks: nothing here is quoted.
    (hit,) = lexicon.scan("Pretending to be nice won't help, the borrowers' jail is next.")
    assert not hit.negated
    assert impl._quoted_regions("don't, borrowers' accounts, 'til then") == ()


def test_a_negation_after_the_hit_clears_it_in_passive_and_copular_sentences() -> None:
    lexicon = Lexicon(
        [
            *CUE_LEXICON.entries,
            ("p", WordEntry(text="employer", category="third_party_threat", language="en")),
            ("p", WordEntry(text="will not be", category="negation_after", language="en")),
            ("p", WordEntry(text="isn't", category="negation_after", language="en")),
            ("p", WordEntry(text="far", category="negation_stop", language="en")),
        ]
    )

    def negated(text: str) -> list[bool]:
        return [h.negated for h in lexicon.scan(text)]

    assert negated("Your employer will not be contacted.") == [True]
    assert negated("Jail isn't possible for a civil debt.") == [True]
    # Not across a sentence or a comma, not past a word, not before a stop word.
    assert negated("We call your employer. It will not be pleasant.") == [False]
    assert negated("We call your employer, it isn't a joke.") == [False]
    assert negated("We send guys to jail who will not be nice.") == [False]
    assert negated("Jail isn't far away.") == [False]


def test_a_pair_is_also_negated_by_a_cue_before_its_earlier_term() -> None:
    lexicon = Lexicon(
        [
            (
                "p",
                WordEntry(
                    text="子女", near=("联系",), category="third_party_threat", language="zh-Hans"
                ),
            ),
            ("p", WordEntry(text="不会", category="negation", language="zh-Hans")),
        ]
    )
    # The cue reaches 联系 (the earlier term), not 子女 eleven characters on.
    (hit,) = lexicon.scan("本行不会因您的逾期而联系您的子女或父母。")
    assert hit.negated
    (hit,) = lexicon.scan("本行因您的逾期将联系您的子女。")
    assert not hit.negated


def test_pair_partners_are_found_around_heads_anywhere_in_a_long_message() -> None:
    filler = "We wrote to you about the balance. " * 200
    text = filler + "The deputy, with c.u.f.f.s, is at your door. " + filler
    hits = [h for h in LEXICON.scan(text) if h.term == "sheriff"]
    assert [h.quote for h in hits] == ["deputy, with c.u.f.f.s"]
    # A partner in the next sentence does not pair, however close.
    assert not [
        h for h in LEXICON.scan(filler + "The deputy. Cuffs. " + filler) if h.term == "sheriff"
    ]


_SINGLE_QUOTE = re.compile(
    r"(?:(?:^|(?<=[\s(\[]))(')(?=[^\W_]))|(?:(?<=[^\W_]|[.!?,])'(?=$|[\s.,;:!?)\]]))"
)


def _single_quoted_reference(word: str) -> list[tuple[int, int]]:
    opened, regions = -1, []
    for mark in _SINGLE_QUOTE.finditer(word):
        if mark.group(1) is not None:
            if opened < 0:
                opened = mark.start()
        elif opened >= 0:
            regions.append((opened, mark.start()))
            opened = -1
    return regions


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="'ab1 .,([!?)]:é_", max_size=40))
def test_single_quoted_regions_are_those_of_their_definition(word: str) -> None:
    # The definition as one pattern; the code finds marks with str.find.
    assert list(impl._quoted_regions(word)) == _single_quoted_reference(word)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="'\"ab .;!?(", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=10),
)
def test_quotations_looked_up_by_bisection_are_those_walked_one_by_one(
    word: str, spans: list[tuple[int, int]]
) -> None:
    quotations = impl._Quotations(word)
    regions = impl._quoted_regions(word)
    for first, width in spans:
        start = min(first, len(word))
        end = min(start + width, len(word))
        assert quotations.hold(start, end) == any(lo < start and end <= hi for lo, hi in regions)
        lo = start
        while lo > 0 and word[lo - 1] not in ".!?;":
            lo -= 1
        hi = end
        while hi < len(word) and word[hi] not in ".!?;":
            hi += 1
        assert quotations.sentence(start, end) == (lo, hi)


def _development_messages() -> list[str]:
    folder = Path(__file__).resolve().parents[1] / "data" / "wording"
    return [
        entry["text"]
        for path in sorted(folder.glob("*.yaml"))
        if not path.name.startswith("holdout")
        for entry in load_corpus(path)["messages"]
    ]


@pytest.fixture(scope="module")
def shipped_lexicon() -> Lexicon:
    lexicon = fair_collect.load_policy().lexicon
    assert lexicon is not None
    return lexicon


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("budget", [512, 1_024])
def test_a_long_text_of_even_density_read_from_a_head_gives_the_scan_of_the_whole(
    shipped_lexicon: Lexicon, seed: int, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Development messages run together, thinned out with filler at random:
    # floods the head spends the budget in, and texts it does not. (A small
    # budget has heads taken from texts a tenth of a megabyte long.) Where
    # the density or the context changes past the head, the hits near the
    # budget's end may differ: see the next test.
    monkeypatch.setattr(impl, "MAX_MATCHES", budget)
    rng = random.Random(seed)
    size = rng.randint(70_000, 250_000)
    sparse = rng.choice([0.0, 0.0, 0.3, 0.6, 0.9, 0.97])
    messages = _development_messages()
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(messages) if rng.random() >= sparse else "lorem ipsum " * 40)
    text = " ".join(parts)[:size]
    whole = shipped_lexicon._scan(text, normalize(text))
    headed = shipped_lexicon.scan(text)
    assert headed.truncated == whole.truncated
    assert [(h.term, h.negated, h.start, h.end, h.quote) for h in headed.hits] == [
        (h.term, h.negated, h.start, h.end, h.quote) for h in whole.hits
    ]


def test_a_quotation_closed_past_the_head_still_leaves_the_flood_truncated(
    shipped_lexicon: Lexicon,
) -> None:
    # The head does not see the closing mark, so its "jail" is not a
    # disowned quotation; the whole text's is. Both scans stop at the
    # budget, and the wording rules deny either way (not read to the end).
    flood = " ".join(m.replace('"', "").replace("'", "") for m in _development_messages())
    text = 'beware of scammers who say "you will go to jail ' + flood * 3 + ' " the end.'
    headed = shipped_lexicon.scan(text)
    whole = shipped_lexicon._scan(text, normalize(text))
    assert headed.truncated
    assert whole.truncated
    assert headed.hits
    assert text.startswith(headed.hits[-1].quote, headed.hits[-1].start)


def test_a_head_is_never_cut_before_a_mark() -> None:
    text = "x" * 300 + "\u0915\u093e" + "y" * 300
    assert impl._head(text, 301) == "x" * 300  # not between क and its vowel sign
    spaced = "x" * 300 + " \u0301abc" + "y" * 300
    head = impl._head(spaced, 303)
    assert not unicodedata.category(spaced[len(head)]).startswith("M")
    assert impl._head("ab cd" + "e" * 600, 4) == "ab "


def test_a_flood_is_read_from_a_head(shipped_lexicon: Lexicon) -> None:
    text = " ".join(_development_messages() * 3)  # about a megabyte
    matcher = shipped_lexicon._matcher
    assert matcher is not None
    head = impl._flood_head(matcher, text)
    assert head is not None
    assert text.startswith(head)
    assert 0 < len(head) <= len(text) // 4
    assert shipped_lexicon.scan(text).truncated
    # Text with few matches is read whole.
    assert impl._flood_head(matcher, "lorem ipsum " * 10_000) is None
    # A dense start that the head does not find a flood after all: the
    # whole text is read, as if no head had been tried.
    dense_start = " ".join(_development_messages())[:20_000] + " lorem ipsum" * 80_000
    head = impl._flood_head(matcher, dense_start)
    assert head is not None
    whole = shipped_lexicon._scan(dense_start, normalize(dense_start))
    headed = shipped_lexicon.scan(dense_start)
    assert not headed.truncated
    assert not whole.truncated
    assert [(h.term, h.start, h.end) for h in headed.hits] == [
        (h.term, h.start, h.end) for h in whole.hits
    ]
