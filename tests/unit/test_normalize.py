"""The text normaliser: each evasion folds, numbers and ordinary sentences
survive, and every span of a view quotes the original exactly."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fair_collect.text.folding as impl
from fair_collect.text import Normalized, View, glue_planes, normalize, pinyin_key


def find(view: View, word: str) -> tuple[int, int]:
    at = view.text.find(word)
    assert at >= 0, f"{word!r} not in {view.text!r}"
    return at, at + len(word)


def quote(norm: Normalized, view: View, word: str) -> str:
    start, end = view.original_span(*find(view, word))
    return norm.original[start:end]


# ---------------------------------------------------------------------------
# Each evasion folds, and the reason quotes what was sent

EVASIONS = [
    pytest.param("ＪＡＩＬ", id="full-width"),
    pytest.param("JAIL", id="upper-case"),
    pytest.param("j\u200bail", id="zero-width-space"),
    pytest.param("j\u200da\u2060i\ufeffl", id="joiners-and-bom"),
    pytest.param("j\u202eail\u202c", id="bidi-override"),
    pytest.param("\u2066ja\u200fil\u2069", id="bidi-isolate-and-mark"),
    pytest.param("\u200bja\u200bil\u200b", id="zero-width-around"),
    pytest.param("ja\u00adil", id="soft-hyphen"),
    pytest.param("јаіl", id="cyrillic-look-alikes"),
    pytest.param("jαιl", id="greek-look-alikes"),
    pytest.param("j4il", id="leet"),
    pytest.param("j@1l", id="leet-symbol-and-digit"),
    pytest.param("j a i l", id="spaced"),
    pytest.param("j.a.i.l", id="dotted"),
    pytest.param("j-a-i-l", id="hyphenated"),
    pytest.param("j_a_i_l", id="underscored"),
    pytest.param("j . a . i . l", id="spaced-dots"),
    pytest.param("j🔥a🔥i🔥l", id="emoji-split"),
    pytest.param("j 4 i l", id="spaced-leet"),
    pytest.param("j\u200b4\u200bi\u200bl", id="zero-width-and-leet"),
    pytest.param("𝐣𝐚𝐢𝐥", id="math-bold"),
    pytest.param("ⓙⓐⓘⓛ", id="circled"),
    pytest.param("ᴊᴀɪʟ", id="small-capitals"),
    pytest.param("jáìl", id="diacritics"),
    pytest.param("j\u0301\u0302a\u0336i\u0337\u0338l\u0489", id="zalgo"),
    pytest.param("ｊ\u200b.а ｉ.ｌ", id="everything-at-once"),
]


def visible(evasion: str) -> str:
    """The evasion less the characters at its edges that fold away (which a quote leaves out)."""
    start, end = 0, len(evasion)
    while start < end and not normalize(evasion[start]).text:
        start += 1
    while end > start and not normalize(evasion[end - 1]).text:
        end -= 1
    return evasion[start:end]


@pytest.mark.parametrize("evasion", EVASIONS)
def test_evasion_folds_to_the_word_and_quotes_the_original(evasion: str) -> None:
    message = f"Pay now or we put you in {evasion} tonight."
    norm = normalize(message)
    assert norm.text.startswith("pay now or we put you in jail tonight")
    assert quote(norm, norm.word, "jail") == visible(evasion)
    assert quote(norm, norm.squeezed, "jaii") == visible(evasion)


def test_invisible_characters_at_the_edges_of_a_hit_are_not_quoted() -> None:
    assert visible("j\u202eail\u202c") == "j\u202eail"
    assert visible("\u200bja\u200bil\u200b") == "ja\u200bil"


def test_squeezed_view_joins_what_the_word_view_keeps_apart() -> None:
    norm = normalize("You go to ja.il, or j-ail, Bao-Guang.")
    assert "jail" not in norm.text.split()
    assert norm.squeezed.text == "yougotojaiiorjaiibaoguang"
    start, end = find(norm.squeezed, "jaii")
    assert norm.original[slice(*norm.squeezed.original_span(start, end))] == "ja.il"


@pytest.mark.parametrize(
    ("message", "expected", "quoted"),
    [
        ("我们会爆🔥通讯录", "我们会爆通讯录", "爆🔥通讯录"),
        ("爆 通 讯 录", "爆通讯录", "爆 通 讯 录"),
        ("马上曝-光你", "马上曝光你", "曝-光"),
        ("我們會爆通訊錄", "我们会爆通讯录", "爆通訊錄"),
        ("曝光", "曝光", "曝光"),
    ],
)
def test_chinese_evasions_fold(message: str, expected: str, quoted: str) -> None:
    norm = normalize(message)
    assert norm.text == expected
    assert quote(norm, norm.word, "爆通讯录" if "爆" in quoted else "曝光") == quoted


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("還錢", "还钱"),
        ("唔係", "唔系"),  # Cantonese: the particle stays, the traditional form folds
        ("佢哋", "佢哋"),
        ("冇錢還就等住", "冇钱还就等住"),
        ("聯絡你屋企人", "联络你屋企人"),
        ("欠債還錢", "欠债还钱"),
        ("衞生", "卫生"),  # a Hong Kong variant
        ("曬相", "晒相"),
    ],
)
def test_traditional_and_cantonese_fold_to_simplified(traditional: str, simplified: str) -> None:
    assert normalize(traditional).text == simplified


def test_hong_kong_variants_agree_with_opencc() -> None:
    import opencc

    converter = opencc.OpenCC("hk2s")
    for src, dst in impl._HK_VARIANTS.items():
        assert converter.convert(src) == dst


def test_pinyin_keys_match_romanised_spellings() -> None:
    assert pinyin_key("曝光") == "bao guang"
    assert pinyin_key("爆通訊錄") == "bao tong xun lu"
    key = normalize(pinyin_key("曝光"))
    assert key.text == "bao guang"
    for spelling in ("baoguang", "bao guang", "Bao-Guang", "bao_guang", "BAO GUANG"):
        message = normalize(f"再不还钱就 {spelling} 你")
        assert key.squeezed.text in message.squeezed.text, spelling
    assert pinyin_key("曝光 ok") == "bao guang ok"


# ---------------------------------------------------------------------------
# What must not change


@pytest.mark.parametrize(
    "number",
    [
        "$1,250.00",
        "US$100",
        "(555) 123-4567",
        "+1 555 013 4567",
        "555.013.4567",
        "ACC-12345",
        "acc12345",
        "1/2/2026",
        "2026-06-09",
        "10am",
        "5pm",
        "1st",
        "3rd",
        "4821",
        "0.5%",
        "7 days",
    ],
)
def test_numbers_survive_in_the_word_view(number: str) -> None:
    message = f"Balance due: {number} for account 4821."
    norm = normalize(message)
    assert number.lower() in norm.text
    assert norm.text == message.lower()


@pytest.mark.parametrize(
    "sentence",
    [
        "We will not take legal action.",
        "Please call us between 8am and 9pm, Monday to Friday.",
        "I'm a debt collector; this is an attempt to collect a debt.",
        "Your payment plan is confirmed - thank you!",
        "e-mail us at help@example.com or visit example.com/pay",
    ],
)
def test_ordinary_english_keeps_its_words(sentence: str) -> None:
    norm = normalize(sentence)
    assert norm.text.split()[:3] == sentence.lower().split()[:3]
    assert " ".join(norm.text.split()) == norm.text
    for word in ("will", "legal", "call", "between", "debt", "plan", "thank"):
        if word in sentence.lower().split():
            assert f" {word} " in f" {norm.text} "


def test_email_and_handles_are_read_as_text_not_kept_as_addresses() -> None:
    # The word view is for matching terms; personal data is found in the original.
    assert normalize("help@example.com").text == "helpaexample.com"


def test_ordinary_chinese_keeps_its_characters() -> None:
    sentence = "您好，这里是某某公司。您的账户已逾期，请尽快还款。"
    norm = normalize(sentence)
    assert [c for c in norm.text if unicodedata.category(c) == "Lo"] == [
        c for c in sentence if unicodedata.category(c) == "Lo"
    ]


def test_chinese_numbers_keep_their_digits() -> None:
    assert normalize("第1次提醒：欠款3000元").text == "第1次提醒:欠款3000元"


def test_clause_punctuation_between_han_stays_in_the_word_view() -> None:
    # A clause or list break is not a disguise: negations stop there and no
    # term is read across it in the word view ...
    assert normalize("这不是吓唬你。明天曝光你。").text == "这不是吓唬你.明天曝光你."
    assert normalize("有期徒刑、拘役").text == "有期徒刑、拘役"
    # ... while the squeezed view still reads through it, and quotes it.
    norm = normalize("爆，通讯录！")
    assert norm.text == "爆,通讯录!"
    assert norm.squeezed.text == "爆通讯录"
    assert quote(norm, norm.squeezed, "爆通讯录") == "爆，通讯录"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Это сообщение от коллектора", "это сообщение от коллектора"),
        ("Καλημέρα σας", "καλημερα σασ"),
        ("сор", "сор"),
    ],
)
def test_russian_and_greek_are_not_read_as_latin(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_look_alikes_fold_in_the_squeezed_key_even_without_latin_context() -> None:
    assert normalize("сор").squeezed.text == "cop"


def test_other_scripts_keep_their_marks() -> None:
    assert normalize("क्या हाल है").text == "क्या हाल है"
    assert normalize("か\u3099").text == "が"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("h4x0r", "haxor"),
        ("p@$$w0rd", "password"),
        ("l33t", "leet"),
        ("5ue", "sue"),
        ("ki11", "kiii"),
        ("a 1 b", "aib"),
        ("Plan B or C", "plan b or c"),
        ("call 1 800 555", "call 1 800 555"),
    ],
)
def test_leetspeak_folds_only_next_to_letters(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_l_and_i_share_a_squeezed_key() -> None:
    assert normalize("ki11").squeezed.text == normalize("kill").squeezed.text == "kiii"
    assert normalize("KIII").squeezed.text == "kiii"


def test_whitespace_collapses_to_single_spaces() -> None:
    norm = normalize("  sue\t\tyou \n\n now\u00a0\u3000please  ")
    assert norm.text == "sue you now please"
    assert norm.original[slice(*norm.original_span(0, 7))] == "sue\t\tyou"


def test_every_white_space_character_folds_to_a_space_or_away() -> None:
    # ``_collapse_spaces`` relies on it: after folding, a space is the only
    # white space left, so collapsing runs of spaces is ``str.split``'s work.
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    for ch in spaces:
        for text in (f"abc{ch}def", f"通讯{ch}录x", f"abc{ch}通讯", f"{ch}ab  c{ch}"):
            word = normalize(text).text
            assert all(c == " " for c in word if c.isspace()), (hex(ord(ch)), word)


@given(st.text(st.sampled_from(list("ab 通")), max_size=60))
def test_collapsing_spaces_is_splitting_and_joining(text: str) -> None:
    assert impl._collapse_spaces(text, []) == " ".join(text.split())


def test_a_long_message_with_a_trailing_space_reads_like_one_without() -> None:
    unit = "ｓｕｅ\u200b y\u0301ou 通\u200d讯录 1234-5678  "
    text = unit * 400
    assert normalize(text + " ").text == normalize(text).text
    assert "  " not in normalize(text).text


def test_ligatures_and_expansions_map_to_the_whole_original_character() -> None:
    norm = normalize("ﬁne ½ ß")
    assert norm.text == "fine 1⁄2 ss"
    assert norm.original_span(0, 1) == (0, 1)  # "f" comes from "ﬁ"
    assert norm.original_span(1, 2) == (0, 1)  # and so does "i"
    assert norm.original_span(2, 4) == (1, 3)
    assert norm.original_span(9, 10) == (6, 7)


# ---------------------------------------------------------------------------
# Spans and idempotence


def test_empty_and_blank_text() -> None:
    for text in ("", "   ", "\u200b\u200b", "\n"):
        norm = normalize(text)
        assert norm.text == ""
        assert norm.squeezed.text == ""
        assert norm.original_span(0, 0)[0] <= len(text)


def test_spans_outside_the_view_are_rejected() -> None:
    norm = normalize("pay now")
    with pytest.raises(ValueError, match="not within"):
        norm.original_span(3, 20)
    with pytest.raises(ValueError, match="not within"):
        norm.original_span(4, 3)


def test_repr_shows_both_views() -> None:
    assert repr(normalize("J.A.I.L")) == "Normalized(text='jail', squeezed='jaii')"


#: Characters that exercise every step: letters of several scripts, digits and
#: leetspeak, separators, spaces, invisibles, marks, expansions, emoji.
ALPHABET = st.sampled_from(
    list("abjilsAJIL 0134578@$.-_',!?\t\n")
    + list("ЈаіΑοΙ爆通讯錄曝光。，")
    + ["\u200b", "\u200d", "\u202e", "\u00ad", "\ufe0f", "\u0301", "\u0336", "\u3099", "か"]
    + ["ﬁ", "½", "ß", "İ", "Ｊ", "ａ", "🔥", "👍", "🏽", "ᄀ", "ᅡ", "ᆨ", "가", "\u0928", "\u093c"]
    + ["\U0001d41a", "ΐ", "\u0345", "Σ", "ς", "㍿", "⑴", "…", "ǅ", "\u0489", "\U000e0041", "\u3000"]
)
TEXTS = st.one_of(st.text(ALPHABET, max_size=40), st.text(max_size=30))


def check_view_spans(norm: Normalized, view: View) -> None:
    n = len(norm.original)
    size = len(view.text)
    previous = (0, 0)
    for i in range(size):
        start, end = view.original_span(i, i + 1)
        assert 0 <= start < end <= n
        assert start >= previous[0], "spans go backwards"
        assert end >= previous[1], "spans go backwards"
        previous = (start, end)
    for i in range(size + 1):
        for j in range(i, min(size, i + 6) + 1):
            start, end = view.original_span(i, j)
            assert 0 <= start <= end <= n
            assert (start < end) == (i < j)
            if i < j:
                first, last = view.original_span(i, i + 1), view.original_span(j - 1, j)
                assert (start, end) == (first[0], last[1])


@given(TEXTS)
def test_every_span_maps_to_an_ordered_span_of_the_original(text: str) -> None:
    norm = normalize(text)
    check_view_spans(norm, norm.word)
    check_view_spans(norm, norm.squeezed)


@given(TEXTS)
def test_the_word_view_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(TEXTS)
def test_ascii_and_unicode_paths_agree(text: str) -> None:
    # The same text through the Unicode path (a non-ASCII character that folds
    # away) must read the same as through the ASCII fast path.
    ascii_text = text.encode("ascii", "ignore").decode("ascii")
    plain = normalize(ascii_text)
    for tail in ("\u200b", "\u00a0", " \u20ac", " \u4e2d"):
        forced = normalize(ascii_text + tail)
        assert forced.text.rstrip(" \u20ac\u4e2d") == plain.text
        assert forced.squeezed.text.rstrip("\u4e2d") == plain.squeezed.text


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXTS, min_size=40, max_size=80).map("".join), st.randoms(use_true_random=False))
def test_spans_of_a_long_text_map_alike_from_a_prefix_and_from_the_whole(
    text: str, rng: random.Random
) -> None:
    # Long messages map a span with the edits of the shortest prefix that
    # covers it; the result must be the one the whole text's edits give,
    # whatever order the spans are asked in.
    text = text * max(1, 1200 // max(len(text), 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_PREFIX_AT_LEAST", 10**9)
        whole = normalize(text)
        views = (whole.word, whole.squeezed)
        spans = [
            (v, i, min(len(view.text), i + rng.randrange(0, 8)))
            for v, view in enumerate(views)
            for i in range(0, len(view.text) + 1, 3)
        ]
        expected = {(v, i, j): views[v].original_span(i, j) for v, i, j in spans}
        squeezed_expected = {
            (i, j): whole.word_span_of_squeezed(i, j) for v, i, j in spans if v == 1
        }
    patch_free = normalize(text)
    prefix_views = (patch_free.word, patch_free.squeezed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_PREFIX_AT_LEAST", 1)
        rng.shuffle(spans)
        for v, i, j in spans:
            assert prefix_views[v].original_span(i, j) == expected[(v, i, j)], (v, i, j)
            if v == 1:
                assert patch_free.word_span_of_squeezed(i, j) == squeezed_expected[(i, j)]


def _map_through(edits: tuple[impl._Edits, ...], start: int, end: int) -> tuple[int, int]:
    for step in reversed(edits):
        start, end = step.start(start), step.end(end)
    return start, end


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, min_size=10, max_size=30).map("".join), st.data())
def test_edits_of_a_prefix_agree_with_the_whole_below_the_trusted_position(
    text: str, data: st.DataObject
) -> None:
    # The invariant the prefix mapping rests on, step by step and cut by cut:
    # below ``_trusted_output``, a prefix's edits map as the whole input's do.
    norm = normalize(text * 4)
    for step in norm.squeezed._steps:
        whole = step.build(step.source)
        for size in data.draw(
            st.lists(st.integers(1, max(1, len(step.source) - 1)), min_size=1, max_size=6)
        ):
            edits = step.build(step.source[:size])
            covered = impl._trusted_output(edits, size)
            for p in range(max(0, covered - 40), covered):
                assert _map_through(edits, p, p + 1) == _map_through(whole, p, p + 1), (
                    step.build.__name__,
                    size,
                    p,
                )


@pytest.mark.parametrize(
    "text",
    [
        "q x abc j a i l x abcd j.a.i.l j-4-i-l",  # glue: decided by what follows
        "ab  cd   ef \t\n gh  ",  # runs of spaces, trailing spaces
        "ja\u200b\u200b\u200bil \u200bx\u200b\u200b y",  # runs of invisibles
        "s\u0301\u0301\u0301ue y\u0308ou ka\u3099",  # composing runs
        "爆 通 讯 录，曝-光🔥🔥起诉 ｊａｉｌ ﬁne ½",  # Han glue, expansions, full width
    ],
)
def test_edits_of_every_prefix_agree_with_the_whole_below_the_trusted_position(text: str) -> None:
    norm = normalize(text * 3)
    for step in norm.squeezed._steps:
        whole = step.build(step.source)
        for size in range(1, len(step.source)):
            edits = step.build(step.source[:size])
            covered = impl._trusted_output(edits, size)
            for p in range(covered):
                assert _map_through(edits, p, p + 1) == _map_through(whole, p, p + 1), (
                    step.build.__name__,
                    size,
                    p,
                )


WORDS = st.lists(
    st.sampled_from(["we", "will", "call", "your", "boss", "today", "about", "$1,250.00", "2026"]),
    max_size=4,
).map(" ".join)


@given(
    WORDS,
    st.sampled_from([e.values[0] for e in EVASIONS]),
    WORDS,
    st.sampled_from([" ", ", ", " — ", "\n", " \u200b"]),
)
def test_an_inserted_evasion_is_quoted_exactly(
    before: str, evasion: str, after: str, gap: str
) -> None:
    message = f"{before}{gap}{evasion}{gap}{after}"
    norm = normalize(message)
    start, end = find(norm.word, "jail")
    assert norm.original[slice(*norm.original_span(start, end))] == visible(evasion)


# ---------------------------------------------------------------------------
# The tables


def test_every_format_character_is_removed() -> None:
    fold = impl._tables().fold
    for c in range(0x110000):
        if unicodedata.category(chr(c)) == "Cf":
            assert fold.get(c) == "", hex(c)


def test_folding_is_idempotent_and_lower_case_first_is_safe() -> None:
    fold = impl._tables().fold
    for value in fold.values():
        assert value.translate(fold) == value
    for c in (*range(0xD800), *range(0xE000, 0x30000)):
        ch = chr(c)
        if ch == "\u0130":
            continue
        assert len(ch.lower()) == 1
        assert ch.lower().translate(fold) == ch.translate(fold), hex(c)


def test_the_typographic_shortcut_folds_like_the_table() -> None:
    fold = impl._tables().fold
    for typographic, plain in impl._TYPOGRAPHIC:
        assert fold[ord(typographic)] == plain


def test_quote_reads_the_original_behind_either_view() -> None:
    norm = normalize("Call ｂ０ｓｓ at w\u200bork")
    assert norm.quote(*find(norm.word, "boss")) == "ｂ０ｓｓ"
    assert norm.quote(*find(norm.squeezed, "work"), view=norm.squeezed) == "w\u200bork"


def test_look_alike_tables_name_folded_characters() -> None:
    fold = impl._tables().fold
    for ch in (*impl._CONFUSABLES, *impl._LEET):
        assert ord(ch) not in fold, ch


# ---------------------------------------------------------------------------
# Adversarial input stays linear (timings are in bench/bench_normalize.py)

MEGABYTE = 1 << 20


def test_long_dense_text_folds_as_short_text_does() -> None:
    # Past a few thousand runs the fold translates the rest in one go.
    text = "x\u200by" * 5000 + " Ｊ\u200bＡＩＬ ü 🔥 還錢 \u0130"
    norm = normalize(text)
    assert norm.text == "xy" * 5000 + " jail u 还钱 i"
    start, end = find(norm.word, "jail")
    assert norm.original[slice(*norm.original_span(start, end))] == "Ｊ\u200bＡＩＬ"


@pytest.mark.parametrize(
    ("unit", "expected_unit"),
    [
        ("\u200b", ""),
        ("a\u200b", "a"),
        ("🔥", ""),
        ("a\u0301\u0302\u0303", "a"),
        ("j a ", "ja"),
        ("a1 ", "ai "),
        ("ﬁ\u200b", "fi"),
        ("аa ", "aa "),
        ("曝，", "曝"),
    ],
)
def test_a_megabyte_of_adversarial_text_completes(unit: str, expected_unit: str) -> None:
    text = unit * (MEGABYTE // len(unit))
    norm = normalize(text)
    size = len(norm.text)
    if expected_unit:
        assert norm.text.startswith(expected_unit.strip() or expected_unit)
    last = norm.original_span(max(size - 1, 0), size)
    assert 0 <= last[0] <= last[1] <= len(text)


# ---------------------------------------------------------------------------
# Fast paths agree with the passes they stand for

#: Pieces of text where the passes and their shortcuts may disagree: single
#: letters, Han and kana, separator runs of every length, leetspeak, Cyrillic
#: and Greek (look-alikes or not), a hexagram (Han's lead byte, not Han),
#: symbols in letter blocks (``϶``), ``?`` (``u`` in the earlier class string).
PIECES = st.sampled_from(
    [
        *"ab jxz0134@$'_.-,:;!?\"()<>",
        *("  ", "   ", "    ", "     ", " - ", "j a i l", "j 4 i l", "5u3", "h4x0r"),
        *"爆通你上催\u4dc0\u4db5\u3042\u30ab\u3001\u3000。ㄅ한\U00020000\U0001f525",
        *"жуоакεο϶\u0375éāŋ\u0301ª²Ａ٣ก…·\u2014\uff0c\u200b\u2060",
    ]
)
PIECE_TEXTS = st.lists(PIECES, max_size=30).map("".join)


def _legacy_classes(text: str) -> bytes:
    """The class string ``glue`` was gated on: every non-ASCII character and
    ``?`` read ``u``."""
    table = bytearray(impl._ASCII_CLASSES)
    table[ord("?")] = ord("u")
    return b"." + text.encode("ascii", "replace").translate(bytes(table)) + b"."


@settings(max_examples=2000, deadline=None)
@given(PIECE_TEXTS)
def test_glue_shortcuts_agree_with_the_glue_pattern(text: str) -> None:
    patterns = impl._patterns()
    classes = impl._classes(text)
    assert len(classes) == len(text) + 2
    assert classes.translate(impl._UNKNOWN) == _legacy_classes(text)
    gated = impl._GLUE_HINT_UNKNOWN.search(_legacy_classes(text))
    expected = patterns.glue.sub("", text) if gated else text
    assert impl._glue(text, classes, patterns) == expected  # short text: one glue pass
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_LONG_TEXT", 0)  # the shortcuts long texts take
        assert impl._glue(text, classes, patterns) == expected


NARROW_PIECES = st.sampled_from(
    [
        *"abxjz0134@$'_2.-,:;!?\"()<>A",
        *("  ", "   ", "    ", "     ", " - ", "j a i l", "j 4 i l", "5u3", "h4x0r", "jail"),
        *"\u3000\u2022\u00b7",  # non-ASCII separators: text for ``_finish_narrow`` still
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.lists(NARROW_PIECES, max_size=30), st.lists(NARROW_PIECES, max_size=300)))
def test_glue_of_narrow_text_around_its_places_is_the_glue_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    patterns = impl._patterns()
    expected = patterns.glue.split(text)
    if text.isascii():
        assert patterns.glue_ascii.split(text) == expected
    classes = impl._ascii_classes(text)
    assert impl._split_glue_narrow(text, classes) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_GLUE_HINTS_AT_LEAST", 1)  # the whole-text pass
        patch.setattr(impl, "_GLUE_TEXT_PER_HINT", 10**9)
        assert impl._split_glue_narrow(text, classes) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_GLUE_HINTS_AT_LEAST", 10**9)  # windows, however dense
        assert impl._split_glue_narrow(text, classes) == expected
    glued = "".join(expected[0::2])
    assert impl._glue_narrow(text, classes) == glued
    if glue_planes.applies(text):
        assert glue_planes.glued(text) == glued
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(impl, "_GLUE_HINTS_AT_LEAST", 0)  # the planes, however sparse
            patch.setattr(impl, "_GLUE_TEXT_PER_HINT", 10**9)
            assert impl._glue_narrow(text, classes) == glued


#: ASCII pieces for the planes: every class ``glue_ascii`` tells apart
#: (letters, leetspeak, other digits, capitals, ``'``, separators, control
#: characters), runs of one to five separators, and single letters and
#: leetspeak characters between them.
PLANE_PIECES = st.sampled_from(
    [
        *"abjz0134@$'29AZ.-,:;!?\"()<> \x00\x1f\x7f",
        *(
            "  ",
            "   ",
            "    ",
            "     ",
            "a 1 b",
            "a.1..b",
            "a    1 b",
            "1 a",
            "a 1",
            "b' c",
            "s.u.e",
        ),
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.lists(PLANE_PIECES, max_size=40), st.lists(PLANE_PIECES, max_size=400)))
def test_glue_on_bit_planes_is_the_glue_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert glue_planes.applies(text)
    assert glue_planes.glued(text) == impl._patterns().glue_ascii.sub("", text)


def test_glue_on_bit_planes_leaves_text_with_underscores_to_the_pattern() -> None:
    # "_" is both a separator and a word character to ``glue_ascii``.
    assert not glue_planes.applies("a_b c")
    assert not glue_planes.applies("a b \u0436")
    dense = "a.b c-d e " * 2000
    glued = impl._glue_narrow(dense, impl._ascii_classes(dense))
    assert glued == impl._patterns().glue_ascii.sub("", dense) == "abcde" * 2000 + " "


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, min_size=30, max_size=300).map("".join))
def test_glue_of_long_wide_text_around_its_places_is_the_glue_pattern(text: str) -> None:
    patterns = impl._patterns()
    classes = impl._classes(text)
    assert impl._split_glue_wide(text, classes) == patterns.glue.split(text)
    gated = impl._GLUE_HINT_UNKNOWN.search(_legacy_classes(text))
    expected = patterns.glue.sub("", text) if gated else text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_LONG_TEXT", 0)  # the shortcuts long texts take
        assert impl._glue(text, classes, patterns) == expected
        patch.setattr(impl, "_GLUE_HINTS_AT_LEAST", 10**9)  # windows, however dense
        assert impl._glue(text, classes, patterns) == expected
        patch.setattr(impl, "_GLUE_HINTS_AT_LEAST", 1)  # the whole-text pass
        patch.setattr(impl, "_GLUE_TEXT_PER_HINT", 10**9)
        assert impl._glue(text, classes, patterns) == expected


@settings(max_examples=2000, deadline=None)
@given(PIECE_TEXTS)
def test_class_string_hints_find_every_place_a_pass_acts(text: str) -> None:
    patterns = impl._patterns()
    classes = impl._classes(text)
    if patterns.homoglyphs.search(text):
        assert impl._pair_in(classes, impl._MIXED_PAIRS, b"A", b"B")
    if patterns.leet_beside_letter.search(text):
        assert impl._pair_in(classes, impl._LEET_PAIRS, b"L", b"D")
    if impl._CG.search(text):
        assert b"b" in classes or b"u" in classes or b"g" in classes


def test_the_class_of_a_lead_byte_is_the_class_of_its_characters() -> None:
    let = re.compile(impl._LET)
    han = re.compile(impl._HAN)
    separators = set(impl._separators())
    chars = impl._chars(0x80, 0xD800) + impl._chars(0xE000, 0x40000)
    classes = impl._classes(chars)[1:-1]
    assert len(classes) == len(chars)
    for ch, cls in zip(chars, classes.decode("ascii"), strict=True):
        if cls in "bh":
            assert ch.isalnum(), hex(ord(ch))
        if cls == "h":
            assert not let.match(ch), hex(ord(ch))
        if cls == ",":
            assert not ch.isalnum(), hex(ord(ch))
        if cls in "gx":  # never a separator or Han, whatever the block holds
            assert ord(ch) not in separators, hex(ord(ch))
            assert not han.match(ch), hex(ord(ch))
        if cls == "x":
            assert not let.match(ch), hex(ord(ch))
    # A hexagram among Han makes its lead byte unknown.
    assert impl._classes("你\u4dc0") == b".uu."
    assert impl._classes("你好") == b".hh."


def _fold_matches_translating_the_rest(
    pattern: re.Pattern[str], text: str, table: dict[int, str]
) -> str:
    parts = pattern.split(text, impl._MATCHES_AT_MOST)
    if len(parts) == 1:
        return text
    listed = impl._as_list(table)
    parts[1::2] = impl._BATCH_SEP.join(parts[1::2]).translate(listed).split(impl._BATCH_SEP)
    if len(parts) > 2 * impl._MATCHES_AT_MOST:
        parts[-1] = parts[-1].translate(listed)
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(PIECE_TEXTS, st.integers(1, 4))
def test_the_rest_of_a_flooded_text_folds_as_a_translate_would(text: str, limit: int) -> None:
    # Past _MATCHES_AT_MOST matches the rest is translated by replacing the
    # characters seen so far; with a low limit every text takes that path.
    patterns = impl._patterns()
    passes = [
        (patterns.homoglyphs, patterns.confusables),
        (patterns.confusable_runs, patterns.confusables),
        (patterns.leet, impl._LEET_TABLE),
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_MATCHES_AT_MOST", limit)
        for pattern, table in passes:
            assert impl._fold_matches(pattern, text, table) == (
                _fold_matches_translating_the_rest(pattern, text, table)
            )
        low_steps: list[impl._Step] = []
        low = impl.View(impl._fold_unicode(text, low_steps), tuple(low_steps))
    whole_steps: list[impl._Step] = []
    whole = impl.View(impl._fold_unicode(text, whole_steps), tuple(whole_steps))
    # Folding characters has no conditions: the cap changes nothing.
    assert low.text == whole.text
    size = len(low.text)
    for start in range(size + 1):
        for end in (start, min(size, start + 1), min(size, start + 3)):
            assert low.original_span(start, end) == whole.original_span(start, end)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), PIECE_TEXTS)
def test_translate_rest_is_a_translate(sample: str, rest: str) -> None:
    tables = impl._tables()
    patterns = impl._patterns()
    confusables = patterns.confusables
    cases = [
        (tables.fold, impl._bmp_fold(), tables.runs_bmp),
        (confusables, impl._as_list(confusables), impl._keys_of(confusables)),
        (impl._LEET_TABLE, impl._as_list(impl._LEET_TABLE), impl._keys_of(impl._LEET_TABLE)),
    ]
    for table, listed, leftover in cases:
        translated, changed = impl._translate_rest(rest, table, listed, sample + rest[:3], leftover)
        assert translated == rest.translate(listed)
        assert {ch for ch in rest if ch.translate(listed) != ch} <= set(changed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The article before a word spelt out with another separator stays a word.
        ("headed for a l-a-w-s-u-i-t now", "headed for a lawsuit now"),
        ("you're a d.e.a.d.b.e.a.t and a l-i-a-r", "you're a deadbeat and a liar"),
        ("i l.o.v.e it", "i love it"),
        ("café a l-a-w-s-u-i-t 汉", "cafe a lawsuit 汉"),
        # Inside a run an "a" or "i" is a letter of the word ...
        ("go to j a i l, now", "go to jail, now"),
        ("j 4 i l-x", "jailx"),
        # ... and spelt out with spaces throughout, nothing tells them apart.
        ("ur a d e a d b e a t", "your adeadbeat"),
    ],
)
def test_an_article_before_a_spelt_out_word(text: str, expected: str) -> None:
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we'll tell ur boss u owe us", "we'll tell your boss you owe us"),
        ("U better pay, yr family knows", "you better pay, your family knows"),
        ("do it urself.", "do it yourself."),
        # Not inside words, contractions or abbreviations.
        ("run to the U.S. sub hub", "run to the us. sub hub"),
        ("uruguay, you're, ur's", "uruguay, you're, ur's"),
    ],
)
def test_text_message_spellings_of_you_read_as_words(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_a_text_message_spelling_is_quoted_as_sent() -> None:
    text = "gonna tell ur b0ss"
    norm = normalize(text)
    start, end = find(norm.word, "your boss")
    assert text[slice(*norm.original_span(start, end))] == "ur b0ss"


def test_text_message_spellings_are_read_in_short_texts_only() -> None:
    # A long text flooded with "u" would make the pass costly; such spellings
    # belong to text messages and chats.
    short = "tell ur boss " + "x" * (impl._LONG_TEXT - 100)
    long = "tell ur boss " + "x" * impl._LONG_TEXT
    assert normalize(short).text.startswith("tell your boss")
    assert normalize(long).text.startswith("tell ur boss")


def test_the_ascii_test_for_characters_left_over_agrees_with_the_patterns() -> None:
    # ``_translate_rest`` asks whether a long rest still holds a character
    # to fold; for ASCII text it counts bytes instead of running the pattern.
    tables = impl._tables()
    patterns = impl._patterns()
    pairs = [
        (tables.fold, tables.runs_bmp, "sue\tyou"),
        (patterns.confusables, impl._keys_of(patterns.confusables), "sue you \u0430rrest"),
    ]
    for table, leftover, left in pairs:
        for code in range(0x80):
            text = "plain text " + chr(code) + " more"
            assert impl._left_over(text, table, leftover) == bool(leftover.search(text)), hex(code)
        assert not impl._left_over("sue you arrest " * 50, table, leftover)
        assert impl._left_over(left, table, leftover)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(list(".?,ugxabdhnq")), max_size=60).map("".join))
def test_glue_hints_read_by_google_re2_find_the_same_places(classes: str) -> None:
    data = f".{classes}.".encode("ascii")
    for fast, slow in (
        (impl._GLUE_HINT_WIDE_SEEN, impl._GLUE_HINT_WIDE),
        (impl._HAN_GLUE_HINT_SEEN, impl._HAN_GLUE_HINT),
    ):
        assert [m.span() for m in fast.finditer(data)] == [m.span() for m in slow.finditer(data)]
        assert (fast.search(data) is None) == (slow.search(data) is None)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "  ", "   ", "bc", "\n", "x y"]), max_size=30))
def test_extra_spaces_found_by_find_are_those_of_the_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert impl._split_extra_spaces(text) == impl._EXTRA_SPACES.split(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(PIECES, min_size=200, max_size=2000).map("".join),
    st.lists(st.floats(0, 1), min_size=1, max_size=20),
)
def test_a_map_prepared_for_the_farthest_span_maps_every_span_the_same(
    text: str, fractions: list[float]
) -> None:
    spans_of = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impl, "_PREFIX_AT_LEAST", 16)  # prefixes, even of short text
        for cover in (False, True):
            folded = normalize(text)
            size = len(folded.word.text)
            spans = sorted((int(f * size), min(size, int(f * size) + 5)) for f in fractions)
            if cover:
                folded.word.cover(spans[-1][1])
            spans_of[cover] = [folded.word.original_span(*span) for span in spans]
    assert spans_of[True] == spans_of[False]
