"""Which US state and city a ZIP code lies in, for choosing jurisdictions.

City packs (New York City's Department of Consumer and Worker Protection
rules) bind borrowers who live in the city, and a request usually gives a
ZIP code rather than a city. The ``zipcodes`` data package names each ZIP
code's state and county; a city that is a union of whole counties is
recognised by its counties:

* New York City is its five boroughs, each a county of New York State:
  New York (Manhattan), Kings (Brooklyn), Queens, Bronx and Richmond
  (Staten Island).

The data gives one county per ZIP code. A ZIP code that straddles the city
line (a few on the Queens-Nassau border) is read as the county the data
names; a caller who knows better says so with ``jurisdictions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fair_collect.facts.zipdata import ZIP_DATA
from fair_collect.model import US_ZIP

__all__ = ["ZipPlace", "us_zip_place"]

#: City jurisdiction code -> (state, the counties that make up the city).
_CITIES_BY_COUNTIES: dict[str, tuple[str, frozenset[str]]] = {
    "US-NY-NYC": (
        "NY",
        frozenset(
            {"New York County", "Kings County", "Queens County", "Bronx County", "Richmond County"}
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class ZipPlace:
    """The state (``NY``) and, when the ZIP code lies in one, the city
    jurisdiction (``US-NY-NYC``) of a US ZIP code."""

    state: str
    city: str | None


@lru_cache(maxsize=1024)
def _zip3_places(prefix: str) -> dict[str, ZipPlace]:
    """ZIP code -> place for every ZIP code starting with a three-digit prefix
    (read from ``zipdata`` once per prefix, as for zones)."""
    table = {}
    for record in ZIP_DATA.prefix_records(prefix):
        state, county = record.state, record.county
        if not state:
            continue
        city = next(
            (
                code
                for code, (city_state, counties) in _CITIES_BY_COUNTIES.items()
                if state == city_state and county in counties
            ),
            None,
        )
        table[record.zip_code] = ZipPlace(state=state, city=city)
    return table


@lru_cache(maxsize=65536)
def us_zip_place(postal_code: str) -> ZipPlace | None:
    """The state and city of a US ZIP code (``10001`` or ``10001-1234``), or None
    when the code is not a known ZIP code."""
    match = US_ZIP.fullmatch(postal_code.strip())
    if not match:
        return None
    zip5 = match.group(1)
    return _zip3_places(zip5[:3]).get(zip5)
