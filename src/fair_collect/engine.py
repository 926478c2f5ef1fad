"""The policy: compiled packs, and the check that turns a request into a verdict.

``load_policy`` reads, validates and compiles packs once. ``Policy.check`` is
pure (no clock, no I/O, no shared mutable state), so one policy serves many
threads. Deny wins; every deny names its rule, law and evidence. A fact a
rule needs and the request lacks is a deny (``missing_fact``), never an allow.

``next_allowed_at`` asks each failing time-based rule for the earliest
instant it would pass, moves to the latest of those, re-checks the deny rules
there, and repeats until all pass (a fixed point, bounded in steps and
horizon). If a rule that time cannot cure blocks, it is null.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from fair_collect import collector
from fair_collect.checks import DEFAULT_CHECKS, CheckRegistry, Finding
from fair_collect.checks.content import foreign_word_lists
from fair_collect.errors import EvaluationError, InputError, PackError, PackProblem
from fair_collect.facts.core import Facts
from fair_collect.facts.phones import PhoneNumberInvalid, parse_phone
from fair_collect.facts.places import us_zip_place
from fair_collect.facts.zones import PlaceKey, ZoneSet, candidates_of, dialled_number, place_key
from fair_collect.limits import DEFAULT_LIMITS, Limits
from fair_collect.model import ProposedAction, field_values, parse_request
from fair_collect.packs.compiler import CompiledPack, CompiledRule, compile_pack
from fair_collect.packs.loader import (
    LoadedPack,
    digest_problems,
    find_pack_dirs,
    load_pack_dirs,
    pinned_digests,
    shipped_rules_root,
)
from fair_collect.text.lexicon import Lexicon
from fair_collect.verdict import (
    Category,
    PackRef,
    Reason,
    TraceStep,
    Verdict,
    ZoneRef,
    build_trusted,
)

__all__ = ["Policy", "check", "default_policy", "load_policy", "resolve_jurisdictions"]

_MAX_STEPS = 64
_MAX_PLANS = 4096
_HORIZON = timedelta(days=400)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_Finding = tuple[CompiledRule, Finding]


def _expand(code: str) -> list[str]:
    """``US-NY-NYC`` -> ``US``, ``US-NY``, ``US-NY-NYC``: city rules stack on state and country."""
    parts = code.split("-")
    return ["-".join(parts[: i + 1]) for i in range(len(parts))]


def resolve_jurisdictions(request: ProposedAction) -> tuple[tuple[str, ...], str]:
    """The request's jurisdiction codes and where they came from.

    ``jurisdictions`` in the request wins; otherwise ``borrower.location``
    (country, region, and for a US ZIP code its state and city, so that
    10001 is ``US``, ``US-NY``, ``US-NY-NYC``); otherwise the countries of
    the phone numbers involved. Empty when nothing says (then every loaded
    pack applies).
    """
    places = _places(place_key(request))
    return places.codes, places.source


@dataclass(frozen=True, slots=True)
class _Places:
    codes: tuple[str, ...]
    source: str
    zones: ZoneSet


@lru_cache(maxsize=16384)
def _places(key: PlaceKey) -> _Places:
    """Jurisdictions and candidate zones of requests with this ``place_key``:
    computed once per distinct place, as lenders call the same borrowers
    again and again."""
    jurisdictions, location, phones, address, _ = key
    codes: list[str] = []
    if jurisdictions:
        for code in jurisdictions:
            codes.extend(_expand(code))
        source = "request"
    elif location is not None and (country := location[1]):
        _, _, region, postal_code = location
        codes.append(country)
        place = us_zip_place(postal_code) if country == "US" and postal_code else None
        # A ZIP code names its state (when the request gives none, or gives
        # another one: both then apply) and city (New York City).
        regions = [region, place.state if place else None]
        codes.extend(f"{country}-{r}" for r in dict.fromkeys(regions) if r)
        if place is not None and place.city:
            codes.append(place.city)
        source = "location"
    else:
        numbers = list(phones)
        if address is not None and address.startswith("+"):
            numbers.append(address)
        for number in numbers:
            try:
                region = parse_phone(number).region
            except PhoneNumberInvalid:
                continue
            if region:
                codes.append(region)
        source = "phone"
    unique = tuple(dict.fromkeys(codes))
    zones = candidates_of(location, phones, dialled_number(key))
    return _Places(unique, source if unique else "all_packs", zones)


@dataclass(frozen=True, slots=True, eq=False)
class _Plan:
    """What to evaluate for one kind of action: packs in force and binding rules."""

    packs: tuple[CompiledPack, ...]
    rules: tuple[CompiledRule, ...]
    #: Binding rules left out because the action has no message and they pass
    #: without one (``CompiledRule.passes_without_message``): listed only in
    #: an explanation.
    unread: tuple[CompiledRule, ...]
    recheck: tuple[CompiledRule, ...]  # deny rules, cheapest first (for next_allowed_at)
    refs: tuple[PackRef, ...]
    all_packs: bool
    #: The instants between which every pack of the plan is in force: [starts, ends).
    starts: datetime
    ends: datetime | None

    def in_force(self, at: datetime) -> bool:
        return self.starts <= at and (self.ends is None or at < self.ends)


#: Compiled lexicons by the packs they come from (id and content digest), so
#: that policies over the same packs (a policy per pack for its examples, a
#: reload of unchanged packs) share one automaton instead of rebuilding it.
_LEXICONS: dict[tuple[tuple[str, str], ...], Lexicon] = {}
_LEXICONS_AT_MOST = 32


def _lexicon_of(packs: Sequence[CompiledPack]) -> Lexicon:
    key = tuple((pack.id, pack.ref.digest) for pack in packs if pack.words)
    lexicon = _LEXICONS.get(key)
    if lexicon is None:
        lexicon = Lexicon([(pack.id, entry) for pack in packs for entry in pack.words])
        if len(_LEXICONS) < _LEXICONS_AT_MOST:
            _LEXICONS[key] = lexicon
    return lexicon


class Policy:
    """Compiled rule packs. Immutable and safe to share between threads."""

    def __init__(
        self,
        packs: Sequence[CompiledPack],
        *,
        word_lists_of: Sequence[CompiledPack] | None = None,
        limits: Limits | None = None,
    ) -> None:
        """``word_lists_of``: the packs whose word lists are compiled (default:
        ``packs``); a policy that runs one pack's rules may need the lists of
        a pack they read with ``lists_from``. ``limits``: how large a request
        ``check`` accepts (default ``DEFAULT_LIMITS``)."""
        self._packs: tuple[CompiledPack, ...] = tuple(packs)
        self._limits = DEFAULT_LIMITS if limits is None else limits
        self._rules = {rule.id: rule for pack in self._packs for rule in pack.rules}
        #: One automaton over every pack's word lists (DESIGN.md section 5).
        self._word_list_packs = tuple(self._packs if word_lists_of is None else word_lists_of)
        self._lexicon = _lexicon_of(self._word_list_packs)
        # Memo tables derived from the immutable packs. Concurrent writers can
        # only store equal values, so they need no lock.
        self._plans: dict[tuple[object, ...], _Plan] = {}

    @property
    def packs(self) -> tuple[CompiledPack, ...]:
        return self._packs

    @property
    def limits(self) -> Limits:
        """How large a request ``check`` accepts (``InputError`` beyond)."""
        return self._limits

    def rule(self, rule_id: str) -> CompiledRule:
        """The compiled rule with this id (``KeyError`` if none)."""
        return self._rules[rule_id]

    @property
    def word_list_packs(self) -> tuple[CompiledPack, ...]:
        """The packs whose word lists the policy's automaton holds."""
        return self._word_list_packs

    @property
    def lexicon(self) -> Lexicon:
        """The policy's word lists, compiled into one automaton."""
        return self._lexicon

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        return tuple(self._rules.values())

    # ------------------------------------------------------------------ check

    def check(
        self, request: ProposedAction | dict[str, Any] | str | bytes, *, explain: bool = False
    ) -> Verdict:
        """Decide one proposed action. Raises ``InputError`` for an invalid request."""
        return self._decide(request, explain=explain, message_only=False)

    def lint(
        self, request: ProposedAction | dict[str, Any] | str | bytes, *, explain: bool = False
    ) -> Verdict:
        """Decide only what the message says: the rules whose checks read the message
        (wording, personal data, required content), for the action the request
        describes. ``fair-collect lint`` runs this over message templates, where
        the time, history and addresses of a real send are not known yet.
        ``next_allowed_at`` is always null: waiting never fixes wording."""
        return self._decide(request, explain=explain, message_only=True)

    def _decide(
        self,
        request: ProposedAction | dict[str, Any] | str | bytes,
        *,
        explain: bool,
        message_only: bool,
    ) -> Verdict:
        if not isinstance(request, ProposedAction):
            self._limits.check_raw(request)  # before parsing: an oversized request costs nothing
        req = parse_request(request)
        places = _places(place_key(req))
        facts = Facts.of(req, self._lexicon, places.zones)
        self._limits.check_request(req, places.zones)
        codes, source = places.codes, places.source
        plan = self._plan(req, codes, facts.base.at_utc)
        if plan.all_packs:
            source = "all_packs"
        packs, rules = plan.packs, plan.rules
        if message_only:
            rules = tuple(r for r in rules if r.reads_message)
        denies: list[_Finding] = []
        warns: list[_Finding] = []
        trace = None
        if explain:
            trace = self._trace_not_applicable(packs, req, (*rules, *plan.unread))
            trace.extend(_trace_unread(plan.unread))
            for rule in rules:
                finding = _evaluate(rule, facts)
                if finding is not None:
                    (denies if rule.effect == "deny" else warns).append((rule, finding))
                trace.append(_trace_step(rule, finding))
        else:
            _evaluate_all(rules, facts, denies, warns)
        denies.sort(key=_relevance)
        next_allowed = None if message_only else _next_allowed(facts, plan.recheck, denies)
        language = _language(req) if denies or warns else None  # only reasons are worded
        return Verdict.for_request(
            req,
            {
                "outcome": "deny" if denies else "allow",
                "allowed": not denies,
                "reasons": tuple([_reason(rule, f, language, req) for rule, f in denies])
                if denies
                else (),
                "warnings": tuple([_reason(rule, f, language, req) for rule, f in warns])
                if warns
                else (),
                "next_allowed_at": next_allowed.astimezone(req.at.tzinfo) if next_allowed else None,
                "time_zones": _zone_refs(facts, packs),
                "jurisdictions": codes,
                "jurisdiction_source": source,
                "packs": plan.refs,
                "explanation": tuple(trace) if trace is not None else None,
            },
        )

    def render_message(
        self, reason: Reason, request: ProposedAction, evidence: Mapping[str, Any]
    ) -> str:
        """``reason``'s message rendered again with ``evidence`` in place of its own
        (as ``check`` wrote it for ``request``): ``fair-collect lint`` words one
        finding per quoted span with that span's quote alone."""
        if reason.category == "missing_fact":
            return reason.message
        return self.rule(reason.rule_id).render(evidence, _language(request), request)

    def warm_up(self) -> int:
        """Load now what checks otherwise load on first use, and run every rule's
        examples once; returns the number of example requests decided.

        A check reads data files the first time it needs them: the US ZIP
        fields (from the file ``facts.zipdata`` keeps, or on a machine's
        first run from the ``zipcodes`` database, about half a second), the
        time zones a ZIP code or phone number maps to, phone-number
        metadata. A service calls ``warm_up``
        once at start-up, before taking traffic, so that its first checks
        take no longer than the rest and ``check`` does no I/O. The examples
        (every pack's, decided under this whole policy, their verdicts
        discarded) also fill the policy's memo tables and the caches of the
        code paths they take. Command-line runs, which decide a few requests
        and exit, do not need it.
        """
        from fair_collect.facts.zones import preload_zone_data
        from fair_collect.testing.scenarios import example_request

        preload_zone_data()
        decided = 0
        for pack in self._packs:
            for rule in pack.rules:
                for example in rule.spec.examples:
                    try:
                        self.check(example_request(pack, example))
                    except InputError:
                        continue  # an example of a missing fact may be incomplete
                    decided += 1
        return decided

    def check_many(
        self, requests: Iterable[ProposedAction | dict[str, Any] | str | bytes]
    ) -> list[Verdict]:
        """Decide many actions; the same verdicts as calling ``check`` on each.

        The garbage collector is paused for the batch, which collects on a
        schedule counted in requests instead, so that the collector does not
        walk the caller's objects over and over (``fair_collect.collector``
        says why, and what it means for threads and forks)."""
        verdicts: list[Verdict] = []
        with collector.paused():
            for request in requests:
                verdicts.append(self.check(request))
                collector.decided_one()
        return verdicts

    def _plan(self, req: ProposedAction, codes: tuple[str, ...], at: datetime) -> _Plan:
        """The packs and rules that bind this action.

        Which packs match depends on the jurisdiction codes, which rules bind on
        channel, purpose, collector type and recipient role: the plan is
        memoised on those. Effective dates depend on the instant, so the
        memoised plan is used only when every pack in it is in force.
        """
        fields = field_values(req)  # one read of the request, not five attribute hooks
        collector, recipient = fields["collector"], fields["recipient"]
        no_message = fields["message"] is None
        key = (
            codes,
            fields["channel"],
            fields["purpose"],
            field_values(collector)["type"] if collector is not None else None,
            field_values(recipient)["role"] if recipient is not None else None,
            no_message,
        )
        plan = self._plans.get(key)
        if plan is not None and plan.in_force(at):
            return plan
        wanted = set(codes)
        candidates = tuple(p for p in self._packs if p.jurisdiction in wanted)
        in_force = tuple(p for p in candidates if p.in_force(at))
        all_packs = not in_force
        if all_packs:  # no pack covers the request: apply every loaded pack (fail closed)
            candidates = self._packs
            in_force = tuple(p for p in candidates if p.in_force(at))
        binding = tuple(r for p in in_force for r in p.by_channel[req.channel] if r.applies(req))
        # Most calls carry no message: rules that read only the message would
        # pass, so they are left out of the plan rather than asked.
        rules = tuple(r for r in binding if not (no_message and r.passes_without_message))
        plan = _Plan(
            packs=in_force,
            rules=rules,
            unread=tuple(r for r in binding if no_message and r.passes_without_message),
            recheck=tuple(sorted((r for r in rules if r.effect == "deny"), key=_recheck_cost)),
            refs=tuple(p.ref for p in in_force),
            all_packs=all_packs,
            starts=max((p.starts for p in in_force), default=_EARLIEST),
            ends=min((p.ends for p in in_force if p.ends is not None), default=None),
        )
        # Reuse only plans that left no candidate out by date (a plan made before
        # a pack took effect must not outlive that day); the table is bounded
        # because jurisdiction codes come from requests.
        if in_force == candidates and len(self._plans) < _MAX_PLANS:
            self._plans[key] = plan
        return plan

    @staticmethod
    def _trace_not_applicable(
        packs: tuple[CompiledPack, ...], req: ProposedAction, rules: tuple[CompiledRule, ...]
    ) -> list[TraceStep]:
        trace = []
        applicable = {r.id for r in rules}
        for pack in packs:
            on_channel = {r.id for r in pack.by_channel[req.channel]}
            for rule in pack.rules:
                if rule.id not in applicable:
                    detail = (
                        "channel"
                        if rule.id not in on_channel
                        else "collector type, recipient or purpose"
                    )
                    trace.append(
                        TraceStep(
                            rule_id=rule.id, pack=pack.id, result="not_applicable", detail=detail
                        )
                    )
        return trace


def _evaluate(rule: CompiledRule, facts: Facts) -> Finding | None:
    try:
        return rule.check.evaluate(facts)
    except Exception as exc:  # a bug must never become an allow
        raise EvaluationError(f"rule {rule.id} failed: {exc!r}") from exc


def _evaluate_all(
    rules: Sequence[CompiledRule], facts: Facts, denies: list[_Finding], warns: list[_Finding]
) -> None:
    """``_evaluate`` over every rule, sorting findings into denies and warnings;
    one ``try`` around the loop instead of a call per rule (the hot path)."""
    rule = None
    try:
        for rule in rules:
            finding = rule.check.evaluate(facts)
            if finding is not None:
                (denies if rule.effect == "deny" else warns).append((rule, finding))
    except Exception as exc:  # a bug must never become an allow
        assert rule is not None
        raise EvaluationError(f"rule {rule.id} failed: {exc!r}") from exc


def _trace_unread(rules: Sequence[CompiledRule]) -> list[TraceStep]:
    return [
        TraceStep(rule_id=r.id, pack=r.pack_id, result="pass", detail="no message to read")
        for r in rules
    ]


def _trace_step(rule: CompiledRule, finding: Finding | None) -> TraceStep:
    if finding is None:
        return TraceStep(rule_id=rule.id, pack=rule.pack_id, result="pass")
    if finding.missing_fact:
        return TraceStep(
            rule_id=rule.id, pack=rule.pack_id, result="missing_fact", detail=finding.missing_fact
        )
    result = "deny" if rule.effect == "deny" else "warn"
    return TraceStep(rule_id=rule.id, pack=rule.pack_id, result=result)


def _relevance(item: _Finding) -> int:
    """Blocks that waiting will not cure come first, then missing facts, then time-based ones."""
    rule, finding = item
    if finding.missing_fact:
        return 1
    return 2 if rule.time_based else 0


def _next_allowed(
    facts: Facts, recheck: Sequence[CompiledRule], denies: list[_Finding]
) -> datetime | None:
    """The earliest instant >= ``facts.at`` at which no deny rule fails, or None.

    Each step moves to the latest ``next_pass`` of the rules failing at the
    current instant: no instant before it can pass, since one of those rules
    fails there. At the new instant the deny rules (``recheck``) are re-checked cheapest first
    (clock windows before counts) and the first failure is enough to take
    the next step, so a cooldown ending at midnight costs one hours check,
    not a re-count, before moving on to 08:00.
    """
    if not denies:
        return facts.at
    failing = denies
    current = facts
    limit = facts.at + _HORIZON
    for _ in range(_MAX_STEPS):
        if any(f.missing_fact or not rule.time_based for rule, f in failing):
            return None
        latest = current.at
        for rule, _finding in failing:
            try:
                when = rule.check.next_pass(current)
            except Exception as exc:
                raise EvaluationError(f"rule {rule.id} failed in next_pass: {exc!r}") from exc
            if when is None or when > limit:
                return None
            latest = max(latest, when)
        if latest <= current.at:
            return None  # a check claims to pass now but does not: refuse to guess
        current = current.at_instant(latest)
        failing = _first_failure(recheck, current)
        if not failing:
            return current.at
    return None


def _recheck_cost(rule: CompiledRule) -> int:
    return 0 if rule.category == "time_of_day" else 1


def _first_failure(rules: Sequence[CompiledRule], facts: Facts) -> list[_Finding]:
    for rule in rules:
        finding = _evaluate(rule, facts)
        if finding is not None:
            return [(rule, finding)]
    return []


def _language(req: ProposedAction) -> str | None:
    if req.borrower is not None and req.borrower.language:
        return req.borrower.language
    if req.message is not None and req.message.language:
        return req.message.language
    return None


def _reason(
    rule: CompiledRule, finding: Finding, language: str | None, req: ProposedAction
) -> Reason:
    evidence = dict(finding.evidence)
    if finding.missing_fact:
        message = _missing_message(rule, finding, language)
        category: Category = "missing_fact"
        code = "missing_fact"
    else:
        message = rule.render(evidence, language, req)
        category, code = rule.category, rule.code
    return build_trusted(
        Reason,
        {
            "rule_id": rule.id,
            "code": code,
            "category": category,
            "effect": rule.effect,
            "message": message,
            "evidence": evidence,
            "citations": rule.citations,
            "pack": rule.pack_id,
            "confidence": rule.confidence,
        },
    )


def _missing_message(rule: CompiledRule, finding: Finding, language: str | None) -> str:
    needed = finding.evidence.get("needed") or finding.missing_fact
    if language and language.lower().startswith("zh"):
        return f"无法检查“{rule.title}”：请求缺少 {needed}。"
    return f"Cannot check '{rule.title}': the request does not give {needed}."


def _zone_refs(facts: Facts, packs: Sequence[CompiledPack]) -> tuple[ZoneRef, ...]:
    refs = facts.base.zone_set.refs
    if refs:
        return refs
    declared = dict.fromkeys(p.spec.time_zone for p in packs if p.spec.time_zone)
    return tuple(ZoneRef(zone=z, source="jurisdiction") for z in declared if z)


# ---------------------------------------------------------------- loading


def _resolve_sources(packs: Iterable[str | Path] | None) -> tuple[list[Path], Path | None]:
    root = shipped_rules_root()
    if packs is None:
        return find_pack_dirs(root), root.parent
    dirs: list[Path] = []
    shipped = {d.relative_to(root).as_posix(): d for d in find_pack_dirs(root)}
    for item in packs:
        if isinstance(item, str) and item in shipped:
            dirs.append(shipped[item])
            continue
        path = Path(item)
        if not path.exists():
            known = ", ".join(sorted(shipped))
            raise PackError(
                [PackProblem(str(item), None, f"no such pack or path (shipped packs: {known})")]
            )
        found = find_pack_dirs(path)
        if not found:
            raise PackError([PackProblem(str(item), None, "no pack.yaml found here")])
        dirs.extend(found)
    return list(dict.fromkeys(dirs)), (
        root.parent if all(root in d.parents for d in dirs) else None
    )


def compile_packs(
    loaded: Iterable[LoadedPack],
    checks: CheckRegistry = DEFAULT_CHECKS,
    *,
    limits: Limits | None = None,
    require_digests: Mapping[str, str] | None = None,
) -> Policy:
    """Compile loaded packs into a ``Policy`` (see ``load_policy`` for the options)."""
    loaded = list(loaded)
    pins, problems = pinned_digests(require_digests or {})
    problems.extend(
        digest_problems(pins, ((p.spec.id, p.digest, p.pack_lines.file) for p in loaded))
    )
    if problems:  # refuse before compiling anything from a pack that is not the pinned one
        raise PackError(problems)
    compiled: list[CompiledPack] = []
    for pack in loaded:
        try:
            compiled.append(compile_pack(pack, checks))
        except PackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PackError(problems)
    lists = [*compiled, *_shipped_word_lists(compiled, checks)]
    # A pack loaded only for its word lists decides wording verdicts too: its pin holds.
    problems.extend(
        digest_problems(pins, ((p.id, p.ref.digest, p.id) for p in lists[len(compiled) :]))
    )
    loaded_ids = {p.id for p in lists}
    problems.extend(
        PackProblem(
            "require_digests",
            None,
            f"pack {pack_id!r} is pinned by digest but was not loaded"
            f" (loaded: {', '.join(sorted(loaded_ids)) or 'none'})",
        )
        for pack_id in sorted(pins)
        if pack_id not in loaded_ids
    )
    problems.extend(_word_list_problems(compiled, lists))
    if problems:
        raise PackError(problems)
    return Policy(compiled, word_lists_of=lists, limits=limits)


def _shipped_word_lists(packs: Sequence[CompiledPack], checks: CheckRegistry) -> list[CompiledPack]:
    """Shipped packs whose word lists a loaded rule reads (``lists_from``) but
    that were not loaded themselves: their lists are compiled, their rules do
    not run. A state pack checked alone still reads the federal lists."""
    loaded = {p.id for p in packs}
    wanted = {
        other
        for pack in packs
        for rule in pack.rules
        for other, _ in foreign_word_lists(rule.check, pack.id)
        if other not in loaded
    }
    if not wanted:
        return []
    root = shipped_rules_root()
    dirs = [d for d in find_pack_dirs(root) if d.relative_to(root).as_posix() in wanted]
    return [compile_pack(pack, checks) for pack in load_pack_dirs(dirs, root.parent)]


def _word_list_problems(
    packs: Sequence[CompiledPack], lists: Sequence[CompiledPack]
) -> list[PackProblem]:
    """Rules that read another pack's word lists (``wording: {lists_from: ...}``)
    need that pack's lists, with the categories they name: a list that is not
    there would find nothing, and the rule would pass what it should deny."""
    categories = {p.id: {entry.category for entry in p.words} for p in lists}
    problems = []
    for pack in packs:
        for rule in pack.rules:
            for other, wanted in foreign_word_lists(rule.check, pack.id):
                if other not in categories:
                    msg = (
                        f"reads the word lists of pack {other!r}, which is neither loaded"
                        f" nor shipped (load {other!r} together with {pack.id!r})"
                    )
                else:
                    missing = sorted(wanted - categories[other])
                    if not missing:
                        continue
                    msg = f"pack {other!r} has no word list of category {', '.join(missing)}"
                problems.append(
                    PackProblem(rule.file, rule.line, msg, rule_id=rule.id, field="check")
                )
    return problems


def load_policy(
    packs: Iterable[str | Path] | None = None,
    *,
    checks: CheckRegistry = DEFAULT_CHECKS,
    limits: Limits | None = None,
    require_digests: Mapping[str, str] | None = None,
) -> Policy:
    """Load and compile rule packs into a ``Policy``.

    ``packs``: None for every shipped pack; otherwise shipped pack ids
    (``"us/federal"``) and/or paths to a pack folder or a folder of packs.
    ``checks``: the check registry (extend ``DEFAULT_CHECKS`` for house checks).
    ``limits``: how large a request ``check`` accepts (default ``DEFAULT_LIMITS``).
    ``require_digests``: pack id -> ``"sha256:<hex>"`` (as ``PackRef.digest``
    and ``fair-collect packs list`` show it); a pinned pack whose files
    differ, or that is not loaded, refuses to load.
    Raises ``PackError`` naming file, line, rule and field of every problem.
    """
    dirs, base = _resolve_sources(packs)
    if not dirs:
        raise PackError([PackProblem("rules/", None, "no rule packs found")])
    return compile_packs(
        load_pack_dirs(dirs, base), checks, limits=limits, require_digests=require_digests
    )


_default_lock = threading.Lock()
_default: Policy | None = None


def default_policy() -> Policy:
    """The policy of every shipped pack, loaded once per process."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = load_policy()
    return _default


def check(
    request: ProposedAction | dict[str, Any] | str | bytes, *, explain: bool = False
) -> Verdict:
    """``default_policy().check(request)``."""
    return default_policy().check(request, explain=explain)
