"""The press agencies of the sample: the register at scale, its changes in the window, their latent traits.

Each agency gets a readiness ``r`` and from it ranks ``u1``..``u7`` (small = adopts early), a staff count, a
revenue level and growth, security levels: the rows of every period are read off these traits, so an
agency's answers stay consistent from one quarter to the next.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, timedelta

from pressdx.domain.calendar import Period
from pressdx.sample.received import rand_date
from pressdx.sample.registry import (
    BROADCASTERS,
    CITIES,
    MAGAZINE_DOMAINS,
    MAGAZINE_QUALIFIERS,
    MEDIA,
    MERGERS,
    NATIONAL_PAPERS,
    NEW_PAPERS,
    PAPER_TOPICS,
    PROVINCES,
    PROVINCIAL_PAPER,
)


class Agency:
    __slots__ = ("code", "name", "kind", "gov", "media", "licensed_on", "closed_on", "r", "u1", "u2",
                 "u3", "udx", "u7", "dom", "staff0", "drift", "train_mult", "jump_index", "base", "lg",
                 "reports_rev", "flaky", "baseline", "sec_hi", "sec_lo", "sec_dated", "cert", "trained",
                 "province")

    def __init__(self, code, name, kind, gov, media, licensed_on=None, closed_on=None, province=None):
        self.code, self.name, self.kind, self.gov, self.media = code, name, kind, gov, media
        self.licensed_on, self.closed_on, self.province = licensed_on, closed_on, province
        self.cert = None
        self.trained = 0
        self.jump_index = 0

    @property
    def multi(self) -> bool:
        return len(self.media) >= 2

    @property
    def electronic(self) -> bool:
        return "electronic" in self.media

    def listed(self, day: date) -> bool:
        return self.licensed_on is None or self.licensed_on <= day

    def active(self, day: date) -> bool:
        return self.listed(day) and (self.closed_on is None or self.closed_on > day)



def build_agencies(seed: int, scale: float, first: Period, last: Period) -> list[Agency]:
    rng = random.Random(f"{seed}/agencies")
    n_paper = max(1, round(120 * scale))
    n_mag = max(1, round(628 * scale))
    n_bc = max(1, round(70 * scale))
    n_news = max(1, round(1 * scale))
    w = max(5, len(str(max(n_paper, n_mag, n_bc) + 100)))
    counters = Counter()

    def code(prefix):
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]:0{w}d}"

    def hist_date(electronic_only):
        if rng.random() < 0.05:
            return None
        lo = date(2000, 1, 1) if electronic_only else date(1955, 1, 1)
        return rand_date(rng, lo, date(2021, 12, 31))

    agencies: list[Agency] = []
    # newspapers: national, then provincial, then generated
    papers = list(NATIONAL_PAPERS)
    for p in PROVINCES:
        gov = f"Thành ủy {p}" if p in CITIES else f"Tỉnh ủy {p}"
        papers.append((PROVINCIAL_PAPER.get(p, f"Báo {p}"), gov, "pe", p))
    i = 0
    while len(papers) < n_paper:
        p = PROVINCES[i % len(PROVINCES)]
        papers.append((f"Báo {PAPER_TOPICS[i // len(PROVINCES) % len(PAPER_TOPICS)]} {p}",
                       f"Ủy ban nhân dân {'thành phố' if p in CITIES else 'tỉnh'} {p}",
                       "e" if rng.random() < 0.25 else "pe", None))
        i += 1
    for entry in papers[:n_paper]:
        name, gov, media = entry[:3]
        a = Agency(code("B"), name, "newspaper", gov, MEDIA[media], province=entry[3] if len(entry) > 3 else None)
        a.licensed_on = hist_date(media == "e")
        agencies.append(a)
    # magazines: field x qualifier, each with a plausible governing body
    combos = []
    for fields, govs in MAGAZINE_DOMAINS:
        for f in fields:
            for q in MAGAZINE_QUALIFIERS:
                combos.append((f"Tạp chí {f}{q}", govs))
    rng.shuffle(combos)
    for k in range(n_mag):
        name, govs = combos[k % len(combos)]
        if k >= len(combos):
            name += f" – {PROVINCES[(k // len(combos) - 1) % len(PROVINCES)]}"
            if k >= len(combos) * (len(PROVINCES) + 1):
                name += f" ({k // (len(combos) * (len(PROVINCES) + 1)) + 1})"
        x = rng.random()
        media = "p" if x < 0.775 else "pe" if x < 0.98 else "e"
        a = Agency(code("T"), name, "magazine", rng.choice(govs), MEDIA[media])
        a.licensed_on = hist_date(media == "e")
        agencies.append(a)
    # broadcasters: national, then one per province
    bcs = list(BROADCASTERS)
    for p in PROVINCES:
        if p == "TP. Hồ Chí Minh":
            continue
        bcs.append((f"Đài Phát thanh và Truyền hình {p}",
                    f"Ủy ban nhân dân {'thành phố' if p in CITIES else 'tỉnh'} {p}", "rte", p))
    for k in range(n_bc):
        entry = bcs[k % len(bcs)]
        name = entry[0] if k < len(bcs) else f"{entry[0]} (kênh {k // len(bcs) + 1})"
        a = Agency(code("D"), name, "broadcaster", entry[1], MEDIA[entry[2]],
                   province=entry[3] if len(entry) > 3 and k < len(bcs) else None)
        a.licensed_on = hist_date(False)
        agencies.append(a)
    for k in range(n_news):
        name = "Thông tấn xã Việt Nam" if k == 0 else f"Thông tấn xã Việt Nam – Phân xã khu vực {k}"
        agencies.append(Agency(code("X"), name, "news_agency", "Chính phủ", MEDIA["pet"],
                               licensed_on=None if k == 0 else date(1976, 1, 1)))

    # changes during the window: licences, closures, provincial mergers of 2025
    w_lo, w_hi = first.coverage_start, last.coverage_end
    for k in range(max(1, round(2 * scale))):
        name, gov, media = NEW_PAPERS[k % len(NEW_PAPERS)]
        if k >= len(NEW_PAPERS):
            name += f" {k // len(NEW_PAPERS) + 1}"
        agencies.append(Agency(code("B"), name, "newspaper", gov, MEDIA[media],
                               licensed_on=rand_date(rng, w_lo, w_hi - timedelta(days=40))))
    for k in range(max(1, round(4 * scale))):
        fields, govs = MAGAZINE_DOMAINS[k % len(MAGAZINE_DOMAINS)]
        agencies.append(Agency(code("T"), f"Tạp chí điện tử {rng.choice(fields)} số", "magazine",
                               rng.choice(govs), MEDIA["e" if k % 2 else "pe"],
                               licensed_on=rand_date(rng, w_lo, w_hi - timedelta(days=40))))
    mags = [a for a in agencies if a.kind == "magazine" and (a.licensed_on is None or a.licensed_on < w_lo)]
    for a in rng.sample(mags, min(len(mags), max(1, round(8 * scale)))):
        a.closed_on = rand_date(rng, w_lo + timedelta(days=20), w_hi)
    old_papers = [a for a in agencies if a.kind == "newspaper" and a.province is None
                  and (a.licensed_on is None or a.licensed_on < w_lo)]
    for a in rng.sample(old_papers, min(len(old_papers), max(1, round(1 * scale)))):
        a.closed_on = rand_date(rng, w_lo + timedelta(days=20), w_hi)
    merge_day = date(2025, 7, 1)
    if w_lo < merge_day <= w_hi:
        by_province = {}
        for a in agencies:
            if a.province:
                by_province.setdefault(a.province, []).append(a)
        for gone, into in MERGERS:
            olds = by_province.get(gone, []) + by_province.get(into, [])
            if len(olds) < 4:
                continue
            for a in olds:
                a.closed_on = merge_day
            agencies.append(Agency(code("B"), f"Báo và Phát thanh, Truyền hình {into}", "newspaper",
                                   f"Tỉnh ủy {into}", MEDIA["pert"], licensed_on=merge_day, province=into))

    # latent traits
    kind_bonus = {"news_agency": 2.0, "broadcaster": 0.8, "newspaper": 0.6, "magazine": -0.35}
    for a in agencies:
        a.r = kind_bonus[a.kind] + (0.5 if a.media == ("electronic",) else 0) + rng.gauss(0, 1)

    def rank(pop, attr, noise):
        """u in (0, 1), small for ready agencies: the share s of the population with u < s adopts."""
        scored = sorted(pop, key=lambda a: -a.r + rng.gauss(0, noise))
        n = len(scored)
        for i, a in enumerate(scored):
            setattr(a, attr, (i + 0.5) / n)

    rank(agencies, "u1", 0.8)
    rank(agencies, "u2", 0.9)
    rank(agencies, "udx", 0.6)
    rank([a for a in agencies if a.multi], "u3", 0.8)
    rank([a for a in agencies if a.electronic], "u7", 1.0)
    for a in agencies:
        if not a.multi:
            a.u3 = 2.0
        if not a.electronic:
            a.u7 = 2.0
    median = {"newspaper": 85, "magazine": 13, "broadcaster": 150, "news_agency": 2400}
    big = {"Đài Truyền hình Việt Nam": 3900, "Đài Tiếng nói Việt Nam": 2800, "Báo Nhân Dân": 620,
           "Báo Quân đội nhân dân": 540, "Báo Tuổi Trẻ": 480, "Báo Thanh Niên": 450}
    for a in agencies:
        a.staff0 = big.get(a.name) or max(3, round(median[a.kind] * math.exp(rng.gauss(0, 0.55))))
        if a.province and "Phát thanh, Truyền hình" in a.name and a.kind == "newspaper":
            a.staff0 = 260 + rng.randrange(120)
        a.drift = rng.gauss(0.0, 0.012)
        a.train_mult = math.exp(rng.gauss(0, 0.3) + 0.12 * a.r)
        a.dom = rng.random() < 0.7
        a.reports_rev = rng.random() < 0.93
        a.flaky = rng.random() < 0.04
        rev_median = {"newspaper": 2.8e9, "magazine": 0.22e9, "broadcaster": 3.5e9, "news_agency": 60e9}
        a.base = 0.0 if (a.kind == "magazine" and rng.random() < 0.03) else \
            rev_median[a.kind] * math.exp(rng.gauss(0, 0.85))
        g = -0.02 + 0.05 * a.r / 1.2 + rng.gauss(0, 0.06)
        a.lg = math.log1p(max(-0.5, g))
        a.baseline = round(12 * a.base * math.exp(rng.gauss(0, 0.02)), -6) if (
            a.licensed_on is None or a.licensed_on < date(2022, 1, 1)) else None
        a.sec_hi = 3 if rng.random() < 0.7 else 4 if rng.random() < 0.85 else 5
        a.sec_lo = 2 if rng.random() < 0.65 else 1
        a.sec_dated = rand_date(rng, date(2019, 1, 1), date(2022, 12, 31)) if rng.random() < 0.7 else None
    # person-weighted mean of the training multiplier is 1, so I6 follows its curve
    tot = sum(a.staff0 for a in agencies)
    wmean = sum(a.staff0 * a.train_mult for a in agencies) / tot
    for a in agencies:
        a.train_mult /= wmean
    # one agency absorbs another: its staff count jumps (an outlier warning)
    mid = (first.index + last.index) // 2 + 1
    cand = [a for a in agencies if a.kind == "magazine" and a.closed_on is None
            and (a.licensed_on is None or a.licensed_on < w_lo)]
    if cand and last.index > first.index:
        rng.choice(cand).jump_index = mid
    return agencies

