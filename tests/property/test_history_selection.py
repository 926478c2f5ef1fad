"""``History.select`` against a plain filter over every event.

Selections share work: who an event may concern is found once per person and
debt bucket and cut for later starting points, kinds and timestamps are
computed once per event. Whatever order rules ask in, each selection must be
exactly the events a plain filter over the whole history keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from fair_collect.facts.addresses import same_address
from fair_collect.facts.history import EventKinds, History
from fair_collect.model import ContactEvent, ProposedAction
from fair_collect.testing.strategies import histories

AT = datetime(2026, 6, 9, 14, 30, tzinfo=UTC)
ADDRESSES = ("+12125550123", "+1 (212) 555-0123", "+13105550100", "roe@mail.example")
DEBTS = ("D1", "D2", "D3")

KINDS = (
    EventKinds.of(["call", "voicemail"], ["outbound"], None, True, True, True),
    EventKinds.of(
        ["call"], ["inbound", "outbound"], ["conversation"], False, False, False, ["student_loan"]
    ),
    EventKinds.of(["sms", "email"], ["outbound"], ["delivered"], True, False, True),
    EventKinds.of(["call", "sms"], ["outbound"], None, True, True, True, (), ["mobile"]),
)
ROLES = (None, frozenset({"borrower", None}), frozenset({"neighbour", None}))
DEBT_IDS = (None, frozenset({"D1"}), frozenset({"D2", "D3"}))


def _request(history: list[dict[str, object]]) -> ProposedAction:
    return ProposedAction.model_validate(
        {
            "channel": "call",
            "at": AT.isoformat(),
            "recipient": {"role": "borrower", "address": "+12125550123"},
            "borrower": {
                "id": "B1",
                "phones": [{"number": "+12125550123", "kind": "mobile"}],
            },
            "debts": [{"id": d, "kind": "credit_card"} for d in DEBTS],
            "history": history,
        }
    )


def _plain(
    history: History,
    events: tuple[ContactEvent, ...],
    kinds: EventKinds,
    roles: frozenset[str | None] | None,
    address: str | None,
    debt_ids: frozenset[str] | None,
    since: datetime,
) -> tuple[datetime, ...]:
    kept = []
    for event in sorted(events, key=lambda e: e.at):
        kind = (event.channel, event.direction, event.outcome, event.with_consent, event.by_agency)
        if event.at < since or kind not in kinds.kinds:
            continue
        if roles is not None and event.recipient_role not in roles:
            continue
        if (
            address is not None
            and event.address is not None
            and not same_address(event.address, address)
        ):
            continue
        if debt_ids is not None and event.debt_ids and debt_ids.isdisjoint(event.debt_ids):
            continue
        if kinds.address_kinds is not None:
            listed = history.address_kind(event)
            if listed is not None and listed not in kinds.address_kinds:
                continue
        kept.append(event.at)
    return tuple(kept)


_Selection = tuple[
    EventKinds,
    frozenset[str | None] | None,
    str | None,
    frozenset[str] | None,
    list[tuple[int | None, int]],
]


def _since(events: tuple[ContactEvent, ...], start: tuple[int | None, int]) -> datetime:
    index, amount = start
    if index is None or not events:
        return AT - timedelta(minutes=amount)
    instants = sorted(e.at for e in events)
    return instants[index % len(instants)] + timedelta(microseconds=amount)


SELECTIONS = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(ROLES),
        st.sampled_from((None, *ADDRESSES)),
        st.sampled_from(DEBT_IDS),
        # Each selection is asked from several starting points, in any order:
        # later asks reuse (and must cut) what earlier ones found. A start is
        # an event's own instant (the boundary), just after it, or any minute.
        st.lists(
            st.one_of(
                st.tuples(st.integers(0, 15), st.sampled_from((0, 1))),
                st.tuples(st.none(), st.integers(0, 12 * 24 * 60)),
            ),
            min_size=2,
            max_size=4,
        ),
    ),
    min_size=1,
    max_size=6,
)


@given(
    histories(
        before=AT,
        min_size=4,
        max_size=16,
        days=12,
        channels=["call", "voicemail", "sms"],
        addresses=ADDRESSES,
        debt_ids=DEBTS,
        recipient_roles=["borrower", "neighbour", "spouse"],
    ),
    SELECTIONS,
)
def test_every_selection_is_the_plain_filter(
    raw: list[dict[str, object]],
    selections: list[_Selection],
) -> None:
    request = _request(raw)
    history = History(request)
    events = request.history or ()
    for kinds, roles, address, debt_ids, starts in selections:
        for start in starts:
            since = _since(events, start)
            got = history.select(kinds, (roles, address, debt_ids), since)
            assert got == _plain(history, events, kinds, roles, address, debt_ids, since)
            assert len(got) <= history.count_since(since)
