"""Seeded synthetic election: stations, official protocols, observer copies, checklists, incidents.

Everything is drawn from one ``numpy`` PCG64 stream and built column-wise (loops run over
regions, lines, items or options, never over stations), so scale 100 (about a million
stations) stays fast. Parameters are the UPPER_CASE constants below, each naming the section of
``research/kazakhstan.md`` it comes from ([V] verified, [I] inferred there). Honest stations
satisfy every control relation of the profile; injected manipulations are listed in
``Demo.truth``. No table holds a wall-clock time, so one seed always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import shapely

from saylau import geo, schema
from saylau.demo.texts import INCIDENT_TEXTS
from saylau.profiles import LANGS, Profile, load_profile

# --- Stations (kazakhstan.md §2.1, §3, §5) ---
DOMESTIC_STATIONS = 10_300  # §5: ≈10,300 domestic stations at scale 1
REGISTERED_VOTERS = 12_300_000  # §5: 12.3 M registered voters (2024-style referendum)
ABROAD_STATIONS = (65, 80)  # §2.1, §5: 65–80 stations abroad, attached to Astana
ABROAD_SIZE = (100, 300)  # §5: 100–300 voters per station abroad
SPECIAL_SHARE = 0.06  # §5: ~6 % special (closed) stations, 632 of 10,411 in 2026
SPECIAL_SIZE = (30, 600)  # §5: 30–600 voters at special stations
REMOTE_SHARE_OF_RURAL = 0.05  # §5: remote small stations ≈3 % of all stations
REMOTE_SIZE = (15, 150)  # §5: 15–150 voters at remote stations
CITY_SIZE = (1500, 2300, 3000)  # §5: city stations 1,500–3,000, mode ≈2,300 (triangular)
TOWN_SIZE = (1000, 1700, 2500)  # §5: oblast-centre stations 1,000–2,500
RURAL_MEDIAN, RURAL_SIGMA, RURAL_RANGE = 500.0, 0.6, (150, 1200)  # §5: log-normal, median ≈500
CITY_URBAN_SHARE = 1.0  # profile regions with urban share 1 are cities (AST, ALA, SHY)
STATIONS_PER_TEC = 45  # §2.1: 232 TECs for 10,061 PECs in 2021
TEC_RANGE = (2, 12)  # a handful of territorial commissions per region
SPREAD_DEG = {"city": 0.06, "town": 0.1}  # [I] sd around the region centre, degrees of latitude; rural: anywhere in the region
PLACE_TRIES = 64  # redraws of a position that fell outside its region before it is put on the region's surface point

# --- Protocol figures (§3, §5) ---
URBAN_TURNOUT_GAP = 0.10  # §5: urban stations −10 pp vs rural in the same region
TURNOUT_SD = 0.05  # §5: station spread N(0, 5 pp), in the middle of the range
TURNOUT_FLOOR = 0.10  # [I] no regular station below 10 %
TURNOUT_CAP = 0.95  # profile CR_TURNOUT_HIGH: honest regular stations stay at or below 95 %
TURNOUT_MEAN_MARGIN = 0.005  # a station's expected turnout stays this far inside (floor, cap)
SPECIAL_TURNOUT = (0.90, 1.00)  # §5: special stations 90–100 %
ABROAD_TURNOUT = (0.55, 0.75)  # §5: abroad 55–75 %
BALLOT_RESERVE = (0.00, 0.02)  # §5: ballots received = list × U(1.00, 1.02)
OUTSIDE_SHARE = {"urban": (0.01, 0.03), "rural": (0.02, 0.05)}  # §5: mobile voting 1–5 % of issued, rural higher
ABSENTEE_RATE = 0.0015  # §5: ≈0.15 % of voters use an absentee certificate
ABSENTEE_MAX = 0.05  # profile CR_ABSENTEE
BOX_GAP_RATE = 0.0005  # [I] ballots issued but not found in the boxes (taken away)
BOX_GAP_MAX = (3, 0.005)  # profile CR_BOX_GAP: at most max(3, 0.5 % of issued)
INVALID_SHARE = {"referendum": (0.016, 0.026), "election": (0.02, 0.045)}  # §5
INVALID_MAX = 0.10  # profile CR_INVALID_SHARE
BOTH_MARKED_SHARE = (0.010, 0.016)  # §5: referendum "both answers marked" 1.0–1.6 %
BOTH_MARKED_LINE = "ballots_valid_not_counted"
LEADER_SHARE = {"referendum": 0.74, "presidential": 0.79, "party_list": 0.56}  # §3: 71 % yes 2024, 81 % 2022, 54 % 2023
AGAINST_ALL_SHARE = 0.05  # §5: "against all" 4–6 % of valid
AGAINST_ALL_LINE = "votes_against_all"
RUNNER_UP_DECAY = 0.6  # [I] each further option gets 0.6× the previous one
VOTE_NOISE_SD = 0.25  # [I] station-level noise on option logits
LEADER_TURNOUT_SLOPE = 2.0  # §3.1, §5: low-turnout cities (Almaty, Astana) vote less for the leader

# --- Manipulations (§4.2, §5) ---
INFLATION_SHARE = 0.08  # §5: 5–15 % of stations
INFLATION_PP = (0.08, 0.25)  # §5: +8 to +25 pp turnout, extra ballots to the leader
REWRITE_SHARE = 0.03  # §5: 2–5 % of stations, official ≠ copy
REWRITE_MOVE = (0.10, 0.40)  # [I] share of each other option's votes moved to the leader
REWRITE_STUFF_SHARE = 0.5  # [I] half the rewrites also inflate turnout on paper
REWRITE_MIN_OTHER_VOTES = 10  # a rewrite must have votes to move
REWRITE_WITH_COPY_MIN = 5  # at least this many rewritten stations carry an observer copy
CAROUSEL_SHARE = 0.004  # §4.2: additional-list abuse at a few stations
CAROUSEL_ADDED = (0.03, 0.08)  # [I] voters added to the list, all voting for the leader
CAROUSEL_MIN = 3
REVISION_SHARE = 0.005  # [I] stations revised between preliminary and final
REVISION_MOVE = (0.02, 0.10)  # [I] the preliminary gave the leader this share of other votes
SLIP_SHARE = 0.03  # [I] transcription slips on ~3 % of copies
SLIP_TRANSPOSE_SHARE = 0.5  # [I] half the slips swap two neighbouring digits, half change one digit

# --- Observation (§4, §5, §6.2) ---
OBSERVED_SHARE = 0.125  # §5: 5–15 % of stations with an observer (random draw)
SECOND_ORG_SHARE = 0.25  # [I] ~20 % of copied stations have a second copy
AT_OPENING = 0.6  # [I] observer present at opening (else PRE_* items are na)
STAYED_FOR_COUNT = 0.9  # [I] observer stayed for the count (else CNT_* items are na)
SAW_MOBILE = 0.4  # [I] observer followed the mobile box (else MOB_* items are na)
COPY_OBTAINED = 0.95  # [I] a copy is obtained when the count was watched and not refused
COPY_REFUSED_ITEM = "CNT_PROTOCOL_COPY_REFUSED"
COPY_DELAYED_ITEM = "CNT_PROTOCOL_COPY_DELAYED"
SECTION_TROUBLE = {"PRE": 0.12, "ROOM": 0.25, "VOTE": 0.20, "MOB": 0.06, "CNT": 0.50}  # §4.2, §5: troubled share per section
NA_UNLESS = {"PRE": "at_opening", "MOB": "saw_mobile", "CNT": "stayed"}  # stage not observed ⇒ na
SCENARIO_ITEMS = {  # §4.2: manipulated stations make these reports more likely
    "turnout_inflation": {"VOTE_BALLOT_STUFFING": 0.2, "VOTE_IDENTICAL_SIGNATURES": 0.3},
    "carousel": {"VOTE_CAROUSEL": 0.5, "VOTE_ADDITIONAL_LIST_ABUSE": 0.6},
}
ORGS = (  # invented organisations (never real groups or people), sorted by name; share of observers
    ("Civic Watch Network", "ngo", 0.30),
    ("Clean Count Initiative", "ngo", 0.20),
    ("International Mission", "international", 0.10),
    ("Party A observers", "party", 0.12),
    ("Party B observers", "party", 0.08),
    ("Regional Press Pool", "media", 0.10),
    ("Student Observer Corps", "ngo", 0.05),
    ("Visiting Parliamentary Delegation", "international", 0.05),
)
WORDS_CAPTURED, SIGNED, SEALED = 0.8, 0.97, 0.95  # [I] copy quality
SLIP_WORDS_MISMATCH = 0.5  # [I] a slipped figure often disagrees with its words
INCIDENT_STATUS_P = (0.6, 0.3, 0.1)  # reported / verified / rejected
ACT_FILED_RATE = 0.2  # [I]
COMPLAINT_P = (0.70, 0.12, 0.08, 0.03, 0.05, 0.02)  # [I] in schema.COMPLAINT_STATUSES order
TEXT_LANG_P = (0.35, 0.50, 0.15)  # [I] kk / ru / en
TEXT_MISSING = 0.2  # [I] reports without free text

# --- Calendar (§2.1, §3) ---
ELECTION_DATE = "2026-03-15"  # §3: referendum of 15 March 2026
UTC_OFFSET_H = 5  # §2.1: single time zone UTC+5 since 2024
SECTION_HOURS = {"PRE": (6, 8), "ROOM": (7, 20), "VOTE": (7, 20), "MOB": (7, 20), "CNT": (20, 26)}  # local hours
OPENING_MIN = (6 * 60, 6 * 60 + 50)  # observer arrival before opening (local minutes)
DAYTIME_ARRIVAL_MIN = (7 * 60 + 30, 14 * 60)
DAYTIME_LEAVE_MIN = (15 * 60, 19 * 60 + 50)
COUNT_END_MIN = (21 * 60, 26 * 60)  # §5: protocol time 21:00–02:00
COPY_DELAY_MIN = (60, 600)  # copies given late: 1–10 h after the count
HANDOVER_MIN = (0, 30)  # copies given on time: within 30 min of the count
LEAVE_AFTER_COPY_MIN = (5, 30)
PUBLICATIONS = (  # (snapshot_id, published_at UTC)
    ("preliminary", datetime(2026, 3, 16, 1, 0, tzinfo=UTC)),
    ("final", datetime(2026, 3, 22, 6, 0, tzinfo=UTC)),
)
LICENCE = "CC BY 4.0"

REGULAR, SPECIAL, ABROAD = (schema.STATION_KINDS.index(k) for k in ("regular", "special", "abroad"))
SCENARIOS = ("turnout_inflation", "protocol_rewrite", "carousel", "copy_refused", "transcription_slip")
Protocol = dict[str, np.ndarray]


@dataclass(frozen=True)
class Demo:
    """A generated election: canonical tables, injected manipulations and manifest fields."""

    tables: dict[str, pl.DataFrame]
    truth: pl.DataFrame
    meta: dict[str, Any]


@dataclass(frozen=True)
class _Stations:
    """Station attributes as parallel arrays, in station_id order."""

    ids: pl.Series
    region: np.ndarray
    number: np.ndarray
    kind: np.ndarray
    urban: np.ndarray
    size: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    tec: pl.Series


@dataclass(frozen=True)
class _Visits:
    """One row per (observed station, observing organisation)."""

    station: np.ndarray
    org: np.ndarray
    at_opening: np.ndarray
    stayed: np.ndarray
    saw_mobile: np.ndarray
    copy: np.ndarray


def _take(values: list[str] | tuple[str, ...], idx: np.ndarray) -> pl.Series:
    """Return ``values[idx]`` as a string Series."""
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def _utc(minutes: np.ndarray) -> pl.Series:
    """Turn local minutes after midnight of election day into UTC datetimes."""
    day = int(datetime.fromisoformat(ELECTION_DATE).replace(tzinfo=UTC).timestamp())
    seconds = day + (minutes.astype(np.int64) - UTC_OFFSET_H * 60) * 60
    return pl.from_epoch(pl.Series(seconds), time_unit="s").dt.cast_time_unit("us").dt.replace_time_zone(schema.UTC)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> np.ndarray:
    """Draw n floats uniformly from ``bounds``."""
    return rng.uniform(bounds[0], bounds[1], n)


def _at_least(rng: np.random.Generator, mask: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Return ``mask`` with random candidates switched on until at least k are set."""
    missing = k - int(mask.sum())
    pool = np.flatnonzero(candidates & ~mask)
    if missing <= 0 or pool.size == 0:
        return mask
    out = mask.copy()
    out[rng.choice(pool, size=min(missing, pool.size), replace=False)] = True
    return out


def _place(rng: np.random.Generator, areas: np.ndarray, centres: np.ndarray, region: np.ndarray,
           spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw a (lon, lat) inside its region's boundary for every station.

    A station with a finite ``spread`` (degrees of latitude) lies near its region's centre
    (normal jitter), one with NaN anywhere in the region (uniform over its bounding box);
    positions outside the boundary are drawn again.

    Args:
        areas: prepared region polygons in profile order.
        centres: (lon, lat) of each region's centre, in profile order.
        region: region index of every station.
        spread: jitter of every station, NaN for "anywhere".
    """
    lon, lat = np.full(region.size, np.nan), np.full(region.size, np.nan)
    box = shapely.bounds(areas)
    todo = np.arange(region.size)
    for _ in range(PLACE_TRIES):
        r, s = region[todo], spread[todo]
        z, u = rng.standard_normal((2, todo.size)), rng.random((2, todo.size))
        near = ~np.isnan(s)
        y = np.where(near, centres[r, 1] + z[0] * s, box[r, 1] + u[0] * (box[r, 3] - box[r, 1]))
        x = np.where(near, centres[r, 0] + z[1] * s / np.cos(np.radians(centres[r, 1])),
                     box[r, 0] + u[1] * (box[r, 2] - box[r, 0]))
        inside = shapely.contains_xy(areas[r], x, y)
        lon[todo[inside]], lat[todo[inside]] = x[inside], y[inside]
        todo = todo[~inside]
        if todo.size == 0:
            return lon, lat
    fallback = shapely.get_coordinates(shapely.point_on_surface(areas[region[todo]]))
    lon[todo], lat[todo] = fallback[:, 0], fallback[:, 1]
    return lon, lat


def _draw_stations(rng: np.random.Generator, profile: Profile, scale: float, areas: np.ndarray) -> _Stations:
    """Draw domestic and abroad stations: size, kind, urban flag, commission and position inside the region."""
    regions = profile.regions
    share = np.array([r.voters_share for r in regions])
    urban_share = np.array([r.urban for r in regions])
    city = urban_share >= CITY_URBAN_SHARE
    urban_mean = np.where(city, np.mean(CITY_SIZE), np.mean(TOWN_SIZE))
    rural_mean = RURAL_MEDIAN * np.exp(RURAL_SIGMA**2 / 2)
    weight = share / (urban_share * urban_mean + (1 - urban_share) * rural_mean)
    per_region = np.maximum(1, np.round(DOMESTIC_STATIONS * scale * weight / weight.sum())).astype(np.int64)
    region = np.repeat(np.arange(len(regions)), per_region)
    n = region.size
    number = np.arange(n) - np.repeat(np.cumsum(per_region) - per_region, per_region) + 1

    special = rng.random(n) < SPECIAL_SHARE
    urban = rng.random(n) < urban_share[region]
    remote = ~special & ~urban & (rng.random(n) < REMOTE_SHARE_OF_RURAL)
    town_size = np.where(city[region], rng.triangular(*CITY_SIZE, n), rng.triangular(*TOWN_SIZE, n))
    rural_size = np.clip(np.exp(rng.normal(np.log(RURAL_MEDIAN), RURAL_SIGMA, n)), *RURAL_RANGE)
    regular_size = np.where(urban, town_size, rural_size)
    small_size = np.where(
        special,
        np.exp(rng.uniform(np.log(SPECIAL_SIZE[0]), np.log(SPECIAL_SIZE[1]), n)),
        rng.integers(REMOTE_SIZE[0], REMOTE_SIZE[1] + 1, n),
    ).round()

    abroad_region = next(i for i, r in enumerate(regions) if r.code == profile.abroad_region)
    n_abroad = max(1, round(int(rng.integers(ABROAD_STATIONS[0], ABROAD_STATIONS[1] + 1)) * scale))
    abroad_size = rng.integers(ABROAD_SIZE[0], ABROAD_SIZE[1] + 1, n_abroad)
    small = special | remote
    target = REGISTERED_VOTERS * scale - small_size[small].sum() - abroad_size.sum()
    factor = max(target, 0) / regular_size[~small].sum()
    size = np.where(small, small_size, np.clip(np.round(regular_size * factor), RURAL_RANGE[0], profile.station_cap))

    spread = np.where(city[region], SPREAD_DEG["city"], np.where(urban, SPREAD_DEG["town"], np.nan))
    centres = np.array([(r.lon, r.lat) for r in regions])
    lon, lat = _place(rng, areas, centres, region, spread)

    tecs = np.clip(np.round(per_region / STATIONS_PER_TEC), *TEC_RANGE).astype(np.int64)
    tec_no = (number - 1) * tecs[region] // per_region[region] + 1

    region = np.concatenate([region, np.full(n_abroad, abroad_region)])
    number = np.concatenate([number, per_region[abroad_region] + np.arange(1, n_abroad + 1)])
    kind = np.concatenate([np.where(special, SPECIAL, REGULAR), np.full(n_abroad, ABROAD)])
    frame = pl.DataFrame(
        {
            "iso": _take([r.iso for r in regions], region),
            "code": _take([r.code for r in regions], region),
            "number": number,
            "tec_no": pl.Series(np.concatenate([tec_no, np.zeros(n_abroad, np.int64)])),
        }
    ).select(
        pl.format("{}-{}", "iso", "number").alias("id"),
        pl.when(pl.col("tec_no") > 0)
        .then(pl.format("{} TEC {}", "code", "tec_no"))
        .otherwise(pl.format("{} TEC abroad", "code"))
        .alias("tec"),
    )
    order = frame["id"].arg_sort().to_numpy()
    nan = np.full(n_abroad, np.nan)
    return _Stations(
        ids=frame["id"].gather(order),
        region=region[order],
        number=number[order],
        kind=kind[order],
        urban=np.concatenate([urban, np.zeros(n_abroad, bool)])[order],
        size=np.concatenate([size, abroad_size]).astype(np.int64)[order],
        lat=np.concatenate([lat, nan])[order],
        lon=np.concatenate([lon, nan])[order],
        tec=frame["tec"].gather(order),
    )


def _base_logits(profile: Profile, kind: str) -> np.ndarray:
    """Return national log-shares of the options: leader first, then decaying, 'against all' fixed."""
    lines = [o.line for o in profile.elections[kind].options]
    against = AGAINST_ALL_SHARE if AGAINST_ALL_LINE in lines else 0.0
    others = [line for line in lines[1:] if line != AGAINST_ALL_LINE]
    decay = RUNNER_UP_DECAY ** np.arange(len(others))
    rest = dict(zip(others, (1 - LEADER_SHARE[kind] - against) * decay / decay.sum(), strict=True))
    shares = {lines[0]: LEADER_SHARE[kind], AGAINST_ALL_LINE: against, **rest}
    return np.log([shares[line] for line in lines])


def _bounded(mean: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Spread expected turnouts by standard normal ``z`` smoothly inside (floor, cap), on a logistic scale.

    The spread is ``TURNOUT_SD`` in the middle of the range and narrows towards its ends, so no
    station is clipped to the floor or the cap (a clip would pile stations up at one value, the
    very pattern the forensics screens look for).
    """
    span = TURNOUT_CAP - TURNOUT_FLOOR
    p = np.clip((mean - TURNOUT_FLOOR) / span, TURNOUT_MEAN_MARGIN, 1 - TURNOUT_MEAN_MARGIN)
    scale = TURNOUT_SD / (span * 0.25)  # the logistic curve's slope at its middle is 1/4
    return TURNOUT_FLOOR + span / (1 + np.exp(-(np.log(p / (1 - p)) + scale * z)))


def _count(rng: np.random.Generator, st: _Stations, profile: Profile, kind: str) -> Protocol:
    """Draw an honest count for every station; it satisfies every control relation of the profile."""
    n = st.size.size
    voters = st.size
    regional = np.array([r.turnout for r in profile.regions]) / 100
    urban_share = np.array([r.urban for r in profile.regions])[st.region]
    shift = np.where(st.urban, -URBAN_TURNOUT_GAP * (1 - urban_share), URBAN_TURNOUT_GAP * urban_share)
    turnout = _bounded(regional[st.region] + shift, rng.standard_normal(n))
    turnout = np.select(
        [st.kind == SPECIAL, st.kind == ABROAD],
        [_uniform(rng, SPECIAL_TURNOUT, n), _uniform(rng, ABROAD_TURNOUT, n)],
        turnout,
    )
    issued = rng.binomial(voters, turnout)
    over = np.where(st.kind == REGULAR, np.maximum(issued - np.floor(TURNOUT_CAP * voters), 0), 0)
    issued = (issued - 2 * over).astype(np.int64)  # reflected below the cap: no pile-up of stations at exactly 95 %
    received = voters + np.floor(voters * _uniform(rng, BALLOT_RESERVE, n)).astype(np.int64)
    outside_share = np.where(st.urban, _uniform(rng, OUTSIDE_SHARE["urban"], n), _uniform(rng, OUTSIDE_SHARE["rural"], n))
    outside = np.where(st.kind == ABROAD, 0, rng.binomial(issued, outside_share))
    absentee = np.minimum(rng.binomial(issued, ABSENTEE_RATE), np.floor(ABSENTEE_MAX * voters)).astype(np.int64)
    gap_max = np.floor(np.maximum(BOX_GAP_MAX[0], BOX_GAP_MAX[1] * issued))
    gap = np.minimum(rng.binomial(issued, BOX_GAP_RATE), gap_max).astype(np.int64)
    box = issued - gap
    mobile_gap = rng.binomial(gap, np.divide(outside, issued, out=np.zeros(n), where=issued > 0))
    invalid_bounds = INVALID_SHARE["referendum" if kind == "referendum" else "election"]
    invalid = np.minimum(rng.binomial(box, _uniform(rng, invalid_bounds, n)), np.floor(INVALID_MAX * box))
    invalid = invalid.astype(np.int64)
    both_line = profile.line(BOTH_MARKED_LINE)
    both = np.zeros(n, np.int64)
    if both_line and kind in both_line.kinds:
        both = rng.binomial(box - invalid, _uniform(rng, BOTH_MARKED_SHARE, n))

    logits = np.broadcast_to(_base_logits(profile, kind), (n, len(profile.elections[kind].options))).copy()
    logits[:, 0] += LEADER_TURNOUT_SLOPE * (regional[st.region] - regional.mean())
    logits += rng.normal(0, VOTE_NOISE_SD, logits.shape)
    shares = np.exp(logits - logits.max(axis=1, keepdims=True))
    votes = rng.multinomial(box - invalid - both, shares / shares.sum(axis=1, keepdims=True))
    protocol = {
        "voters_on_list": voters,
        "ballots_received": received,
        "ballots_issued": issued,
        "ballots_issued_outside": outside.astype(np.int64),
        "voters_by_absentee_cert": absentee,
        "ballots_unused_cancelled": received - issued,
        "ballots_in_boxes": box,
        "ballots_in_mobile_boxes": (outside - np.minimum(mobile_gap, outside)).astype(np.int64),
        "ballots_invalid": invalid,
        BOTH_MARKED_LINE: both.astype(np.int64),
    }
    protocol.update({o.line: votes[:, i].astype(np.int64) for i, o in enumerate(profile.elections[kind].options)})
    return protocol


def _add_ballots(p: Protocol, extra: np.ndarray, leader: str) -> None:
    """Add ``extra`` ballots, all for the leader, keeping the protocol internally consistent."""
    for line in ("ballots_issued", "ballots_in_boxes", leader):
        p[line] = p[line] + extra
    p["ballots_unused_cancelled"] = p["ballots_unused_cancelled"] - extra


def _inflate(rng: np.random.Generator, p: Protocol, mask: np.ndarray, leader: str) -> None:
    """Raise turnout by 8–25 pp of the list at masked stations (capped by the list)."""
    voters, issued = p["voters_on_list"], p["ballots_issued"]
    wanted = np.round(voters * _uniform(rng, INFLATION_PP, voters.size)).astype(np.int64)
    _add_ballots(p, np.where(mask, np.minimum(wanted, voters - issued), 0), leader)


def _move_votes(rng: np.random.Generator, p: Protocol, mask: np.ndarray, options: list[str], bounds: tuple[float, float]) -> None:
    """Move a random share of every other option's votes to the leader at masked stations.

    At least one vote moves wherever another option has one: at a small station the share
    alone can round to nothing, and a rewrite or revision that changes no figure is none.
    """
    frac = np.where(mask, _uniform(rng, bounds, mask.size), 0.0)
    others = options[1:]
    if not others:
        return
    moved = np.column_stack([np.floor(p[line] * frac).astype(np.int64) for line in others])
    votes = np.column_stack([p[line] for line in others])
    none = mask & (moved.sum(axis=1) == 0) & (votes.max(axis=1) > 0)
    moved[np.flatnonzero(none), votes.argmax(axis=1)[none]] = 1
    for k, line in enumerate(others):
        p[line] = p[line] - moved[:, k]
        p[options[0]] = p[options[0]] + moved[:, k]


def _visits(rng: np.random.Generator, st: _Stations, counted: Protocol, profile: Profile) -> tuple[_Visits, np.ndarray]:
    """Draw observed stations and their observers; return the visits and the copy-refused mask."""
    n = st.size.size
    stations = np.flatnonzero(rng.random(n) < OBSERVED_SHARE)
    two = rng.random(stations.size) < SECOND_ORG_SHARE
    first = rng.choice(len(ORGS), size=stations.size, p=[w for *_, w in ORGS])
    second = (first + rng.integers(1, len(ORGS), stations.size)) % len(ORGS)
    pairs = np.where(
        two[:, None],
        np.column_stack([np.minimum(first, second), np.maximum(first, second)]),
        np.column_stack([first, np.full(stations.size, -1)]),
    ).ravel()
    org = pairs[pairs >= 0]
    station = np.repeat(stations, np.where(two, 2, 1))
    m = station.size
    stayed = rng.random(m) < STAYED_FOR_COUNT
    watched_count = np.zeros(n, bool)
    watched_count[station[stayed]] = True
    refused = (rng.random(n) < profile.item(COPY_REFUSED_ITEM).rate) & watched_count
    refused = _at_least(rng, refused, watched_count, 1)
    visits = _Visits(
        station=station,
        org=org,
        at_opening=rng.random(m) < AT_OPENING,
        stayed=stayed,
        saw_mobile=(rng.random(m) < SAW_MOBILE) & (counted["ballots_issued_outside"][station] > 0),
        copy=stayed & ~refused[station] & (rng.random(m) < COPY_OBTAINED),
    )
    return visits, refused


def _carousel(rng: np.random.Generator, p: Protocol, mask: np.ndarray, leader: str, cap: int) -> None:
    """Add voters to the supplementary list at masked stations, all of whom vote for the leader."""
    voters = p["voters_on_list"]
    wanted = np.round(voters * _uniform(rng, CAROUSEL_ADDED, voters.size)).astype(np.int64)
    added = np.where(mask, np.minimum(wanted, cap - voters), 0)
    for line in ("voters_on_list", "ballots_received", "ballots_unused_cancelled"):
        p[line] = p[line] + added
    _add_ballots(p, added, leader)


def _manipulate(
    rng: np.random.Generator, st: _Stations, counted: Protocol, visits: _Visits, profile: Profile, options: list[str]
) -> tuple[dict[str, np.ndarray], Protocol, Protocol]:
    """Choose and apply the manipulations; return their masks, the final and the preliminary official figures.

    Carousel and turnout inflation happen at the station, so they change ``counted`` (and thus
    the copies) in place; a protocol rewrite changes only the published figures.
    """
    n = st.size.size
    leader = options[0]
    voters, issued = counted["voters_on_list"], counted["ballots_issued"]
    has_copy = np.zeros(n, bool)
    has_copy[visits.station[visits.copy]] = True
    regular = st.kind == REGULAR
    can_inflate = regular & (voters - issued >= INFLATION_PP[0] * voters)
    can_rewrite = (st.kind != ABROAD) & (sum(counted[o] for o in options[1:]) >= REWRITE_MIN_OTHER_VOTES)
    can_carousel = regular & (voters * (1 + CAROUSEL_ADDED[1]) <= profile.station_cap)
    u = rng.random(n)
    bounds = np.cumsum([0, INFLATION_SHARE, REWRITE_SHARE, CAROUSEL_SHARE])
    inflation = _at_least(rng, can_inflate & (u < bounds[1]), can_inflate, 1)
    rewrite = can_rewrite & ~inflation & (u >= bounds[1]) & (u < bounds[2])
    carousel = can_carousel & ~inflation & (u >= bounds[2]) & (u < bounds[3])
    carousel = _at_least(rng, carousel, can_carousel & ~inflation & ~rewrite, CAROUSEL_MIN)
    rewrite |= _at_least(rng, rewrite & has_copy, can_rewrite & has_copy & ~inflation & ~carousel, REWRITE_WITH_COPY_MIN)

    _carousel(rng, counted, carousel, leader, profile.station_cap)
    _inflate(rng, counted, inflation, leader)
    final = {line: values.copy() for line, values in counted.items()}
    _move_votes(rng, final, rewrite, options, REWRITE_MOVE)
    _inflate(rng, final, rewrite & (rng.random(n) < REWRITE_STUFF_SHARE), leader)
    preliminary = {line: values.copy() for line, values in final.items()}
    _move_votes(rng, preliminary, rng.random(n) < REVISION_SHARE, options, REVISION_MOVE)
    return {"turnout_inflation": inflation, "protocol_rewrite": rewrite, "carousel": carousel}, final, preliminary


def _answers(rng: np.random.Generator, profile: Profile, visits: _Visits, masks: dict[str, np.ndarray]) -> np.ndarray:
    """Draw checklist answers (indices into ``schema.ANSWERS``), one row per visit and one column per item.

    Problems cluster: within a section a visit is either troubled or not, and troubled visits
    report each item at ``rate / trouble``, so every item keeps its profile rate overall.
    """
    m = visits.station.size
    items = profile.items
    section = np.array([profile.sections[i.section][0] for i in items])
    trouble_p = np.array([SECTION_TROUBLE[s] for s in section])
    troubled = np.column_stack([rng.random(m) < SECTION_TROUBLE[s] for s in SECTION_TROUBLE])
    column = np.array([list(SECTION_TROUBLE).index(s) for s in section])
    rate = np.array([i.rate for i in items])
    yes = troubled[:, column] & (rng.random((m, len(items))) < np.minimum(1, rate / trouble_p))
    codes = [i.code for i in items]
    for scenario, boosts in SCENARIO_ITEMS.items():
        at = masks[scenario][visits.station]
        for code, p in boosts.items():
            yes[:, codes.index(code)] |= at & (rng.random(m) < p)
    yes[:, codes.index(COPY_REFUSED_ITEM)] = masks["copy_refused"][visits.station]
    na = np.zeros_like(yes)
    for code, attr in NA_UNLESS.items():
        na[:, section == code] = ~getattr(visits, attr)[:, None]
    return np.where(na, schema.ANSWERS.index("na"), np.where(yes, schema.ANSWERS.index("yes"), schema.ANSWERS.index("no")))


def _times(rng: np.random.Generator, visits: _Visits, delayed: np.ndarray) -> dict[str, np.ndarray]:
    """Draw arrival, copy hand-over and departure times of each visit (local minutes)."""
    m = visits.station.size
    arrive = np.where(visits.at_opening, rng.integers(*OPENING_MIN, m), rng.integers(*DAYTIME_ARRIVAL_MIN, m))
    delay = np.where(delayed, rng.integers(*COPY_DELAY_MIN, m), rng.integers(*HANDOVER_MIN, m))
    handover = rng.integers(*COUNT_END_MIN, m) + delay
    leave = np.where(visits.stayed, handover + rng.integers(*LEAVE_AFTER_COPY_MIN, m), rng.integers(*DAYTIME_LEAVE_MIN, m))
    return {"arrive": arrive, "handover": handover, "leave": leave}


def _checklists(
    st: _Stations, profile: Profile, visits: _Visits, answers: np.ndarray, times: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Build the long checklist table: one row per visit and item."""
    m, k = answers.shape
    row = np.repeat(np.arange(m), k)
    return pl.DataFrame(
        {
            "station_id": st.ids.gather(visits.station[row]),
            "observer_org": _take([o[0] for o in ORGS], visits.org[row]),
            "item": _take([i.code for i in profile.items], np.tile(np.arange(k), m)),
            "org_type": _take([o[1] for o in ORGS], visits.org[row]),
            "arrived_at": _utc(times["arrive"][row]),
            "left_at": _utc(times["leave"][row]),
            "answer": _take(schema.ANSWERS, answers.ravel()),
        }
    )


def _incidents(
    rng: np.random.Generator, st: _Stations, profile: Profile, visits: _Visits, answers: np.ndarray, times: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Turn every 'yes' answer into an incident report at a plausible time, with a short text."""
    rows, cols = np.nonzero(answers == schema.ANSWERS.index("yes"))
    k = rows.size
    sections = list(INCIDENT_TEXTS)
    item_section = np.array([sections.index(profile.sections[i.section][0]) for i in profile.items])[cols]
    hours = np.array([SECTION_HOURS[s] for s in sections]) * 60
    start = np.maximum(hours[item_section, 0], times["arrive"][rows])
    at = rng.integers(start, np.maximum(np.minimum(hours[item_section, 1], times["leave"][rows]), start + 1))
    bank = [text for s in sections for lang in LANGS for text in INCIDENT_TEXTS[s][lang]]
    sizes = np.array([[len(INCIDENT_TEXTS[s][lang]) for lang in LANGS] for s in sections])
    offsets = (np.cumsum(sizes.ravel()) - sizes.ravel()).reshape(sizes.shape)
    lang = rng.choice(len(LANGS), k, p=TEXT_LANG_P)
    pick = offsets[item_section, lang] + (rng.random(k) * sizes[item_section, lang]).astype(np.int64)
    has_text = pl.Series(rng.random(k) >= TEXT_MISSING)
    return pl.DataFrame(
        {
            "incident_id": pl.Series(np.arange(1, k + 1)).cast(pl.String).str.zfill(7),
            "station_id": st.ids.gather(visits.station[rows]),
            "observed_at": _utc(at),
            "code": _take([i.code for i in profile.items], cols),
            "section": pl.Series([i.section for i in profile.items], dtype=pl.Int8).gather(cols),
            "severity": pl.Series([i.severity for i in profile.items], dtype=pl.Int8).gather(cols),
            "status": _take(schema.INCIDENT_STATUSES, rng.choice(len(schema.INCIDENT_STATUSES), k, p=INCIDENT_STATUS_P)),
            "org_type": _take([o[1] for o in ORGS], visits.org[rows]),
            "text": _take(bank, pick),
            "lang": _take(LANGS, lang),
            "act_filed": rng.random(k) < ACT_FILED_RATE,
            "complaint_status": _take(schema.COMPLAINT_STATUSES, rng.choice(len(schema.COMPLAINT_STATUSES), k, p=COMPLAINT_P)),
            "has_text": has_text,
        }
    ).with_columns(
        pl.format("INC-{}", "incident_id").alias("incident_id"),
        pl.when("has_text").then(pl.col("text", "lang")),
    ).drop("has_text")


def _balanced_lines(profile: Profile, kind: str, lines: list[str], options: list[str]) -> list[int]:
    """Return the columns of ``lines`` that appear in an equality relation (a slip there always shows)."""
    used: set[str] = set()
    for relation in profile.relations_for(kind):
        if "==" in relation.check:
            used.update(re.findall(r"[a-z_]+", relation.check))
    if "votes_total" in used:
        used.update(options)
    return [j for j, line in enumerate(lines) if line in used]


def _slip(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """Copy figures with a transcription slip: one digit changed or two neighbouring digits swapped.

    The leading digit never becomes 0, so the written figure keeps its length.
    """
    n = values.size
    digits = np.floor(np.log10(np.maximum(values, 1))).astype(np.int64) + 1
    lead = digits - 1
    pos = rng.integers(0, digits)
    digit = values // 10**pos % 10
    new = np.where(
        (pos == lead) & (digits > 1),
        1 + (digit - 1 + rng.integers(1, 9, n)) % 9,
        (digit + rng.integers(1, 10, n)) % 10,
    )
    changed = values + (new - digit) * 10**pos
    low = rng.integers(0, np.maximum(lead, 1))
    d0, d1 = values // 10**low % 10, values // 10 ** (low + 1) % 10
    swappable = (digits >= 2) & (d0 != d1) & ((d0 != 0) | (low + 1 < lead))
    swapped = values + (d0 - d1) * 10**low * 9
    return np.where((rng.random(n) < SLIP_TRANSPOSE_SHARE) & swappable, swapped, changed)


def _copies(
    rng: np.random.Generator,
    st: _Stations,
    visits: _Visits,
    counted: np.ndarray,
    lines: list[str],
    slip_columns: list[int],
    honest: np.ndarray,
    handover: np.ndarray,
    seed: int,
) -> tuple[pl.DataFrame, np.ndarray]:
    """Build the long protocol-copy table from the counted figures; return it and the slipped stations."""
    rows = np.flatnonzero(visits.copy)
    station = visits.station[rows]
    c, k = rows.size, len(lines)
    values = counted[station].copy()
    slip = _at_least(rng, (rng.random(c) < SLIP_SHARE) & honest[station], honest[station], 1)
    column = np.asarray(slip_columns)[rng.integers(0, len(slip_columns), c)]
    slipped = slip[:, None] & (np.arange(k)[None, :] == column[:, None])
    values[slipped] = _slip(rng, values[slipped])
    captured = rng.random(c) < WORDS_CAPTURED
    words = ~(slipped & (rng.random((c, k)) < SLIP_WORDS_MISMATCH))
    rank = 1 + np.concatenate([[False], station[1:] == station[:-1]]).astype(np.int64)
    ids = pl.DataFrame({"s": st.ids.gather(station), "r": rank}).select(pl.format("{}-C{}", "s", "r")).to_series()
    evidence = pl.Series([hashlib.sha256(f"saylau-demo:{seed}:{cid}".encode()).hexdigest() for cid in ids])
    row = np.repeat(np.arange(c), k)
    table = pl.DataFrame(
        {
            "copy_id": ids.gather(row),
            "line": _take(lines, np.tile(np.arange(k), c)),
            "station_id": st.ids.gather(station[row]),
            "source_org": _take([o[0] for o in ORGS], visits.org[rows][row]),
            "org_type": _take([o[1] for o in ORGS], visits.org[rows][row]),
            "obtained_at": _utc(handover[rows][row]),
            "value": pl.Series(values.ravel(), dtype=pl.UInt32),
            "words_match": pl.Series(words.ravel()),
            "captured": captured[row],
            "signed": (rng.random(c) < SIGNED)[row],
            "sealed": (rng.random(c) < SEALED)[row],
            "evidence_sha256": evidence.gather(row),
        }
    ).with_columns(pl.when("captured").then("words_match").alias("words_match")).drop("captured")
    return table, np.unique(station[slip])


def _matrix(p: Protocol, lines: list[str]) -> np.ndarray:
    """Stack protocol lines into a (stations × lines) matrix."""
    return np.column_stack([p[line] for line in lines])


def _official(st: _Stations, lines: list[str], publications: list[np.ndarray]) -> pl.DataFrame:
    """Build the long official table: every station, publication and line."""
    n, k = st.ids.len(), len(lines)
    pubs = len(PUBLICATIONS)
    publication = np.tile(np.repeat(np.arange(pubs), k), n)
    return pl.DataFrame(
        {
            "station_id": st.ids.gather(np.repeat(np.arange(n), pubs * k)),
            "snapshot_id": _take([sid for sid, _ in PUBLICATIONS], publication),
            "line": _take(lines, np.tile(np.arange(k), pubs * n)),
            "value": pl.Series(np.stack(publications, axis=1).ravel(), dtype=pl.UInt32),
            "published_at": pl.Series([ts for _, ts in PUBLICATIONS], dtype=pl.Datetime("us", schema.UTC)).gather(publication),
        }
    )


def _stations_table(st: _Stations, profile: Profile, registered: np.ndarray) -> pl.DataFrame:
    """Build the canonical stations table."""
    domestic = st.kind != ABROAD
    return pl.DataFrame(
        {
            "station_id": st.ids,
            "region_code": _take([r.code for r in profile.regions], st.region),
            "tec": st.tec,
            "number": st.number,
            "kind": _take(schema.STATION_KINDS, st.kind),
            "urban": pl.Series(st.urban).set(pl.Series(~domestic), None),
            "registered_voters": pl.Series(registered, dtype=pl.UInt32),
            "lat": pl.Series(st.lat, nan_to_null=True),
            "lon": pl.Series(st.lon, nan_to_null=True),
            "address": pl.Series([None] * st.ids.len(), dtype=pl.String),
        }
    )


def _truth(st: _Stations, masks: dict[str, np.ndarray]) -> pl.DataFrame:
    """List the manipulated stations per scenario, sorted."""
    frames = [pl.DataFrame({"station_id": st.ids.filter(pl.Series(mask)), "scenario": name}) for name, mask in masks.items()]
    return pl.concat(frames).sort("station_id", "scenario")


def _meta(profile: Profile, profile_code: str, kind: str, tables: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """Return the manifest fields of the demo snapshot."""
    election = profile.elections[kind]
    rows = sum(df.height for df in tables.values())
    return {
        "profile": profile_code,
        "election": {
            "id": f"{profile.code.lower()}-{ELECTION_DATE[:4]}-{kind}",
            "kind": kind,
            "date": ELECTION_DATE,
            "title": {lang: election.title.get(lang) for lang in LANGS},
            "options": [
                {"line": o.line, **{lang: o.names.get(lang) for lang in LANGS}, "color": o.color}
                for o in election.options
            ],
            "status": "final",
            "random_sample": True,
            "licence": LICENCE,
        },
        "sources": [
            {
                "name": "demo",
                "kind": "demo",
                "retrieved_at": PUBLICATIONS[-1][1].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "records": rows,
                "accepted": rows,
                "quarantined": 0,
            }
        ],
    }


def generate(seed: int = 2026, scale: float = 1.0, kind: str = "referendum", profile_code: str = "kz",
             cache_dir: Path | None = None) -> Demo:
    """Generate a seeded synthetic election of ``kind`` at ``scale`` × the country's real size.

    Station positions fall inside the profile's region boundaries (``geo.region_shapes``, cached
    in ``cache_dir``, by default the data folder's cache).
    """
    profile = load_profile(profile_code)
    if kind not in profile.elections:
        raise ValueError(f"unknown election kind {kind!r}; expected one of {sorted(profile.elections)}")
    rng = np.random.Generator(np.random.PCG64(seed))
    options = [o.line for o in profile.elections[kind].options]
    lines = [line.code for line in profile.lines if kind in line.kinds] + options

    shapes = geo.region_shapes(profile, cache_dir)
    st = _draw_stations(rng, profile, scale, np.array([shapes[r.code] for r in profile.regions]))
    counted = _count(rng, st, profile, kind)
    visits, refused = _visits(rng, st, counted, profile)
    masks, final, preliminary = _manipulate(rng, st, counted, visits, profile, options)
    masks["copy_refused"] = refused
    answers = _answers(rng, profile, visits, masks)
    delayed = answers[:, [i.code for i in profile.items].index(COPY_DELAYED_ITEM)] == schema.ANSWERS.index("yes")
    times = _times(rng, visits, delayed)
    honest = ~(masks["turnout_inflation"] | masks["protocol_rewrite"] | masks["carousel"])
    slip_columns = _balanced_lines(profile, kind, lines, options)
    copies, slipped = _copies(
        rng, st, visits, _matrix(counted, lines), lines, slip_columns, honest, times["handover"], seed
    )
    masks["transcription_slip"] = np.isin(np.arange(st.ids.len()), slipped)
    tables = {
        "regions": profile.regions_frame(),
        "stations": _stations_table(st, profile, final["voters_on_list"]),
        "protocol_official": _official(st, lines, [_matrix(preliminary, lines), _matrix(final, lines)]),
        "protocol_copies": copies,
        "incidents": _incidents(rng, st, profile, visits, answers, times),
        "checklists": _checklists(st, profile, visits, answers, times),
        "quarantine": schema.empty("quarantine"),
    }
    truth = _truth(st, {s: masks[s] for s in SCENARIOS})
    return Demo(tables=tables, truth=truth, meta=_meta(profile, profile_code, kind, tables))
