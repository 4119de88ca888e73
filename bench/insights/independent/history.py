"""Independent two-year history of a small online coffee & tea shop (see README.md).

    python history.py --out DIR --seed 1 --customers 5000 --products 3000

Writes meta.json, products.jsonl, customers.jsonl, orders.jsonl, messages.jsonl and prints summary statistics.
"""
import argparse
import heapq
import json
import math
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalog import SEGMENTS, build_catalog  # noqa: E402
import texts  # noqa: E402

START = texts.START
DAYS = 730
END = START + timedelta(days=DAYS)
SPLIT_DAY = DAYS - 90
SPLIT = START + timedelta(days=SPLIT_DAY)
INF = math.inf


def day_of(t):
    return START + timedelta(days=t)


def iso(t):
    return day_of(t).isoformat(timespec="seconds")


class Shop:
    """Vectorised product attributes and time-dependent availability / seasonality / price."""

    def __init__(self, products):
        self.p = products
        for i, p in enumerate(products):
            p["idx"] = i
        n = len(products)
        self.n = n
        self.cats = sorted({p["cat"] for p in products})
        self.cat = np.array([self.cats.index(p["cat"]) for p in products])
        self.cat_idx = {c: np.nonzero(self.cat == i)[0] for i, c in enumerate(self.cats)}
        self.brands = sorted({p["brand"] for p in products})
        self.brand = np.array([self.brands.index(p["brand"]) for p in products])
        self.pop = np.array([p["pop"] for p in products])
        self.aff = {s: np.array([p["aff"].get(s, 0.0) for p in products]) for s in SEGMENTS}
        self.launch = np.array([p["launch"] for p in products])
        self.disc = np.array([p["disc"] for p in products])
        self.grind = np.array([p["grind"] for p in products])
        self.price = np.array([p["price"] for p in products])
        self.durable = np.array([p["durable"] for p in products])
        lp = np.log(self.price)
        self.zprice = np.zeros(n)
        for c, idx in self.cat_idx.items():
            sd = lp[idx].std() or 1.0
            self.zprice[idx] = (lp[idx] - lp[idx].mean()) / sd
        self.so = [p["so"] for p in products]
        self.season = [p["season"] for p in products]
        self.fam = {}
        for i, p in enumerate(products):
            self.fam.setdefault(p["title"].split(" - ")[0].rsplit(",", 1)[0], []).append(i)
        self.fam_of = {}
        for k, v in self.fam.items():
            for i in v:
                self.fam_of[i] = v
        self._season_cache = {}
        self.new = self.launch > 5

    def season_mult(self, t):
        d = day_of(t)
        key = (d.month, d.day // 8)
        if key in self._season_cache:
            return self._season_cache[key]
        m, dd = d.month, d.day
        xmas = (m == 11 and dd >= 10) or (m == 12 and dd <= 24)
        table = {
            None: 1.0,
            "xmas": 6.0 if xmas else (0.3 if m in (11, 12, 1) else 0.0),
            "winter": 2.2 if m in (11, 12, 1, 2) else (0.4 if m in (6, 7, 8) else 1.0),
            "summer": 3.0 if m in (6, 7, 8) else (1.0 if m in (5, 9) else 0.2),
            "autumn": 3.0 if m in (9, 10, 11) else 0.0,
            "gift": 5.0 if xmas else (1.6 if m == 5 else 1.0),
        }
        arr = np.array([table[s] for s in self.season])
        tea_boost = np.where(self.cat == self.cats.index("tea"), 1.25 if m in (10, 11, 12, 1, 2, 3) else 0.8, 1.0)
        arr = arr * tea_boost
        self._season_cache[key] = arr
        return arr

    def available(self, i, t):
        if t < self.launch[i] or t >= self.disc[i]:
            return False
        s = self.season[i]
        if s in ("xmas", "autumn") and self.season_mult(t)[i] == 0.0:
            return False
        for a, b in self.so[i]:
            if a <= t < b:
                return False
        return True

    def avail_vec(self, idx, t):
        ok = (self.launch[idx] <= t) & (t < self.disc[idx])
        out = ok.copy()
        for j, i in enumerate(idx):
            if out[j] and self.so[i]:
                for a, b in self.so[i]:
                    if a <= t < b:
                        out[j] = False
        return out

    def restock_time(self, i, t):
        for a, b in self.so[i]:
            if a <= t < b:
                return b
        return None

    def price_at(self, i, t):
        p = self.p[i]
        base = p["price"]
        if p["cat"] in ("beans", "capsules") and t < 304:  # coffee price rise on 2025-10-01
            base = base / 1.09
        d = day_of(t)
        if p["durable"]:
            if d.month == 11 and 24 <= d.day <= 30 and d.weekday() in (4, 5, 6, 0):  # black-friday weekend
                base *= 0.85
            elif d.month == 7 and d.day <= 14 and p["cat"] in ("brewer", "kettle", "cups", "teaware"):
                base *= 0.8
        return round(base, 2)


# ---------------------------------------------------------------------------------------------- customers
TYPES = ["prospect", "oneoff", "occasional", "regular"]
TYPE_P = [0.07, 0.55, 0.25, 0.13]
SEG_P = [0.26, 0.17, 0.14, 0.23, 0.13, 0.07]


def arrival_weights(gift):
    w = np.empty(DAYS)
    for t in range(DAYS):
        d = day_of(t)
        g = 1.0 + 0.45 * t / DAYS  # the shop grows
        m = {1: 1.0, 2: 0.85, 3: 0.9, 4: 0.85, 5: 0.95, 6: 0.8, 7: 0.75, 8: 0.75, 9: 0.95, 10: 1.05, 11: 1.3, 12: 1.5}[d.month]
        if d.month == 11 and 24 <= d.day <= 30:
            m *= 2.0
        if d.month == 12 and d.day > 22:
            m *= 0.4
        if gift:
            m = m ** 3
        w[t] = g * m
    return w / w.sum()


class Customer:
    pass


def make_customers(rng, n):
    pw, pg = arrival_weights(False), arrival_weights(True)
    custs = []
    used = {}
    for k in range(n):
        c = Customer()
        c.id = f"cu_{k + 1:05d}"
        c.seg = int(rng.choice(6, p=SEG_P))
        c.type = TYPES[int(rng.choice(4, p=TYPE_P if c.seg != 4 else [0.05, 0.75, 0.15, 0.05]))]
        if c.seg == 5 and c.type == "oneoff" and rng.random() < 0.5:
            c.type = "regular"
        c.mix = {SEGMENTS[c.seg]: 1.0}
        if rng.random() < 0.35:
            s2 = int(rng.choice(6, p=SEG_P))
            c.mix[SEGMENTS[s2]] = c.mix.get(SEGMENTS[s2], 0) + float(rng.uniform(0.2, 0.5))
        c.arrival = float(rng.choice(DAYS, p=pg if c.seg == 4 else pw)) + float(rng.random())
        if c.seg != 4 and rng.random() < 0.18:  # already a customer before the recorded history starts
            c.arrival = -float(rng.uniform(0, 365))
        mean_life = {"prospect": 0, "oneoff": 0, "occasional": 320, "regular": 520}[c.type]
        c.life_end = c.arrival + float(rng.exponential(mean_life)) if mean_life else c.arrival + 1
        c.beta = float(np.clip(rng.normal(0.7, 0.7), -0.8, 2.2))  # price sensitivity (negative: premium taste)
        c.loyalty = float(rng.beta(2, 2))  # brand loyalty
        c.explore = float(rng.beta(1.5, 3.5))  # chance to try another product instead of re-buying
        c.pace = float(rng.lognormal(0, 0.3))  # consumption speed multiplier
        c.fidelity = {"regular": 0.85, "occasional": 0.45}.get(c.type, 0.1)  # share of cycles bought here
        c.lang = "de" if rng.random() < 0.15 else "en"
        c.name, c.first, c.email = texts.person(rng, c.lang, used)
        c.grind_w = np.ones(6)
        seg = SEGMENTS[c.seg]
        if seg == "espresso":
            c.grind_w[:] = [1, 1.2, 2.0, 0.15, 0.1, 0.6]
        elif seg == "filter":
            c.grind_w[:] = [1, 1.2, 0.1, 2.0, 0.8, 0.1]
        elif seg == "office":
            c.grind_w[:] = [1, 1.5, 1.0, 1.0, 0.2, 0.1]
        custs.append(c)
    return custs


# ---------------------------------------------------------------------------------------------- simulation
class Sim:
    def __init__(self, rng, shop, cust):
        self.r, self.s, self.c = rng, shop, cust
        s = shop
        mix = np.zeros(s.n)
        for seg, w in cust.mix.items():
            mix += w * s.aff[seg]
        self.base = s.pop * mix * np.exp(-cust.beta * s.zprice) * cust.grind_w[s.grind]
        self.owned = set()  # compatibility tags provided by owned durables
        self.owned_skus = []
        self.fav = {}  # category -> brand index
        self.staples = {}  # category -> {"skus": {product index: quantity}, "due": day the household runs out}
        self.events = []  # heap of (t, seq, kind, payload)
        self.seq = 0
        self.orders, self.msgs = [], []
        self.bought = {}

    def push(self, t, kind, payload=None):
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, kind, payload))

    def choose(self, t, idx, k=1, exclude=()):
        s, r = self.s, self.r
        if len(idx) == 0:
            return []
        w = self.base[idx] * s.season_mult(t)[idx] * s.avail_vec(idx, t)
        w = w * (1.0 + 2.0 * s.new[idx] * np.exp(-np.maximum(t - s.launch[idx], 0) / 45.0))
        if self.fav:
            favarr = np.full(len(s.cats), -1)
            for cat, b in self.fav.items():
                favarr[s.cats.index(cat)] = b
            w = w * np.where(s.brand[idx] == favarr[s.cat[idx]], 1.0 + 8.0 * self.c.loyalty, 1.0)
        for i in exclude:
            w[idx == i] = 0.0
        if self.owned_skus:
            w = np.where(np.isin(idx, self.owned_skus) & s.durable[idx], 0.0, w)
        tot = w.sum()
        if tot <= 0:
            return []
        k = min(k, int((w > 0).sum()))
        return [int(x) for x in r.choice(idx, size=k, replace=False, p=w / tot)]

    def fits_idx(self, cats):
        s = self.s
        out = []
        for c in cats:
            for i in s.cat_idx.get(c, []):
                f = s.p[i]["fits"]
                if f and ("any" in f or any(x in self.owned for x in f)):
                    out.append(i)
        return np.array(out, dtype=int)

    def cat_choice(self, t, cats, k=1):
        idx = np.concatenate([self.s.cat_idx[c] for c in cats if c in self.s.cat_idx]) if cats else np.array([], int)
        return self.choose(t, idx, k)

    def qty(self, i):
        p, r, c = self.s.p[i], self.r, self.c
        if p["durable"]:
            return 1 if p["cat"] != "cups" or r.random() < 0.8 else 2
        if p["cat"] == "capsules" and p.get("var_pop", 1) == 1.0:
            return int(r.choice([1, 2, 3, 4, 5], p=[0.3, 0.3, 0.2, 0.1, 0.1]))
        if SEGMENTS[c.seg] == "office":
            return int(r.choice([1, 2, 3, 4, 6], p=[0.3, 0.3, 0.2, 0.1, 0.1]))
        return 1 if r.random() < 0.82 else 2

    def first_basket(self, t):
        r, seg = self.r, SEGMENTS[self.c.seg]
        items = []
        if seg == "espresso":
            if r.random() < 0.33:
                items += self.cat_choice(t, ["espresso_machine"])
                if r.random() < 0.3 and "grinder_builtin" not in self._provides(items):
                    items += self.cat_choice(t, ["grinder"])
                if items and r.random() < 0.25:  # tamper / milk jug with the machine
                    self.owned.update(self._provides(items))
                    items += self.choose(t, self.fits_idx(["accessory"]))
            if r.random() < 0.8 or not items:
                items += self.cat_choice(t, ["beans"], k=1 + int(r.random() < 0.35))
        elif seg == "filter":
            u = r.random()
            if u < 0.3:
                items += self.cat_choice(t, ["brewer"])
            elif u < 0.4:
                items += self.cat_choice(t, ["grinder", "kettle"])
            if items and r.random() < 0.6:  # paper filters that fit the new brewer
                self.owned.update(self._provides(items))
                items += self.choose(t, self.fits_idx(["filters"]))
            if r.random() < 0.8 or not items:
                items += self.cat_choice(t, ["beans"], k=1 + int(r.random() < 0.4))
        elif seg == "capsule":
            if r.random() < 0.3:
                items += self.cat_choice(t, ["capsule_machine"])
            items += self.cat_choice(t, ["capsules"], k=int(r.choice([1, 2, 3, 4], p=[0.35, 0.3, 0.2, 0.15])))
        elif seg == "tea":
            if r.random() < 0.22:
                items += self.cat_choice(t, ["teaware", "kettle"])
            items += self.cat_choice(t, ["tea", "teabags"], k=int(r.choice([1, 2, 3], p=[0.45, 0.35, 0.2])))
        elif seg == "gift":
            items += self.cat_choice(t, ["gift", "cups", "teaware", "brewer", "tea", "beans"], k=1 + int(r.random() < 0.3))
        else:  # office
            items += self.cat_choice(t, ["beans", "capsules", "teabags"], k=int(r.choice([1, 2, 3], p=[0.4, 0.4, 0.2])))
            if r.random() < 0.15:
                items += self.cat_choice(t, ["espresso_machine", "capsule_machine", "brewer"])
        if r.random() < 0.15:
            items += self.cat_choice(t, ["syrup", "cups", "accessory"])
        return items

    def _provides(self, items):
        out = set()
        for i in items:
            out.update(self.s.p[i]["provides"])
        return out

    def substitute(self, t, i):
        """Same line other variant, else same category (brand loyalty applies)."""
        fam = [j for j in self.s.fam_of[i] if j != i]
        if fam and self.r.random() < 0.6:
            got = self.choose(t, np.array(fam, dtype=int))
            if got:
                return got[0]
        got = self.choose(t, self.s.cat_idx[self.s.p[i]["cat"]], exclude=(i,))
        return got[0] if got else None

    def interval(self, i, q):
        rep = self.s.p[i]["repurchase_days"] or 60
        return rep * q * self.c.pace * float(self.r.lognormal(0, 0.22))

    def run(self):
        c, r, s = self.c, self.r, self.s
        if c.type == "prospect":
            for _ in range(1 + int(r.random() < 0.3)):
                t = c.arrival + float(r.uniform(0, 200))
                if t < DAYS:
                    got = self.cat_choice(t, list(s.cat_idx))
                    if got:
                        self.msg(t, texts.pre_question(r, c, s.p[got[0]], s, self.owned_names(), t, False), None)
            return
        self.push(c.arrival, "first")
        if c.type != "oneoff":
            self.push(c.arrival + float(r.exponential(150)), "browse")
        if r.random() < 0.1:
            self.msg(c.arrival + float(r.uniform(0, 400)), texts.admin(r, c), None)
        if r.random() < 0.12:  # asks about something, never buys it
            t = c.arrival + float(r.uniform(-20, 300))
            got = self.cat_choice(max(t, 0), list(s.cat_idx))
            if got:
                self.msg(t, texts.pre_question(r, c, s.p[got[0]], s, self.owned_names(), t, False), None)
        for y in (2025, 2026):  # christmas gift order of returning customers
            t = (datetime(y, 12, 1, tzinfo=timezone.utc) - START).days + float(r.uniform(0, 20))
            if t > c.arrival + 20 and c.type in ("occasional", "regular") and r.random() < 0.22:
                self.push(t, "xmas")
            bf = (datetime(y, 11, 26, tzinfo=timezone.utc) - START).days + float(r.uniform(0, 4))
            if bf > c.life_end and c.type != "oneoff" and r.random() < 0.08:
                self.push(bf, "winback")
        n_orders = 0
        while self.events:
            t, _, kind, payload = heapq.heappop(self.events)
            if t >= DAYS:
                break
            if t > c.life_end and kind not in ("xmas", "winback", "first") and not (kind == "follow" and payload == "ok"):
                continue
            if c.type == "oneoff" and n_orders >= 1 and not (kind == "follow" and payload == "ok"):
                continue
            items = []
            if kind == "first":
                items = self.first_basket(t)
            elif kind == "browse":
                seg = SEGMENTS[c.seg]
                pool = {"espresso": ["beans", "accessory", "syrup", "cups", "grinder"],
                        "filter": ["beans", "brewer", "accessory", "kettle", "cups"],
                        "capsule": ["capsules", "syrup", "cups"], "tea": ["tea", "teaware", "teabags"],
                        "gift": ["gift", "cups", "tea", "beans"], "office": ["beans", "capsules", "teabags"]}[seg]
                items = self.cat_choice(t, pool)
                self.push(t + float(r.exponential(170 if c.type == "occasional" else 120)), "browse")
            elif kind in ("xmas", "winback"):
                items = self.cat_choice(t, ["gift", "cups", "tea", "beans", "capsules", "brewer", "kettle", "teaware"],
                                        k=1 + int(r.random() < 0.4))
            elif kind == "follow":
                idx = self.fits_idx(["accessory", "care", "filters", "capsules", "tea", "cups"])
                items = self.choose(t, idx, k=1 + int(r.random() < 0.4))
            elif kind == "descale":
                idx = self.fits_idx(["care"])
                items = [i for i in self.choose(t, idx) if "descale" in s.p[i]["fits"]] or self.choose(t, idx)
            elif kind == "restock":
                items = [payload] if s.available(payload, t) else []
            elif kind == "staple":
                if payload not in self.staples or abs(self.staples[payload]["due"] - t) > 1e-9:
                    continue  # stale event
            qmap = {}
            # consolidate the staples running out within 10 days (one shipment)
            for cat in sorted(self.staples):
                st = self.staples[cat]
                if st["due"] > t + 10:
                    continue
                del self.staples[cat]
                if r.random() > c.fidelity:  # bought elsewhere (supermarket, another shop) this time
                    if r.random() < 0.85:
                        self.set_staple(cat, st["skus"], t + sum(self.interval(i, q) for i, q in st["skus"].items()))
                    continue
                for i, q in st["skus"].items():
                    j = i
                    if r.random() < c.explore:
                        j = self.substitute(t, i)
                    elif not s.available(i, t):
                        rt = s.restock_time(i, t)
                        if rt is not None and rt < s.disc[i] and r.random() < 0.4:
                            if r.random() < 0.5:
                                self.msg(t, texts.back_in_stock(r, c, s.p[i]), i)
                            self.push(rt + float(r.uniform(0.2, 8)), "restock", i)
                            continue
                        if t >= s.disc[i] and r.random() < 0.2:
                            self.msg(t, texts.discontinued_q(r, c, s.p[i]), None)
                        j = self.substitute(t, i)
                    if j is not None and j not in items:
                        items.append(j)
                        u = r.random()
                        qmap[j] = max(1, q + (1 if u < 0.08 else -1 if u < 0.16 else 0))
            items = [i for i in dict.fromkeys(items) if s.available(i, t)]
            if not items:
                continue
            if c.type == "oneoff" and n_orders == 0 and kind != "first":
                continue
            n_orders += 1
            self.order(t, items, kind, qmap)

    def set_staple(self, cat, skus, due):
        self.staples[cat] = {"skus": dict(skus), "due": due}
        self.push(due, "staple", cat)

    def owned_names(self):
        return [self.s.p[i] for i in self.owned_skus if self.s.p[i]["provides"]]

    def msg(self, t, st, about, exact=False):
        if not exact:
            t = math.floor(t) + texts.hour_of_day(self.r) / 24.0
        if st is None or t < 0 or t >= DAYS:
            return
        subject, text = st
        self.msgs.append({"t": t, "subject": subject, "text": text, "about": about})

    def order(self, t, items, kind, qmap):
        c, r, s = self.c, self.r, self.s
        t = math.floor(t) + texts.hour_of_day(r) / 24.0
        if t >= DAYS:
            return
        rec = t >= 0  # orders before the recorded history update the customer's state but are not written
        lines = []
        for i in items:
            lines.append((i, qmap.get(i) or self.qty(i)))
        # a question before buying, most often for a new, expensive or gift item
        pq = 0.0
        focus = None
        for i, _ in lines:
            p = s.p[i]
            if p["durable"]:
                q = 0.45 if p["price"] > 150 else 0.2
            elif i in self.bought:
                q = 0.015
            else:
                q = 0.07
            if q > pq:
                pq, focus = q, i
        if r.random() < pq:
            tq = t - float(r.choice([r.uniform(0.02, 0.5), r.uniform(0.5, 4), r.uniform(4, 14)], p=[0.3, 0.45, 0.25]))
            if tq < t - 1:
                tq = math.floor(tq) + texts.hour_of_day(r) / 24.0
            self.msg(tq, texts.pre_question(r, c, s.p[focus], s, self.owned_names(), tq, True), focus, exact=True)
        if rec:
            self.orders.append({"t": t, "lines": [(i, q, s.price_at(i, t)) for i, q in lines], "kind": kind})
        for i, q in lines:
            p = s.p[i]
            self.bought[i] = self.bought.get(i, 0) + 1
            self.fav.setdefault(p["cat"], s.brand[i])
            if r.random() > c.loyalty * 0.9:
                self.fav[p["cat"]] = s.brand[i] if r.random() < 0.5 else self.fav[p["cat"]]
            if p["durable"]:
                if p["provides"]:
                    self.owned.update(p["provides"])
                    if r.random() < {"oneoff": 0.2, "occasional": 0.5, "regular": 0.7}[c.type]:
                        self.push(t + float(r.uniform(2, 50)), "follow", "ok" if c.type == "oneoff" else None)
                    if "descale" in p["provides"] and c.type != "oneoff":
                        self.push(t + float(r.uniform(80, 200)), "descale")
                    if r.random() < 0.12:
                        tm = t + float(r.uniform(5, 90))
                        self.msg(tm, texts.usage_question(r, c, p), i)
                        if "descale" in p["provides"] and r.random() < 0.5:
                            self.push(tm + float(r.uniform(1, 20)), "descale")
                self.owned_skus.append(i)
        # consumables: the household's stock per category lasts sum(repurchase_days x quantity x pace)
        bycat = {}
        for i, q in lines:
            p = s.p[i]
            if not p["durable"] and p["repurchase_days"] and p["cat"] != "gift":
                bycat.setdefault(p["cat"], {})[i] = q
        for cat, skus in bycat.items():
            dur = sum(self.interval(i, q) for i, q in skus.items())
            old = self.staples.get(cat)
            if old is not None:  # an extra purchase: stock lasts longer, keeps the old favourite or takes the new one
                self.set_staple(cat, skus if r.random() < 0.5 else old["skus"], max(old["due"], t) + dur)
            elif c.type != "oneoff" and r.random() < (0.9 if c.type == "regular" else 0.55):
                self.set_staple(cat, skus, t + dur)
        # after the order
        u = r.random()
        if u < 0.06:
            self.msg(t + float(r.uniform(2, 12)), texts.thanks(r, c, s.p[items[0]]), items[0])
        elif u < 0.10:
            self.msg(t + float(r.uniform(1, 8)), texts.complaint(r, c, s.p[r.choice(items)]), None)
        elif u < 0.13:
            self.msg(t + float(r.uniform(1.5, 6)), texts.where_is_order(r, c), None)


# ---------------------------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--customers", type=int, default=5000)
    ap.add_argument("--products", type=int, default=3000)
    a = ap.parse_args(argv)
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    products = build_catalog(np.random.default_rng([a.seed, 1]), a.products)
    shop = Shop(products)
    custs = make_customers(np.random.default_rng([a.seed, 2]), a.customers)
    orders, msgs = [], []
    for k, c in enumerate(custs):
        sim = Sim(np.random.default_rng([a.seed, 3, k]), shop, c)
        sim.run()
        for o in sim.orders:
            orders.append((o["t"], c, o))
        for m in sim.msgs:
            m["t"] = m["t"] if m["t"] >= 0 else 0.0
            msgs.append((m["t"], c, m))
    orders.sort(key=lambda x: (x[0], x[1].id))
    msgs.sort(key=lambda x: (x[0], x[1].id))
    del rng
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump({"currency": "EUR", "split": iso(SPLIT_DAY), "end": iso(DAYS)}, f)
    with open(os.path.join(a.out, "products.jsonl"), "w") as f:
        for i, p in enumerate(products):
            f.write(json.dumps({"sku": p["sku"], "title": p["title"], "description": p["description"],
                                "tags": list(dict.fromkeys(x for x in p["tags"] if x)),
                                "price": f"{p['price']:.2f}", "in_stock": bool(shop.available(i, DAYS - 1e-6)),
                                "durable": bool(p["durable"]), "repurchase_days": p["repurchase_days"]},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(a.out, "customers.jsonl"), "w") as f:
        for c in custs:
            f.write(json.dumps({"customer_id": c.id, "name": c.name, "email": c.email}, ensure_ascii=False) + "\n")
    with open(os.path.join(a.out, "orders.jsonl"), "w") as f:
        for t, c, o in orders:
            f.write(json.dumps({"customer_id": c.id, "at": iso(t), "items": [
                {"sku": products[i]["sku"], "quantity": int(q), "unit_price": f"{pr:.2f}"} for i, q, pr in o["lines"]]}) + "\n")
    with open(os.path.join(a.out, "messages.jsonl"), "w") as f:
        for t, c, m in msgs:
            f.write(json.dumps({"customer_id": c.id, "at": iso(t), "subject": m["subject"], "text": m["text"]},
                               ensure_ascii=False) + "\n")
    stats(custs, products, orders, msgs, time.time() - t0)


def stats(custs, products, orders, msgs, secs):
    by_c = {}
    for t, c, o in orders:
        by_c.setdefault(c.id, []).append((t, o))
    buyers = len(by_c)
    repeat = sum(1 for v in by_c.values() if len(v) >= 2)
    lines = [len(o["lines"]) for _, _, o in orders]
    units = [sum(q for _, q, _ in o["lines"]) for _, _, o in orders]
    post = {cid for cid, v in by_c.items() if any(t >= SPLIT_DAY for t, _ in v)}
    post_hist = {cid for cid in post if any(t < SPLIT_DAY for t, _ in by_c[cid])}
    m_by_c = {}
    for t, c, m in msgs:
        m_by_c.setdefault(c.id, []).append((t, m))
    pre_any = pre_item = 0
    for t, c, o in orders:
        skus = {i for i, _, _ in o["lines"]}
        ms = [m for tm, m in m_by_c.get(c.id, []) if t - 14 <= tm < t]
        pre_any += bool(ms)
        pre_item += any(m["about"] in skus for m in ms)
    post_orders = [o for t, c, o in orders if t >= SPLIT_DAY]
    post_bought_before = 0
    post_lines = 0
    for t, c, o in orders:
        if t < SPLIT_DAY:
            continue
        before = {i for tt, oo in by_c[c.id] if tt < SPLIT_DAY for i, _, _ in oo["lines"]}
        for i, _, _ in o["lines"]:
            post_lines += 1
            post_bought_before += i in before
    n = len(orders)
    print(f"products {len(products)}, "
          f"customers {len(custs)}, buyers {buyers}, generated in {secs:.1f} s")
    print(f"orders {n} ({n - len(post_orders)} before the split, {len(post_orders)} after); messages {len(msgs)} "
          f"({sum(1 for t, _, _ in msgs if t >= SPLIT_DAY)} after the split)")
    print(f"share of buyers with 2+ orders (repeat buyers): {repeat / buyers:.3f}")
    print(f"items per order: {np.mean(lines):.2f} distinct products, {np.mean(units):.2f} units")
    print(f"post-split buyers: {len(post)}, with a purchase before the split: {len(post_hist)} "
          f"({len(post_hist) / max(1, len(post)):.3f}), new: {len(post) - len(post_hist)}")
    print(f"post-split order lines re-buying a product the customer bought before the split: "
          f"{post_bought_before / max(1, post_lines):.3f}")
    o_by_c = {cid: [t for t, _ in v] for cid, v in by_c.items()}
    followed = sum(1 for t, c, m in msgs if any(t < to <= t + 30 for to in o_by_c.get(c.id, [])))
    print(f"messages followed by an order of the same customer within 30 days: {followed / max(1, len(msgs)):.3f}")
    print(f"orders preceded (14 days) by a message from the customer: {pre_any / n:.3f}; "
          f"by a question about a product in the order: {pre_item / n:.3f}")


if __name__ == "__main__":
    main()
