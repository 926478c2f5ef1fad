"""Personal data inside a collection message: IDs, SSNs, cards, bank accounts, phones.

Why: a collection message is read by more people than its addressee. SMS
previews show on lock screens, phones and mailboxes are shared, and a message
to a relative or an employer is read by exactly the people the borrower's data
must be kept from (12 CFR 1006.6(d)(3)-(5)). In China a resident ID number and
financial account numbers are *sensitive* personal information (PIPL articles
28-29: processing needs a specific purpose, strict protection and separate
consent), and revealing a third party's number to the borrower, or the
borrower's numbers to anyone, is a disclosure (PIPL 10, 25; Civil Code
1034-1035). So a rule check denies a message that exposes a full identifier,
and this module finds them.

``find_personal_data(text)`` returns one ``PersonalDataHit`` per identifier,
with its span in the *original* text and a masked value for evidence (the
last four characters only; the full value is never returned).

How numbers are read: a number is a run of digit groups joined by one
separator each (space, hyphen or dash, dot; parentheses around an area
code). An ID, SSN, card or account is one group, one piece joined without
spaces (``078-05-1120``), or groups with the same white space throughout
(``4403 0519 9003 0712 36``, digits spelled out ``4 1 1 1 ...``); two
numbers side by side (``666-12-3456 900-12-3456``) are not read as one, and
a number is never found inside a longer digit run. A phone number may mix
separators and parentheses (``+1 (212) 555-0144``) in at most six groups.
Within a run, the longest leftmost stretch that is an identifier wins.

What counts:

``cn_resident_id``
    18 characters, 17 digits and a digit or ``X``, with a correct GB 11643-1999
    check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11
    indexes ``10X98765432``), a first digit 1-9 and a real birth date
    (YYYYMMDD, year 1900-2099). The 15-digit first-generation number has no
    check character, so by itself it is indistinguishable from any reference
    number; it counts only when all three hold: a province code that exists
    (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82), a real birth date
    19YYMMDD, and an ID cue word (身份证, 身分證, 证件号, "ID", "identity") at
    most 15 characters before it.
``us_ssn``
    ``NNN-NN-NNNN`` (separators: hyphen, space or dot), or nine digits
    written otherwise when an SSN cue ("SSN", "SS#", "social security",
    "soc sec") ends at most 20 characters before them. Area 000, 666 and
    900-999, group 00 and serial 0000 are never issued and do not count.
    Published sample numbers (078-05-1120, 219-09-9999) do count: in a
    message they stand for a real number.
``payment_card``
    13-19 digits passing the Luhn check, with an issuer prefix in use:
    2200-2204 and 2221-2720 (not other 2s, which are mostly dates such as
    2024...), 300-305, 34, 36-39 and 3528-3589, any 4, 5 or 6. A
    Luhn-invalid number is not a card.
``bank_account``
    8-19 digits (16-19: Chinese bank card numbers that fail the Luhn check
    are account numbers too, unless the nearest cue names a card, 卡号,
    卡號, 银行卡, 銀行卡: a card number that fails its check digit is
    mistyped) when an account cue ends at most 15 characters
    before them: "account", "acct", "a/c", "routing", "IBAN", "ABA", 账号,
    帐号, 帳號, 賬號, 卡号, 卡號, 银行卡, 銀行卡, 账户, 帐户, 帳戶, 賬戶, 户口,
    戶口 (English cues as whole words: "accountant" is none). A nine-digit
    number with a valid ABA checksum whose nearest cue is "routing"/"ABA" is
    the bank's routing number, which is public, and does not count. Masked
    forms (尾号1234, "ending in 6789", 末四位, ``xxxx1234``, ``****1234``) have
    too few digits to count.
``phone_number``
    a number ``phonenumbers`` reads as valid: international numbers (``+``
    and country code) always; national numbers only with ``default_region``
    (``None`` follows ``phonenumbers``: they are not read). Not counted:
    types toll-free, premium-rate, shared-cost and UAN (400/800 lines,
    1-800, CFPB 855-411-2372); fewer than seven national digits (110, 12378,
    95588, 6-digit verification codes); numbers ``phonenumbers`` calls
    invalid (a seven-digit US ``555-0150`` without area code); a landline
    written without the region's trunk prefix (``2024060912`` in China reads
    as a reference number, ``020-24060912`` as a phone; mobiles need no
    prefix); and the ``allowed_numbers`` (the collector's own callback
    numbers, the recipient's number), compared as E.164. One exception to
    "valid": a North American ten-digit number in a fictional range counts
    although ``phonenumbers`` may reject it, because in templates and test
    data it stands for a real person's number. Two spellings of that range
    are accepted: exchange 555 with line 0100-0199 (``212 555 0144``, the
    range reserved for fiction) and area code 555 with an exchange starting
    01 (``(555) 010-4477``, the convention of this project's wording
    corpus); toll-free area codes stay toll-free (``1-800-555-0199``).

A digit span gives at most one hit, the most specific kind first: resident
ID, SSN, card, 15-digit ID, phone, bank account (an 11-digit mobile number
after "账号" is a phone number). A number that is a date (``2026-06-09``,
``06.09.2026``, or eight digits ``20260609`` where a phone or an account is
looked for) or an amount (after ``$ ¥ € £`` or RMB/USD; before 元 块 圆 蚊
or "yuan", "dollars", "USD"; or ending in a decimal point and one or two
digits) is not a phone number or an account.

Digits are ASCII or full-width (``４１１１``); invisible characters (soft hyphen,
zero-width space and joiners, word joiner, BOM) inside a number are skipped,
so ``4\\u200b111...`` is read as a card. Digits of other scripts are not
read.

Cost: the text is scanned with one google-re2 expression compiled at import
(linear time, no backtracking; no Python ``re`` on message text). A text
with fewer than seven digits returns at once; each number of seven digits
or more costs a few microseconds, plus, for a phone-shaped one, a look-up in
``phonenumbers`` (about 50-100 µs, then cached per number and region); a
number repeated with the same text around it is read once per text. The
work on one text is capped, so adversarial input (megabytes of digits and
separators) stays far below 100 ms: after ``MAX_CANDIDATES`` candidate
numbers validated, 1,000 numbers read, 8,192 characters of digits and
separators read or 64 uncached phone look-ups, the scan stops and the hits
found so far are returned. No real message comes near these caps; a caller
that accepts arbitrary text should bound its size.
"""

from __future__ import annotations

import calendar
import operator
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import re2
from phonenumbers import PhoneNumberType

from fair_collect.text.utf8 import re2_spans

__all__ = [
    "KINDS",
    "MAX_CANDIDATES",
    "PersonalDataHit",
    "PersonalDataScan",
    "find_personal_data",
    "scan_personal_data",
]

KINDS: frozenset[str] = frozenset(
    {"cn_resident_id", "us_ssn", "payment_card", "bank_account", "phone_number"}
)

#: Candidate numbers validated per text before the scan stops.
MAX_CANDIDATES = 1000
#: Numbers (runs of digits and separators of at least 7 characters) read per text.
_MAX_NUMBERS = 1000
#: Characters of those runs parsed per text.
_MAX_SCAN_CHARS = 8192
#: Phone look-ups not answered by the cache, per text.
_MAX_PHONE_LOOKUPS = 64


@dataclass(frozen=True, slots=True)
class PersonalDataHit:
    """One identifier: its kind, its span in the original text, its masked value."""

    kind: str
    start: int
    end: int
    masked: str


# ---------------------------------------------------------------- characters

#: ASCII and full-width digits.
_DIGIT_CHARS = "0123456789" + "".join(chr(0xFF10 + i) for i in range(10))
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACES = " \u00a0\u2009\u202f\u3000"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_DOTS = ".\uff0e"
_OPEN = "(\uff08"
_CLOSE = ")\uff09"
_SEPARATORS = frozenset(_SPACES + _DASHES + _DOTS)
_DATE_SEPARATORS = frozenset("-.\u2010\u2011\uff0d\uff0e")
_PLUS = "+\uff0b"
_CHECK_X = "xX\uff58\uff38"
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)


def _re2_class(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):04x}}}" for c in chars)


_DIGIT_CLASS = "0-9\\x{ff10}-\\x{ff19}"
_JOIN_CLASS = _re2_class(_INVISIBLE + _SPACES + _DASHES + _DOTS + _OPEN + _CLOSE)
_D = f"[{_DIGIT_CLASS}]"
_J = f"[{_JOIN_CLASS}]{{0,3}}"
#: A number: seven digits with at most three separator characters between
#: two of them (nothing with fewer digits is an identifier, so amounts like
#: ``$412.50`` and short codes never reach Python), then any further digits
#: and separators. No group is repeated, so the expression has no nested
#: quantifier; Python splits the run into groups.
_NUMBER_DIGITS = 7
_NUMBER_RE = re2.compile(_D + (_J + _D) * (_NUMBER_DIGITS - 1) + f"[{_DIGIT_CLASS}{_JOIN_CLASS}]*")
#: A run read as digits ("0"-"9"), spaces (every separator) and NULs (invisible
#: characters), one character for one, so offsets are kept.
_SHAPE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **dict.fromkeys(_SPACES + _DASHES + _DOTS + _OPEN + _CLOSE, " "),
        **dict.fromkeys(_INVISIBLE, "\x00"),
    }
)

_CURRENCY_BEFORE = frozenset("$¥￥€£₹＄")
_CURRENCY_AFTER = frozenset("元块塊圆圓蚊円")
_CURRENCY_CODES = frozenset({"rmb", "cny", "usd", "hkd"})
_CURRENCY_WORDS = ("yuan", "rmb", "cny", "usd", "hkd", "dollar", "bucks")

# ---------------------------------------------------------------- cue words

_SSN_CUES = ("ssn", "ss#", "ss #", "social security", "soc sec", "soc. sec.")
_ROUTING_CUES = ("routing", "aba")
#: Cues that name a card number: a number of a card's length after one of
#: them that fails the Luhn check is a mistyped card number ("卡号…校验不符"),
#: not an account number.
_CARD_CUES = ("卡号", "卡號", "银行卡", "銀行卡")
_ACCOUNT_CUES = (
    "account",
    "acct",
    "a/c",
    "iban",
    *_ROUTING_CUES,
    "账号",
    "帐号",
    "帳號",
    "賬號",
    "卡号",
    "卡號",
    "银行卡",
    "銀行卡",
    "账户",
    "帐户",
    "帳戶",
    "賬戶",
    "户口",
    "戶口",
)
_ID_CUES = (
    "身份证",
    "身份證",
    "身分證",
    "身分证",
    "证件号",
    "證件號",
    "id",
    "identity",
)
_SSN_REACH = 20
_ACCOUNT_REACH = 15
_ID_REACH = 15
_LONGEST_CUE = max(len(c) for c in (*_SSN_CUES, *_ACCOUNT_CUES, *_ID_CUES))
#: How far before and after a run of digits its reading looks: a cue
#: (``_cue_before``, from a window's start), a currency sign or code
#: (``_is_money``, up to four characters before), a ``+`` or an opening
#: bracket just before; a currency word (up to eight characters after), a
#: check character ``X`` just after.
_RUN_CONTEXT_BEFORE = max(_SSN_REACH, _ACCOUNT_REACH, _ID_REACH) + _LONGEST_CUE + 4
_RUN_CONTEXT_AFTER = 9
#: Distinct runs remembered per text (a flood repeats a few).
_RUNS_REMEMBERED = 256
#: Texts shorter than this (characters) read every run: a message of a
#: few numbers would pay for the keys and gain nothing.
_REMEMBER_FROM = 4096


def _ascii_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _cue_before(text: str, start: int, reach: int, cues: tuple[str, ...]) -> str | None:
    """The cue ending nearest before ``start``, at most ``reach`` characters away.

    The text before the number is read NFKC-folded and case-folded
    (``ＳＳＮ``, ``Account``); ASCII cues must stand as words (``paid`` holds no
    ``id``).
    """
    lo = max(0, start - reach - _LONGEST_CUE)
    before = text[lo:start]
    if before.isascii():
        before = before.lower()
    else:
        # (str.replace per invisible character: a dict-table translate
        # costs a look-up per character of the window.)
        for invisible in _INVISIBLE:
            if invisible in before:
                before = before.replace(invisible, "")
        before = unicodedata.normalize("NFKC", before).casefold()
    size = len(before)
    best: str | None = None
    best_gap = reach + 1
    for cue in cues:
        at = before.rfind(cue)
        while at >= 0:
            end = at + len(cue)
            gap = size - end
            if gap > reach:
                break
            if cue.isascii() and (
                (at > 0 and _ascii_letter(before[at - 1]))
                or (end < size and _ascii_letter(before[end]))
            ):
                at = before.rfind(cue, 0, at)
                continue
            if gap < best_gap:
                best, best_gap = cue, gap
            break
    return best


# ---------------------------------------------------------------- validators

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: Province-level codes of GB/T 2260 (first two digits of a resident ID).
_PROVINCES = frozenset(
    {
        *(str(c) for c in range(11, 16)),
        *(str(c) for c in range(21, 24)),
        *(str(c) for c in range(31, 38)),
        *(str(c) for c in range(41, 47)),
        *(str(c) for c in range(50, 55)),
        *(str(c) for c in range(61, 66)),
        "71",
        "81",
        "82",
    }
)


def _valid_date(year: int, month: int, day: int) -> bool:
    return (
        1900 <= year <= 2099
        and 1 <= month <= 12
        and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def _is_yyyymmdd(digits: str) -> bool:
    return _valid_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _valid_id18(value: str) -> bool:
    """GB 11643-1999: 17 digits, a check character, a real birth date."""
    if value[0] == "0" or not _is_yyyymmdd(value[6:14]):
        return False
    total = sum(map(operator.mul, map(int, value[:17]), _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


def _valid_id15(digits: str) -> bool:
    """First generation (GB 11643-1989): province code and birth date 19YYMMDD."""
    return digits[:2] in _PROVINCES and _valid_date(
        1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    )


def _valid_ssn(digits: str) -> bool:
    area = int(digits[:3])
    return area not in (0, 666) and area < 900 and digits[3:5] != "00" and digits[5:] != "0000"


_LUHN_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def _luhn(digits: str) -> bool:
    doubled = _LUHN_DOUBLED
    total = sum(map(int, digits[-1::-2])) + sum(doubled[c] for c in digits[-2::-2])
    return total % 10 == 0


def _plausible_iin(digits: str) -> bool:
    """Issuer prefixes in use: Mir, Mastercard 2-series, Amex, Diners, JCB, 4, 5, 6."""
    first = digits[0]
    if first in "456":
        return True
    if first == "2":
        four = int(digits[:4])
        return 2200 <= four <= 2204 or 2221 <= four <= 2720
    if first == "3":
        return (
            digits[1] in "46789" or 300 <= int(digits[:3]) <= 305 or 3528 <= int(digits[:4]) <= 3589
        )
    return False


def _aba_checksum(digits: str) -> bool:
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def _mask(value: str) -> str:
    return "*" * (len(value) - 4) + value[-4:]


# ---------------------------------------------------------------- phones

_PERSONAL, _SERVICE, _NOT_PHONE = 1, 2, 0
_SERVICE_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
)
_PHONE_CACHE: dict[tuple[str, str | None], tuple[int, str]] = {}
_PHONE_CACHE_SIZE = 4096


#: NANP area codes of toll-free and premium-rate numbers: 1-800-555-0199 is a
#: service number even in the fictional range.
_NANP_SERVICE_AREAS = frozenset({"800", "833", "844", "855", "866", "877", "888", "900"})


def _fictional_nanp(national: str) -> bool:
    """Ten NANP digits in a fictional range; see the module docstring."""
    if national[:3] in _NANP_SERVICE_AREAS:
        return False
    return (national[3:6] == "555" and national[6:8] == "01" and national[0] in "23456789") or (
        national[:3] == "555" and national[3:5] == "01"
    )


@lru_cache(maxsize=64)
def _national_prefix(region: str | None) -> str:
    """The trunk prefix of national numbers (CN "0"); "" when there is none."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "")
    prefix = metadata.national_prefix if metadata is not None else None
    return prefix or ""


@lru_cache(maxsize=64)
def _is_nanp_region(region: str) -> bool:
    return phonenumbers.country_code_for_region(region) == 1


def _phone_status(number: str, region: str | None) -> tuple[int, str]:
    """(_PERSONAL, e164), (_SERVICE, e164) or (_NOT_PHONE, "")."""
    plus = number[0] == "+"
    digits = number[1:] if plus else number
    if plus:
        nanp = digits[0] == "1"
    else:
        nanp = region is not None and _is_nanp_region(region) and not digits.startswith("011")
    if nanp:
        national = digits[1:] if (plus or (len(digits) == 11 and digits[0] == "1")) else digits
        if len(national) != 10:
            return _NOT_PHONE, ""
        # Fictional numbers stand for real ones in templates and test data;
        # phonenumbers rejects some of them (area code 555), so they are
        # accepted here before its validity test.
        if _fictional_nanp(national):
            return _PERSONAL, "+1" + national
        if national[0] < "2" or national[3] < "2":
            return _NOT_PHONE, ""
        number, region = "+1" + national, None
    elif not plus and region is None:
        return _NOT_PHONE, ""
    try:
        parsed = phonenumbers.parse(number, None if plus or number[0] == "+" else region)
    except phonenumbers.NumberParseException:
        return _NOT_PHONE, ""
    if not phonenumbers.is_valid_number(parsed):
        return _NOT_PHONE, ""
    if len(phonenumbers.national_significant_number(parsed)) < 7:
        return _NOT_PHONE, ""
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    number_type = phonenumbers.number_type(parsed)
    if number_type in _SERVICE_TYPES:
        return _SERVICE, e164
    if (
        number[0] != "+"
        and number_type != PhoneNumberType.MOBILE
        and not number.startswith(_national_prefix(region))
    ):
        # A landline written without its trunk prefix (2024060912 for
        # 020-24060912) is how reference numbers look, not how people write
        # a phone number; mobiles (13800001111) need no prefix.
        return _NOT_PHONE, ""
    return _PERSONAL, e164


@lru_cache(maxsize=1024)
def _allowed_e164(number: str, region: str | None) -> str | None:
    """An allowed number as E.164, or None when it cannot be read."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------- scanning


class _Budget(Exception):
    """A cap of the module docstring is reached: stop, keep the hits so far."""


class _Piece:
    """Digit groups joined without white space: ``555-013-2290``, ``(555)``, ``4111``."""

    __slots__ = ("date", "digits", "end", "gap_before", "lens", "seps", "spelled", "start")

    def __init__(self, start: int, end: int, digits: str, gap_before: str = "") -> None:
        self.start = start
        self.end = end
        self.digits = digits
        self.lens: list[int] = [len(digits)]  # digits per group
        self.seps: list[str] = []  # separators between the groups
        self.gap_before = gap_before  # white-space separator from the piece before
        self.spelled = False
        self.date = False


def _spaced_mark(gap: str) -> bool:
    """A dash or a dot between two spaces (" - ", " – ", " . "): how digits
    spelt out with spaces are split into groups ("2 1 9 . 0 9 . 9 9 9 9")."""
    return (
        len(gap) == 3
        and gap[0] in _SPACES
        and gap[2] in _SPACES
        and (gap[1] in _DASHES or gap[1] in _DOTS)
    )


def _same_spelling_gap(gap: str, first: str) -> bool:
    """Whether ``gap`` continues digits spelt out with ``first`` between them:
    the same separator, or a spaced dash or dot between groups of digits
    spelt out with spaces ("0 7 8 - 0 5 - 1 1 2 0")."""
    return gap == first or (first in _SPACES and _spaced_mark(gap))


def _join_kind(gap: str) -> int:
    """0: the gap separates two numbers; 1: joins within a piece; 2: joins pieces (space)."""
    n = len(gap)
    if n == 0 or n > 3:
        return 0
    if _spaced_mark(gap):
        # "078 - 05 - 1120", "0 7 8 - 0 5 - ...", "2 1 9 . 0 9 . ...": a
        # dash or dot with a space on each side joins pieces as a space does.
        return 2
    lo = 1 if gap[0] in _CLOSE else 0
    hi = n - 1 if n > lo and gap[-1] in _OPEN else n
    mid = gap[lo:hi]
    if len(mid) > 1 or (mid and mid not in _SEPARATORS):
        return 0
    return 2 if mid and mid in _SPACES else 1


def _mark_date(piece: _Piece) -> None:
    if len(piece.lens) != 3 or piece.seps[0] != piece.seps[1]:
        return
    if piece.seps[0] not in _DATE_SEPARATORS:
        return
    d = piece.digits
    a, b, c = piece.lens
    if a == 4 and b <= 2 and c <= 2:
        piece.date = _valid_date(int(d[:4]), int(d[4 : 4 + b]), int(d[4 + b :]))
    elif a <= 2 and b <= 2 and c == 4:
        first, second, year = int(d[:a]), int(d[a : a + b]), int(d[a + b :])
        piece.date = _valid_date(year, first, second) or _valid_date(year, second, first)


#: A run and its context: the text from its context's start to its
#: context's end, where the run starts in it, and whether it reaches the
#: end of the text (see ``_Scanner._read_run_again``).
_RunKey = tuple[str, int, bool]
#: What reading a run gave: its hits (kind, offset from the run's start,
#: length, masked value) and the candidates it validated.
_RunReading = tuple[tuple[tuple[str, int, int, str], ...], int]


class _Scanner:
    def __init__(
        self,
        text: str,
        kinds: frozenset[str],
        allowed_numbers: Iterable[str],
        region: str | None,
    ) -> None:
        self.text = text
        self.kinds = kinds
        self.allowed_numbers = allowed_numbers
        self.allowed: frozenset[str] | None = None
        self.region = region
        self.check_phones = "phone_number" in kinds or "bank_account" in kinds
        self.hits: list[PersonalDataHit] = []
        self.candidates = 0
        self.lookups = 0
        #: A cap stopped the scan before the end of the text.
        self.truncated = False
        #: What each run read gave, by run and context (``_read_run_again``).
        self._runs: dict[_RunKey, _RunReading] = {}

    # -- reading numbers -------------------------------------------------

    def run(self, data: bytes, *, remember: bool = True) -> tuple[PersonalDataHit, ...]:
        """The hits in the text, whose UTF-8 is ``data``.

        In a long text, a run read once is not read again where it repeats
        with the same context around it (see ``_read_run_again``);
        ``remember=False`` reads every run, for tests that hold the two
        ways equal.
        """
        numbers = 0
        scanned = 0
        remember = remember and len(self.text) >= _REMEMBER_FROM
        read = self._read_run_again if remember else self._read_run
        try:
            for start, end in re2_spans(_NUMBER_RE, self.text, data):
                numbers += 1
                if numbers > _MAX_NUMBERS:
                    self.truncated = True
                    break
                scanned += end - start
                if scanned > _MAX_SCAN_CHARS:
                    self.truncated = True
                    break  # a run cut short could show a number that is not there
                read(start, end)
        except _Budget:
            self.truncated = True
        return tuple(self.hits)

    def _read_run_again(self, start: int, end: int) -> None:
        """``_read_run``, remembered per run and context.

        Text flooded with numbers repeats the same run in the same
        surroundings hundreds of times ("1234-5678 " over and over), and
        each reading costs tens of microseconds (pieces, windows, cues, an
        NFKC fold of the text before it). What a run gives depends only on
        the text from ``_RUN_CONTEXT_BEFORE`` characters before it to
        ``_RUN_CONTEXT_AFTER`` after it (cues, currency signs and words, a
        ``+`` or bracket, a check character), whether that stretch reaches
        either end of the text, and the scan's settings: that is the key,
        and the hits are kept relative to the run's start. A repeat adds the
        candidates its first reading validated, so the ``MAX_CANDIDATES``
        cap falls where it would; one that would cross the cap is read anew,
        to stop at the same window. (A repeat makes no phone look-up.)
        """
        text = self.text
        lo = start - _RUN_CONTEXT_BEFORE
        if lo < 0:
            lo = 0
        key = (
            text[lo : end + _RUN_CONTEXT_AFTER],
            start - lo,
            end + _RUN_CONTEXT_AFTER >= len(text),
        )
        known = self._runs.get(key)
        if known is not None:
            found, candidates = known
            if self.candidates + candidates <= MAX_CANDIDATES:
                self.candidates += candidates
                for kind, offset, length, masked in found:
                    self.hits.append(
                        PersonalDataHit(kind, start + offset, start + offset + length, masked)
                    )
                return
        hits_before, candidates_before = len(self.hits), self.candidates
        self._read_run(start, end)
        if known is None and len(self._runs) < _RUNS_REMEMBERED:
            self._runs[key] = (
                tuple(
                    (hit.kind, hit.start - start, hit.end - hit.start, hit.masked)
                    for hit in self.hits[hits_before:]
                ),
                self.candidates - candidates_before,
            )

    def _read_run(self, start: int, end: int) -> None:
        """Split a run of digits and separators into joined pieces, then windows."""
        text = self.text
        groups: list[tuple[int, int, str]] = []
        pos = start
        for part in text[start:end].translate(_SHAPE).split(" "):
            if part:
                if "\x00" in part:
                    core = part.strip("\x00")
                    if core:
                        lead = len(part) - len(part.lstrip("\x00"))
                        groups.append(
                            (pos + lead, pos + lead + len(core), core.replace("\x00", ""))
                        )
                else:
                    groups.append((pos, pos + len(part), part))
            pos += len(part) + 1
        if sum(len(g[2]) for g in groups) < 7:
            return

        pieces: list[_Piece] = []
        soft_gaps: list[str] = []
        prev_end = -1
        for g_start, g_end, g_digits in groups:
            if pieces:
                gap = text[prev_end:g_start].translate(_DROP_INVISIBLE)
                join = _join_kind(gap)
                if join == 1:
                    piece = pieces[-1]
                    piece.end = g_end
                    piece.digits += g_digits
                    piece.lens.append(len(g_digits))
                    piece.seps.append(gap)
                    prev_end = g_end
                    continue
                if join == 0:
                    self._read_pieces(pieces, soft_gaps)
                    pieces, soft_gaps = [], []
                    gap = ""
                else:
                    soft_gaps.append(gap)
            else:
                gap = ""
            pieces.append(_Piece(g_start, g_end, g_digits, gap))
            prev_end = g_end
        if pieces:
            self._read_pieces(pieces, soft_gaps)

    def _read_pieces(self, pieces: list[_Piece], soft_gaps: list[str]) -> None:
        """Mark dates, merge spelled-out digits, then try windows left to right."""
        if len(pieces) > 1 and sum(len(p.digits) for p in pieces) < 7:
            return
        merged: list[_Piece] = []
        k = 0
        n = len(pieces)
        while k < n:
            piece = pieces[k]
            if len(piece.digits) == 1:
                # "4 1 1 1 ...": three or more single digits with the same
                # separator are one spelled-out piece.
                m = k
                while (
                    m + 1 < n
                    and len(pieces[m + 1].digits) == 1
                    and _same_spelling_gap(soft_gaps[m], soft_gaps[k])
                ):
                    m += 1
                if m - k >= 2:
                    spelled = _Piece(piece.start, pieces[m].end, piece.digits, piece.gap_before)
                    spelled.digits = "".join(p.digits for p in pieces[k : m + 1])
                    spelled.lens = [1] * (m - k + 1)
                    spelled.seps = soft_gaps[k:m]
                    spelled.spelled = True
                    merged.append(spelled)
                    k = m + 1
                    continue
            if len(piece.lens) > 2 and all(x == 1 for x in piece.lens):
                piece.spelled = True
            _mark_date(piece)
            merged.append(piece)
            k += 1
        self._windows(merged)

    def _windows(self, pieces: list[_Piece]) -> None:
        """Greedy, left to right: the longest window of pieces that is an identifier."""
        n = len(pieces)
        i = 0
        while i < n:
            if pieces[i].date:
                i += 1
                continue
            ends: list[tuple[int, int]] = []
            total = 0
            j = i
            while j < n and not pieces[j].date:
                total += len(pieces[j].digits)
                if total > 19:
                    break
                ends.append((j, total))
                j += 1
            for j, count in reversed(ends):
                if count < 7:
                    break
                if self._classify(pieces, i, j):
                    i = j
                    break
            i += 1

    # -- classifying one window -----------------------------------------

    def _emit(self, kind: str, start: int, end: int, masked: str) -> None:
        if kind in self.kinds:
            self.hits.append(PersonalDataHit(kind, start, end, masked))

    def _classify(self, pieces: list[_Piece], i: int, j: int) -> bool:
        """Whether pieces i..j are one identifier (a hit) or a known non-identifier.

        Either way the window is consumed: its digits give no other hit.
        """
        self.candidates += 1
        if self.candidates > MAX_CANDIDATES:
            raise _Budget
        text = self.text
        window = pieces[i : j + 1]
        digits = "".join(p.digits for p in window)
        n = len(digits)
        start = window[0].start
        end = window[-1].end
        span = text[start:end]
        has_parens = "(" in span or ")" in span or "\uff08" in span or "\uff09" in span
        plus = start > 0 and text[start - 1] in _PLUS
        # IDs, SSNs, cards and accounts are one piece ("078-05-1120") or groups
        # with one separator throughout ("4111 1111 1111 1111"); two numbers
        # side by side ("666-12-3456 900-12-3456") are not read as one.
        one_number = len(window) == 1 or _uniform(window)

        if one_number and not plus and not has_parens:
            if n == 18 or (n == 17 and end < len(text) and text[end] in _CHECK_X):
                value = digits if n == 18 else digits + "X"
                if _valid_id18(value):
                    self._emit("cn_resident_id", start, end + 18 - n, _mask(value))
                    return True
            if n == 9:
                lens = [x for p in window for x in p.lens]
                if (lens == [3, 2, 4] or _cue_before(text, start, _SSN_REACH, _SSN_CUES)) and (
                    _valid_ssn(digits)
                ):
                    self._emit("us_ssn", start, end, "***-**-" + digits[5:])
                    return True
            if 13 <= n <= 19 and _plausible_iin(digits) and _luhn(digits):
                self._emit("payment_card", start, end, _mask(digits))
                return True
            if n == 15 and _valid_id15(digits) and _cue_before(text, start, _ID_REACH, _ID_CUES):
                self._emit("cn_resident_id", start, end, _mask(digits))
                return True

        money = _is_money(text, start, end, window[-1])
        if money or (n == 8 and _is_yyyymmdd(digits)):
            return False

        if self.check_phones and 7 <= n <= 17:
            groups = 0  # spelled-out digits are never read as a phone number
            for p in window:
                groups += 7 if p.spelled else len(p.lens)
            if groups <= 6 and (not has_parens or _balanced(span, text, start)):
                status, e164 = self._phone(("+" if plus else "") + digits)
                if status == _SERVICE:
                    return True
                if status == _PERSONAL:
                    if e164 not in self._allowed():
                        if has_parens and start > 0 and text[start - 1] in _OPEN:
                            start -= 1
                        if plus:
                            start -= 1
                        self._emit("phone_number", start, end, _mask(digits))
                    return True

        if one_number and not plus and not has_parens and 8 <= n <= 19:
            cue = _cue_before(text, start, _ACCOUNT_REACH, _ACCOUNT_CUES)
            if cue is not None:
                if cue in _ROUTING_CUES and n == 9 and _aba_checksum(digits):
                    return True  # the bank's routing number, public
                if cue in _CARD_CUES and n >= 16 and not _luhn(digits):
                    return True  # a card number that fails its check digit: mistyped
                self._emit("bank_account", start, end, _mask(digits))
                return True
        return False

    def _phone(self, number: str) -> tuple[int, str]:
        key = (number, self.region)
        cached = _PHONE_CACHE.get(key)
        if cached is not None:
            return cached
        self.lookups += 1
        if self.lookups > _MAX_PHONE_LOOKUPS:
            raise _Budget
        result = _phone_status(number, self.region)
        if len(_PHONE_CACHE) >= _PHONE_CACHE_SIZE:
            _PHONE_CACHE.clear()
        _PHONE_CACHE[key] = result
        return result

    def _allowed(self) -> frozenset[str]:
        if self.allowed is None:
            found = set()
            for number in self.allowed_numbers:
                e164 = _allowed_e164(number, self.region)
                if e164 is not None:
                    found.add(e164)
            self.allowed = frozenset(found)
        return self.allowed


def _uniform(window: list[_Piece]) -> bool:
    """Single groups (not spelled out) joined by the same white-space separator."""
    gap = window[1].gap_before
    return all(len(p.lens) == 1 and p.gap_before == gap for p in window[1:]) and (
        len(window[0].lens) == 1
    )


def _balanced(span: str, text: str, start: int) -> bool:
    """Parentheses of a phone number pair up, counting one just before the span."""
    opens = sum(span.count(c) for c in _OPEN)
    closes = sum(span.count(c) for c in _CLOSE)
    if start > 0 and text[start - 1] in _OPEN:
        opens += 1
    return opens == closes


def _is_money(text: str, start: int, end: int, last: _Piece) -> bool:
    """An amount: a currency sign before, a currency word after, or cents."""
    if last.seps and last.seps[-1] in _DOTS and last.lens[-1] <= 2:
        return True
    k = start - 1
    if k >= 0 and text[k] in _SPACES:
        k -= 1
    if k >= 0 and (
        text[k] in _CURRENCY_BEFORE or text[max(0, k - 2) : k + 1].casefold() in _CURRENCY_CODES
    ):
        return True
    k = end
    if k < len(text) and text[k] in _SPACES:
        k += 1
    if k < len(text) and text[k] in _CURRENCY_AFTER:
        return True
    return text[k : k + 7].casefold().startswith(_CURRENCY_WORDS)


#: Every byte but the ASCII digits.
_NOT_ASCII_DIGITS = bytes(i for i in range(256) if not 0x30 <= i <= 0x39)


def _may_hold_number(data: bytes) -> bool:
    """Whether a text (``data``, its UTF-8) may have the seven digits that a
    number needs (see ``_NUMBER_RE``): most messages have fewer, and then
    the scan, with its google-re2 calls, is skipped.

    Counted in C on the UTF-8 bytes: the ASCII digits by deleting every
    other byte, and the full-width digits (``EF BC 90``-``EF BC 99``) by
    the first two bytes they share with other full-width characters, which
    can only count too many.
    """
    ascii_digits = len(data.translate(None, _NOT_ASCII_DIGITS))
    return ascii_digits + data.count(b"\xef\xbc") >= _NUMBER_DIGITS


def find_personal_data(
    text: str,
    *,
    kinds: frozenset[str] = KINDS,
    allowed_numbers: Iterable[str] = (),
    default_region: str | None = None,
) -> tuple[PersonalDataHit, ...]:
    """The identifiers in ``text``, in order of position (see the module docstring).

    ``kinds``: which kinds to report (a subset of ``KINDS``); numbers of the
    other kinds are still recognised, so that they are not reported as
    something else. ``allowed_numbers``: phone numbers that may appear (the
    collector's callback numbers, the recipient's own number), read with
    ``default_region`` and compared as E.164; one that cannot be read is
    ignored. ``default_region``: the region (``"US"``, ``"CN"``) whose
    national phone numbers are read without a country code; ``None`` reads
    only numbers written with ``+`` and a country code.

    The work per text is capped (``MAX_CANDIDATES`` and the other caps of the
    module docstring): past a cap the scan stops and returns the hits found
    so far (``scan_personal_data`` says when). Raises ``ValueError`` for an
    unknown kind or region.
    """
    return scan_personal_data(
        text, kinds=kinds, allowed_numbers=allowed_numbers, default_region=default_region
    ).hits


@dataclass(frozen=True, slots=True)
class PersonalDataScan:
    """The hits of one scan, and whether a cap stopped it before the end of the
    text (only text flooded with numbers gets there; a rule treats what was
    not read as a finding, failing closed)."""

    hits: tuple[PersonalDataHit, ...]
    truncated: bool


def scan_personal_data(
    text: str,
    *,
    kinds: frozenset[str] = KINDS,
    allowed_numbers: Iterable[str] = (),
    default_region: str | None = None,
) -> PersonalDataScan:
    """``find_personal_data``, saying also whether the scan read the whole text."""
    if kinds is not KINDS:
        kinds = frozenset(kinds)
        if not kinds <= KINDS:
            raise ValueError(f"unknown personal data kinds: {sorted(kinds - KINDS)}")
    if default_region is not None:
        region: str | None = default_region.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown region for phone numbers: {default_region!r}")
    else:
        region = None
    data = text.encode("utf-8")  # read by the pre-test and by google-re2
    if not kinds or not _may_hold_number(data):
        return PersonalDataScan((), truncated=False)
    scanner = _Scanner(text, kinds, allowed_numbers, region)
    hits = scanner.run(data)
    return PersonalDataScan(hits, truncated=scanner.truncated)
