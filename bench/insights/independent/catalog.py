"""Catalogue of "Halden Coffee & Tea", a small European online coffee & tea shop.

Builds product families (a line with variants: size, grind, colour, pack) and fills the
catalogue up to the requested number of SKUs with limited micro-lots, as specialty shops do.
Every product carries hidden attributes used by the customer simulation (segment affinity,
popularity, compatibility, season, launch / discontinuation / stock-out dates).
"""
import math

DAY0_YEAR_DAYS = 730  # history length in days (start .. end)

SEGMENTS = ["espresso", "filter", "capsule", "tea", "gift", "office"]
GRINDS = ["", "whole bean", "espresso", "filter", "french press", "moka pot"]

ROASTERS = [  # name, short, style (light/balanced/dark), price factor
    ("Halden Roastery", "Halden", "balanced", 1.0),
    ("Ostara Coffee", "Ostara", "light", 1.25),
    ("Black Kite Roasters", "Black Kite", "balanced", 1.1),
    ("Vento Rosso", "Vento Rosso", "dark", 0.95),
    ("Lumen Roasters", "Lumen", "light", 1.3),
    ("Casa Brava", "Casa Brava", "dark", 0.8),
]
ORIGINS = [  # country, region, farm / station, notes, premium
    ("Ethiopia", "Yirgacheffe", "Kochere", "jasmine, bergamot and lemon", 1.0),
    ("Ethiopia", "Guji", "Hambela", "blueberry, peach and cacao nib", 1.05),
    ("Ethiopia", "Sidamo", "Bensa", "apricot and black tea", 1.0),
    ("Kenya", "Nyeri", "Gatomboya AA", "blackcurrant and grapefruit", 1.15),
    ("Kenya", "Kirinyaga", "Kii", "redcurrant, tomato and cane sugar", 1.15),
    ("Colombia", "Huila", "La Plata", "red apple and caramel", 1.0),
    ("Colombia", "Narino", "Buesaco", "orange and panela", 1.0),
    ("Brazil", "Cerrado Mineiro", "Fazenda Santa Ines", "hazelnut and milk chocolate", 0.85),
    ("Brazil", "Sul de Minas", "Fazenda Ambiental", "peanut and cocoa", 0.85),
    ("Guatemala", "Antigua", "Finca San Sebastian", "cocoa and orange peel", 1.0),
    ("Guatemala", "Huehuetenango", "La Esperanza", "plum and brown sugar", 1.0),
    ("Costa Rica", "Tarrazu", "La Pastora", "honey and lime", 1.05),
    ("Honduras", "Santa Barbara", "El Cedro", "toffee and stone fruit", 0.95),
    ("Peru", "Cajamarca", "Cenfrocafe", "almond and dark chocolate", 0.9),
    ("Rwanda", "Nyamasheke", "Kanzu", "raspberry and black tea", 1.1),
    ("Burundi", "Kayanza", "Gatukuza", "cranberry and vanilla", 1.1),
    ("Indonesia", "Sumatra", "Mandheling", "cedar, dark chocolate, earthy", 0.95),
    ("Papua New Guinea", "Eastern Highlands", "Kainantu", "tropical fruit and cocoa", 1.0),
    ("India", "Malabar", "Monsooned Malabar", "spice, very low acidity", 0.9),
    ("Mexico", "Chiapas", "Finca Hamburgo", "milk chocolate and walnut", 0.9),
    ("Nicaragua", "Jinotega", "La Bastilla", "caramel and red grape", 0.95),
    ("El Salvador", "Santa Ana", "Finca Kilimanjaro", "cherry and cocoa", 1.0),
    ("Panama", "Boquete", "Geisha", "jasmine, mango and bergamot", 2.6),
    ("Yemen", "Haraz", "Mocha", "dried fruit and spice", 2.2),
    ("Tanzania", "Mbeya", "Peaberry", "blackberry and lemon", 1.05),
    ("Bolivia", "Caranavi", "Agricabv", "cherry and nougat", 1.1),
    ("Uganda", "Mount Elgon", "Bugisu", "dried fig and dark sugar", 0.95),
    ("China", "Yunnan", "Baoshan", "plum and spice", 1.0),
]
PROCESSES = ["Washed", "Natural", "Honey", "Anaerobic Natural", "Washed", "Natural"]
BLENDS = [  # name, notes, use (espresso/filter/both), season, decaf
    ("Espresso Classico", "dark chocolate and roasted almond", "espresso", None, False),
    ("Morning Blend", "caramel and citrus", "filter", None, False),
    ("House Espresso", "cocoa, hazelnut, syrupy body", "espresso", None, False),
    ("Dark Roast No. 7", "smoky, bittersweet chocolate", "espresso", None, False),
    ("Crema Blend", "nougat, thick crema", "espresso", None, False),
    ("Breakfast Blend", "brown sugar and red apple", "filter", None, False),
    ("Decaf Espresso (Swiss Water)", "milk chocolate, gentle", "espresso", None, True),
    ("Decaf Colombia (Sugarcane)", "caramel and red fruit", "both", None, True),
    ("Winter Blend", "gingerbread spice and dark cherry", "both", "xmas", False),
    ("Cold Brew Blend", "chocolate and molasses, smooth cold", "filter", "summer", False),
    ("Organic Fair Trade Blend", "cocoa and walnut", "both", None, False),
    ("Office Blend", "easy-going, nutty", "both", None, False),
]
TEAS = [  # name, kind, notes, season, base price per 100 g
    ("Assam TGFOP", "black", "malty, strong, takes milk well", None, 7.5),
    ("Darjeeling First Flush", "black", "floral, muscatel, light", None, 14.0),
    ("Darjeeling Second Flush", "black", "muscatel, fuller body", None, 12.0),
    ("Ceylon Uva", "black", "brisk, bright, citrus", None, 7.0),
    ("English Breakfast", "black", "strong blend for milk", None, 6.0),
    ("Earl Grey", "black", "bergamot", None, 6.5),
    ("Earl Grey Cream", "black", "bergamot and vanilla", None, 7.5),
    ("Lady Grey", "black", "bergamot, orange and cornflower", None, 7.0),
    ("Lapsang Souchong", "black", "pine smoke", "winter", 8.0),
    ("Sencha Fukamushi", "green", "grassy, umami", None, 11.0),
    ("Gyokuro", "green", "shaded, deep umami", None, 24.0),
    ("Genmaicha", "green", "toasted rice", None, 7.0),
    ("Jasmine Dragon Pearls", "green", "jasmine blossom", None, 16.0),
    ("Gunpowder", "green", "smoky, robust", None, 5.5),
    ("Moroccan Mint", "green", "gunpowder with nana mint", "summer", 6.0),
    ("Milky Oolong", "oolong", "creamy, buttery", None, 13.0),
    ("Tie Guan Yin", "oolong", "orchid, light roast", None, 14.0),
    ("Da Hong Pao", "oolong", "roasted, mineral", None, 18.0),
    ("Pu-erh Shou 2018", "dark", "earthy, woody", "winter", 12.0),
    ("White Peony (Bai Mu Dan)", "white", "hay and melon", None, 12.0),
    ("Silver Needle", "white", "delicate, honeyed", None, 26.0),
    ("Rooibos Natural", "herbal", "caffeine-free, honeyed", None, 5.0),
    ("Rooibos Vanilla", "herbal", "vanilla, caffeine-free", None, 5.5),
    ("Chai Masala", "black", "cinnamon, cardamom, ginger", "winter", 7.0),
    ("Peppermint Leaves", "herbal", "cool and clean", None, 4.5),
    ("Chamomile Blossoms", "herbal", "calming, apple-like", None, 5.0),
    ("Hibiscus Berry", "herbal", "tart, great iced", "summer", 5.0),
    ("Lemon Verbena", "herbal", "lemon, calming", None, 6.0),
    ("Ginger Lemon", "herbal", "warming ginger", "winter", 5.5),
    ("Christmas Tea", "black", "orange, cinnamon, almond", "xmas", 7.0),
    ("Iced Peach Green", "green", "peach, for cold brewing", "summer", 6.5),
]
MATCHA = [("Matcha Ceremonial Grade", 28.0, "30 g tin"), ("Matcha Culinary Grade", 14.0, "100 g bag"),
          ("Matcha Premium Uji", 34.0, "30 g tin")]
DARJ_ESTATES = ["Castleton", "Margaret's Hope", "Jungpana", "Namring", "Puttabong", "Giddapahar",
                "Thurbo", "Seeyok", "Arya", "Glenburn", "Risheehat", "Gopaldhara"]
CAPSULE_FLAVOURS = [
    ("Ristretto", 11, None), ("Espresso Forte", 9, None), ("Lungo", 6, None), ("Decaffeinato", 6, None),
    ("Intenso", 12, None), ("Colombia", 6, None), ("Ethiopia", 5, None), ("Brazil", 7, None),
    ("Vanilla", 6, None), ("Caramel", 6, None), ("Hazelnut", 6, None), ("Christmas Spice", 7, "xmas"),
    ("Cold Brew Style", 5, "summer"), ("Organic Espresso", 8, None),
]
CAPSULE_BRANDS = [("Vento Rosso", 1.0), ("Halden Roastery", 1.1), ("Nord Kapsel", 0.8)]
SYRUPS = [("Vanilla", None), ("Caramel", None), ("Salted Caramel", None), ("Hazelnut", None),
          ("Gingerbread", "xmas"), ("Pumpkin Spice", "autumn"), ("Coconut", "summer"), ("Irish Cream", None),
          ("Almond", None), ("Sugar-free Vanilla", None), ("Chocolate Sauce", None), ("Cinnamon", "winter")]
COLOURS = ["black", "white", "red", "cream", "stainless steel", "matt black", "sage green", "copper",
           "petrol blue", "terracotta", "mint", "polished silver"]
ESPRESSO_MACHINES = [  # brand, model, type, basket, price, milk, colours
    ("Cremaro", "Piccola", "thermoblock espresso machine", 51, 199, True, ["black", "white", "red"]),
    ("Cremaro", "Duetto", "thermoblock espresso machine with steam wand", 53, 279, True, ["black", "stainless steel", "cream"]),
    ("Cremaro", "Automatica", "bean-to-cup coffee machine", 0, 449, True, ["black", "stainless steel"]),
    ("Fiorenza", "Compatta", "single boiler espresso machine", 58, 429, True, ["stainless steel", "black"]),
    ("Fiorenza", "Classica", "single boiler espresso machine with PID", 58, 549, True, ["stainless steel", "black", "white", "red"]),
    ("Brevio", "Mini", "single boiler E61 espresso machine", 58, 790, True, ["stainless steel"]),
    ("Brevio", "Uno", "heat-exchanger E61 espresso machine", 58, 1190, True, ["stainless steel", "matt black"]),
    ("Brevio", "Duo", "dual boiler E61 espresso machine", 58, 1690, True, ["stainless steel", "matt black"]),
    ("Kaffeewerk", "KW-100", "single boiler espresso machine", 58, 720, True, ["stainless steel", "black"]),
    ("Kaffeewerk", "KW-200", "dual boiler espresso machine with PID", 58, 1390, True, ["stainless steel", "black", "white"]),
    ("Kaffeewerk", "VA-5", "bean-to-cup coffee machine", 0, 899, True, ["black", "stainless steel"]),
]
CAPSULE_MACHINES = [("Vento Rosso", "Capsula Mini", 89, False), ("Vento Rosso", "Capsula Plus", 149, True),
                    ("Nord Kapsel", "Pod One", 69, False)]
GRINDERS = [  # brand, model, kind, price, colours, fits
    ("Kaffeewerk", "Mahlwerk 64", "64 mm flat burr grinder", 549, ["black", "stainless steel"], "espresso"),
    ("Kaffeewerk", "Mahlwerk 54", "54 mm flat burr grinder", 349, ["black", "white"], "both"),
    ("Brevio", "Macina", "58 mm flat burr espresso grinder", 420, ["stainless steel", "matt black"], "espresso"),
    ("Cremaro", "Macina Basic", "conical burr grinder", 89, ["black", "stainless steel"], "both"),
    ("Fiorenza", "M55", "conical burr grinder with timer", 299, ["black", "white", "red"], "espresso"),
    ("Tomo", "C2", "hand grinder", 69, ["black", "stainless steel"], "filter"),
    ("Tomo", "C3 Pro", "hand grinder", 99, ["black", "stainless steel", "copper"], "filter"),
    ("Ostrava", "K4", "hand grinder with 48 mm burrs", 199, ["black", "polished silver"], "both"),
]


def _title_case_colour(c):
    return c[0].upper() + c[1:]


class Builder:
    def __init__(self, rng):
        self.rng = rng
        self.families = []  # list of lists of product dicts

    def family(self, products, core=True, launch=0.0, disc=math.inf, pop=None, cat=None):
        rng = self.rng
        if pop is None:
            pop = float(rng.lognormal(0.0, 0.9))
        for p in products:
            p.setdefault("launch", launch)
            p.setdefault("disc", disc)
            p["fam_pop"] = pop
            p.setdefault("var_pop", 1.0)
            p.setdefault("season", None)
            p.setdefault("grind", 0)
            p.setdefault("fits", [])
            p.setdefault("provides", [])
            p.setdefault("repurchase_days", None)
            p.setdefault("loose", [p["title"]])
        self.families.append({"core": core, "products": products, "cat": products[0]["cat"]})


def P(title, desc, tags, price, durable, cat, brand, aff, **kw):
    d = dict(title=title, description=desc, tags=tags, price=round(price, 2), durable=durable, cat=cat,
             brand=brand, aff=aff)
    d.update(kw)
    return d


def bean_family(b, roaster, name, notes, use, origin_tag, premium, season, decaf, sizes, grinds,
                loose, micro=False, process=None):
    rname, rshort, style, pf = roaster
    out = []
    per250 = 8.4 * pf * premium * (0.95 if use == "espresso" else 1.0)
    size_f = {250: 1.0, 500: 1.85, 1000: 3.3}
    rep = {250: 14, 500: 28, 1000: 55}
    roast = {"light": "light roast", "balanced": "medium roast", "dark": "dark roast"}[style]
    if use == "espresso" and style == "light":
        roast = "medium roast"
    for s in sizes:
        for g in grinds:
            size_s = "1 kg" if s == 1000 else f"{s} g"
            gname = GRINDS[g]
            title = f"{rname} {name} - {gname.title() if g != 1 else 'Whole Bean'}, {size_s}"
            desc = (f"{name} from {rname}. {roast.capitalize()}; tasting notes of {notes}. "
                    + (f"{process} process. " if process else "")
                    + ("Decaffeinated. " if decaf else "")
                    + {"espresso": "Roasted for espresso and milk drinks. ",
                       "filter": "Roasted for filter, pour-over and French press. ",
                       "both": "Works for espresso and filter alike. "}[use]
                    + (f"Ground for {gname}. " if g != 1 else "Whole beans, grind fresh for best flavour. ")
                    + (f"Limited micro-lot, available while stocks last." if micro else ""))
            tags = ["coffee", "beans" if g == 1 else "ground coffee", roast, gname, size_s, rshort.lower()]
            tags += origin_tag
            if decaf:
                tags.append("decaf")
            if season == "xmas":
                tags += ["christmas", "seasonal"]
            if season == "summer":
                tags += ["cold brew", "summer"]
            if micro:
                tags.append("micro-lot")
            aff = {"espresso": 1.0 if use in ("espresso", "both") else 0.25,
                   "filter": 1.0 if use in ("filter", "both") else 0.2, "office": 0.6 if s == 1000 else 0.1,
                   "gift": 0.15 if not micro else 0.25, "capsule": 0.05, "tea": 0.03}
            vp = {250: 1.0, 500: 0.55, 1000: 0.45}[s] * (1.6 if g == 1 else 0.6)
            out.append(P(title, desc, tags, per250 * size_f[s] * (1.0 + 0.02 * (g != 1)), False, "beans",
                         rname, aff, repurchase_days=rep[s], grind=g, var_pop=vp, season=season,
                         loose=loose, size=s, use=use))
    return out


def build_catalog(rng, n_products):
    b = Builder(rng)
    r = rng
    # --- coffee beans: blends and single origins per roaster
    for ro in ROASTERS:
        rname, rshort, style, pf = ro
        nb = 4 if style != "light" else 2
        blends = [BLENDS[i] for i in r.choice(len(BLENDS), size=nb + 2, replace=False)]
        for name, notes, use, season, decaf in blends:
            grinds = [1, 2, 3] if use == "both" else ([1, 2, 5] if use == "espresso" else [1, 3, 4])
            sizes = [250, 500, 1000] if season is None else [250, 1000]
            loose = [f"the {name}", f"{rshort} {name}", name.lower(), f"your {name.split(' (')[0].lower()}",
                     f"{rshort} {name.split()[0].lower()}"]
            b.family(bean_family(b, ro, name, notes, use, ["blend"], 1.0, season, decaf, sizes, grinds, loose))
        no = 8 if style == "light" else 5
        for i in r.choice(len(ORIGINS), size=no, replace=False):
            c, reg, farm, notes, prem = ORIGINS[i]
            proc = PROCESSES[int(r.integers(0, 4))]
            name = f"{c} {reg} {farm}, {proc}"
            use = "filter" if style == "light" else "both"
            grinds = [1, 3] if use == "filter" else [1, 2, 3]
            sizes = [250, 1000] if prem < 2 else [250]
            loose = [f"the {reg}", reg, f"{c} {reg}", f"your {c.lower()} coffee", f"the {rshort} {reg}",
                     f"{farm}", f"the {c.lower()} {proc.lower()}"]
            b.family(bean_family(b, ro, name, notes, use, [c.lower(), "single origin", proc.lower()], prem, None,
                                 False, sizes, grinds, loose))
    # --- capsules
    for brand, bf in CAPSULE_BRANDS:
        for fl, inten, season in CAPSULE_FLAVOURS:
            if r.random() < 0.2:
                continue
            prods = []
            for n, rep, pr in ((10, 6, 3.9), (50, 30, 17.5), (100, 55, 32.0)):
                t = f"{brand} {fl} Capsules, Nespresso-compatible, {n} pcs"
                d = (f"{fl} coffee capsules (intensity {inten}/13) from {brand}, compatible with Nespresso "
                     f"Original machines. Compostable capsules, {n} pieces.")
                prods.append(P(t, d, ["coffee", "capsules", "nespresso-compatible", fl.lower(), f"{n} pcs"],
                               pr * bf, False, "capsules", brand,
                               {"capsule": 1.0, "office": 0.5 if n == 100 else 0.1, "gift": 0.05},
                               repurchase_days=rep, fits=["cap_np"], season=season,
                               var_pop={10: 1.0, 50: 0.8, 100: 0.35}[n],
                               loose=[f"the {fl.lower()} capsules", f"{brand} {fl}", f"{fl} pods",
                                      f"your {fl.lower()} capsuls", f"{fl.lower()} nespresso pods"]))
            b.family(prods)
    # --- loose tea
    for brand, bf in (("Halden Tea", 1.0), ("Leafhouse", 1.15), ("Mount Tara Tea Co.", 1.3)):
        for name, kind, notes, season, p100 in TEAS:
            if r.random() < 0.3:
                continue
            prods = []
            for g, f, rep in ((50, 0.6, 25), (100, 1.0, 45), (250, 2.2, 100)):
                t = f"{brand} {name}, loose leaf, {g} g" + (" tin" if g == 50 else "")
                d = (f"{name}: {kind} tea, {notes}. Loose leaf from {brand}. "
                     f"Brew {'2-3 min at 80 C' if kind in ('green', 'white') else '3-5 min at 95 C'}.")
                prods.append(P(t, d, ["tea", "loose leaf", kind + " tea", f"{g} g"] +
                               (["christmas"] if season == "xmas" else []) + (["iced tea"] if season == "summer" else []),
                               p100 * f * bf, False, "tea", brand,
                               {"tea": 1.0, "gift": 0.2, "office": 0.05}, repurchase_days=rep, season=season,
                               var_pop={50: 0.8, 100: 1.0, 250: 0.45}[g],
                               loose=[f"the {name}", name.lower(), f"your {name.split(' (')[0].lower()} tea",
                                      f"{brand.replace(' Tea Co.', '').replace(' Tea', '')} {name.split()[0]}", f"{name.split()[0].lower()} tea"]))
            b.family(prods)
        for name, pr, pack in MATCHA:
            b.family([P(f"{brand} {name}, {pack}", f"{name} from Japan. Stone-ground, vivid green. {pack}.",
                        ["tea", "matcha", "green tea"], pr * bf, False, "tea", brand, {"tea": 0.9, "gift": 0.2},
                        repurchase_days=35, fits=["matcha"], loose=[f"the {name.lower()}", "matcha", f"{brand} matcha",
                                                                   "the macha"])])
    for brand in ("Halden Tea", "Leafhouse"):
        for name in ("English Breakfast", "Earl Grey", "Peppermint", "Chamomile", "Green Sencha", "Rooibos",
                     "Chai", "Lemon Ginger"):
            prods = []
            for n, pr, rep in ((20, 3.9, 18), (100, 14.5, 80)):
                prods.append(P(f"{brand} {name} Tea Bags, {n} bags", f"{name} in biodegradable pyramid bags, {n} per box.",
                               ["tea", "tea bags", name.lower()], pr, False, "teabags", brand,
                               {"tea": 0.6, "office": 0.7 if n == 100 else 0.2}, repurchase_days=rep,
                               season="winter" if name in ("Chai", "Lemon Ginger") else None,
                               loose=[f"the {name.lower()} tea bags", f"{name} bags", f"{name.lower()} teabags"]))
            b.family(prods)
    # --- syrups
    for name, season in SYRUPS:
        prods = [P(f"Sirocco {name} Syrup, {ml} ml", f"{name} flavoured syrup for coffee, cocoa and cocktails. {ml} ml bottle.",
                   ["syrup", name.lower(), f"{ml} ml"], pr, False, "syrup", "Sirocco",
                   {"espresso": 0.35, "capsule": 0.45, "gift": 0.1, "office": 0.1}, repurchase_days=rep, season=season,
                   var_pop=vp, loose=[f"the {name.lower()} syrup", f"{name} sirup", f"sirocco {name.lower()}"])
                 for ml, pr, rep, vp in ((250, 6.9, 45, 1.0), (700, 12.9, 110, 0.5))]
        b.family(prods)
    # --- filters and care
    for name, fit, pr, rep, aff in (
            ("Paper Filters Size 01, 100 pcs", "filter_v01", 5.9, 70, "filter"),
            ("Paper Filters Size 02, 100 pcs, white", "filter_v02", 6.5, 60, "filter"),
            ("Paper Filters Size 02, 100 pcs, natural brown", "filter_v02", 5.9, 60, "filter"),
            ("Paper Filters 1x4, 80 pcs", "drip", 3.5, 45, "filter"),
            ("Paper Filters 1x4, 250 pcs", "drip", 8.9, 120, "filter"),
            ("Flat-Bottom Filters 185, 100 pcs", "filter_wave", 7.9, 60, "filter"),
            ("Bonded Filters for 6-8 cup Glass Brewer, 100 pcs", "filter_bonded", 12.9, 80, "filter"),
            ("Airpress Micro Filters, 350 pcs", "airpress", 6.9, 200, "filter")):
        b.family([P(f"Halden {name}", f"{name}. Oxygen-bleached or unbleached paper, tasteless.",
                    ["filters", "pour-over", "paper"], pr, False, "filters", "Halden", {aff: 0.25},
                    repurchase_days=rep, fits=[fit], loose=[name.split(",")[0].lower(), "filter papers", "filters",
                                                            "the paper filters", "fillters"])])
    for name, fits, pr, rep in (
            ("Descaler Liquid 500 ml", ["descale"], 12.9, 120), ("Descaling Tablets, 6 pcs", ["descale"], 9.9, 150),
            ("Espresso Machine Cleaning Tablets, 100 pcs", ["e61", "espresso_machine"], 14.9, 200),
            ("Espresso Machine Cleaning Powder 900 g", ["e61"], 19.9, 260),
            ("Milk System Cleaner 500 ml", ["milk"], 11.9, 90),
            ("Grinder Cleaning Pellets 430 g", ["grinder"], 13.9, 200),
            ("Brevio Water Filter Cartridge, 2-pack", ["wf_Brevio"], 24.9, 150),
            ("Kaffeewerk Water Filter Cartridge, 2-pack", ["wf_Kaffeewerk"], 22.9, 150),
            ("Fiorenza Water Filter Cartridge, 2-pack", ["wf_Fiorenza"], 19.9, 150),
            ("Cremaro Water Filter Cartridge, 2-pack", ["wf_Cremaro"], 17.9, 150),
            ("Hollands Brewer Water Filter, 2-pack", ["wf_Hollands"], 14.9, 180)):
        brand = name.split()[0] if name.split()[0] in ("Brevio", "Kaffeewerk", "Fiorenza", "Cremaro", "Hollands") else "Halden"
        b.family([P(name if brand != "Halden" else f"Halden {name}", f"{name}. Keeps your machine clean and tasting right.",
                    ["care", "cleaning"] + (["descaler"] if "escal" in name else []), pr, False, "care", brand,
                    {"espresso": 0.12, "capsule": 0.06}, repurchase_days=rep, fits=fits,
                    loose=[name.split(",")[0].lower(), "descaler" if "escal" in name else name.split()[0].lower() + " filter",
                           "cleaning stuff", "the descaller" if "escal" in name else "cartridges"])])
    # --- machines
    for brand, model, kind, basket, price, milk, cols in ESPRESSO_MACHINES:
        prods = []
        for c in cols:
            prov = ["espresso_machine", "descale", f"wf_{brand}"] + (["milk"] if milk else [])
            if basket:
                prov.append(f"basket{basket}")
            if "E61" in kind:
                prov.append("e61")
            if "bean-to-cup" in kind:
                prov.append("grinder_builtin")
            prods.append(P(f"{brand} {model} {kind[0].upper() + kind[1:]}, {_title_case_colour(c)}",
                           f"The {brand} {model} is a {kind}" + (f" with {basket} mm portafilter" if basket else "") +
                           (", steam wand for milk drinks" if milk else "") + f". Finish: {c}. 2-year warranty.",
                           ["espresso machine", brand.lower(), c] + (["e61"] if "E61" in kind else []),
                           price, True, "espresso_machine", brand, {"espresso": 1.0, "gift": 0.01, "office": 0.2},
                           provides=prov, var_pop=1.0 if c in ("stainless steel", "black") else 0.4,
                           loose=[f"the {brand} {model}", f"{brand} {model.lower()}", f"the {model}",
                                  f"your {brand} machine", f"{brand.lower()} {model}", f"the {c} {model}"]))
        b.family(prods)
    for brand, model, price, milk in CAPSULE_MACHINES:
        prods = [P(f"{brand} {model} Capsule Machine, {_title_case_colour(c)}",
                   f"Compact capsule machine for Nespresso-compatible capsules, 19 bar" + (", with milk frother" if milk else "") + f". Colour: {c}.",
                   ["capsule machine", brand.lower(), c], price, True, "capsule_machine", brand,
                   {"capsule": 1.0, "gift": 0.05, "office": 0.2}, provides=["cap_np", "descale"] + (["milk"] if milk else []),
                   loose=[f"the {model}", f"{brand} {model}", "the capsule machine", f"{model.lower()} machine"])
                 for c in ("black", "white", "red", "mint")]
        b.family(prods)
    for model, price in (("KB-741", 249), ("Select", 279)):
        prods = [P(f"Hollands Brewer {model} Filter Coffee Machine, {_title_case_colour(c)}",
                   f"Handmade filter coffee machine, 1.25 l glass jug, brews in 6 minutes at 92-96 C. Colour: {c}.",
                   ["filter coffee machine", "hollands", c], price, True, "brewer", "Hollands",
                   {"filter": 0.9, "office": 0.4, "gift": 0.05}, provides=["drip", "descale", "wf_Hollands"],
                   loose=[f"the Hollands {model}", "the hollands brewer", f"{model} in {c}", "the moccamaster-type machine"])
                 for c in ("polished silver", "matt black", "white", "red", "cream", "petrol blue", "sage green")]
        b.family(prods)
    for brand, model, kind, price, cols, use in GRINDERS:
        prods = [P(f"{brand} {model} {kind[0].upper() + kind[1:]}, {_title_case_colour(c)}",
                   f"{brand} {model}: {kind}, stepless adjustment, for {'espresso' if use == 'espresso' else 'filter and espresso' if use == 'both' else 'filter and pour-over'}. {c}.",
                   ["grinder", brand.lower(), c], price, True, "grinder", brand,
                   {"espresso": 0.8 if use != "filter" else 0.2, "filter": 0.7 if use != "espresso" else 0.1, "gift": 0.03},
                   provides=["grinder"], loose=[f"the {brand} {model}", f"{model} grinder", f"the {model}",
                                                f"{brand.lower()} grinder", f"{model.lower()} grindr"])
                 for c in cols]
        b.family(prods)
    # --- brewers, kettles, teaware, accessories, cups, gifts
    simple = [
        # cat, brand, name, price, aff, provides/fits, colours or variants, season
        ("brewer", "Halden", "Ceramic Pour-Over Dripper Size 01", 24.0, {"filter": 0.8, "gift": 0.1}, ["filter_v01"], ["white", "black", "terracotta", "sage green"], None),
        ("brewer", "Halden", "Ceramic Pour-Over Dripper Size 02", 28.0, {"filter": 0.9, "gift": 0.1}, ["filter_v02"], ["white", "black", "terracotta", "sage green"], None),
        ("brewer", "Halden", "Plastic Pour-Over Dripper Size 02", 9.9, {"filter": 0.6}, ["filter_v02"], ["clear", "red"], None),
        ("brewer", "Halden", "Flat-Bottom Dripper 185, stainless", 32.0, {"filter": 0.5}, ["filter_wave"], [None], None),
        ("brewer", "Halden", "Glass Carafe Brewer 6-cup", 45.0, {"filter": 0.6, "gift": 0.15}, ["filter_bonded"], ["natural wood collar", "black collar"], None),
        ("brewer", "Airpress", "Airpress Coffee Maker", 34.9, {"filter": 0.9, "espresso": 0.15, "gift": 0.2}, ["airpress"], [None], None),
        ("brewer", "Airpress", "Airpress Go Travel Coffee Maker", 39.9, {"filter": 0.5, "gift": 0.15}, ["airpress"], [None], None),
        ("brewer", "Halden", "French Press 350 ml", 24.0, {"filter": 0.5, "tea": 0.1, "gift": 0.15}, ["fp"], ["chrome", "matt black", "copper"], None),
        ("brewer", "Halden", "French Press 1 l", 34.0, {"filter": 0.6, "gift": 0.15}, ["fp"], ["chrome", "matt black", "copper"], None),
        ("brewer", "Bialetta", "Moka Pot", 29.0, {"espresso": 0.4, "filter": 0.2, "gift": 0.15}, ["moka"], ["1 cup", "3 cup", "6 cup", "9 cup"], None),
        ("brewer", "Bialetta", "Induction Moka Pot", 42.0, {"espresso": 0.3, "gift": 0.1}, ["moka"], ["3 cup", "6 cup"], None),
        ("brewer", "Halden", "Cold Brew Jar 1 l", 29.0, {"filter": 0.5, "tea": 0.1, "gift": 0.1}, ["coldbrew"], [None], "summer"),
        ("kettle", "Halden", "Gooseneck Electric Kettle 0.9 l with temperature control", 79.0, {"filter": 0.7, "tea": 0.5, "gift": 0.2}, ["kettle"], ["black", "white", "copper"], None),
        ("kettle", "Halden", "Stovetop Gooseneck Kettle 1 l", 35.0, {"filter": 0.5, "tea": 0.2}, ["kettle"], ["stainless steel", "black"], None),
        ("kettle", "Halden", "Electric Kettle 1.7 l variable temperature", 59.0, {"tea": 0.6, "filter": 0.2, "gift": 0.1}, ["kettle"], ["white", "black", "cream"], None),
        ("teaware", "Halden Tea", "Cast Iron Teapot (Tetsubin) 0.6 l", 49.0, {"tea": 0.7, "gift": 0.4}, ["teapot"], ["black", "red", "petrol blue"], None),
        ("teaware", "Halden Tea", "Cast Iron Teapot (Tetsubin) 1.0 l", 69.0, {"tea": 0.5, "gift": 0.3}, ["teapot"], ["black", "red"], None),
        ("teaware", "Halden Tea", "Glass Teapot with Infuser", 29.0, {"tea": 0.8, "gift": 0.3}, ["teapot"], ["0.8 l", "1.2 l"], None),
        ("teaware", "Halden Tea", "Ceramic Teapot 1 l", 39.0, {"tea": 0.6, "gift": 0.3}, ["teapot"], ["white", "sage green", "terracotta"], None),
        ("teaware", "Halden Tea", "Stainless Tea Infuser Basket", 9.9, {"tea": 0.9}, ["teapot"], [None], None),
        ("teaware", "Halden Tea", "Tea Infuser Ball", 5.5, {"tea": 0.5}, ["teapot"], [None], None),
        ("teaware", "Halden Tea", "Matcha Whisk (Chasen), 100 prongs", 16.5, {"tea": 0.4, "gift": 0.1}, ["matcha"], [None], None),
        ("teaware", "Halden Tea", "Matcha Bowl (Chawan)", 24.0, {"tea": 0.3, "gift": 0.2}, ["matcha"], ["black", "white", "sage green"], None),
        ("teaware", "Halden Tea", "Gaiwan 120 ml", 18.0, {"tea": 0.3}, ["teapot"], ["white", "celadon"], None),
        ("accessory", "Halden", "Espresso Tamper 58 mm", 39.0, {"espresso": 0.2}, ["fit:basket58"], ["walnut handle", "aluminium handle"], None),
        ("accessory", "Halden", "Espresso Tamper 53 mm", 29.0, {"espresso": 0.1}, ["fit:basket53"], ["aluminium handle"], None),
        ("accessory", "Halden", "Espresso Tamper 51 mm", 27.0, {"espresso": 0.1}, ["fit:basket51"], ["aluminium handle"], None),
        ("accessory", "Halden", "Calibrated Tamper 58.5 mm", 59.0, {"espresso": 0.1}, ["fit:basket58"], [None], None),
        ("accessory", "Halden", "Milk Jug", 19.0, {"espresso": 0.2, "capsule": 0.05}, ["fit:milk"], ["350 ml", "600 ml", "350 ml, black"], None),
        ("accessory", "Halden", "Knock Box", 24.0, {"espresso": 0.15}, ["fit:espresso_machine"], ["black", "stainless steel"], None),
        ("accessory", "Halden", "Coffee Scale with Timer", 39.0, {"espresso": 0.2, "filter": 0.3}, ["fit:any"], ["black", "white"], None),
        ("accessory", "Halden", "Precision Scale 0.1 g", 59.0, {"espresso": 0.15, "filter": 0.15}, ["fit:any"], [None], None),
        ("accessory", "Halden", "Distribution Tool 58 mm", 35.0, {"espresso": 0.1}, ["fit:basket58"], [None], None),
        ("accessory", "Halden", "Precision Filter Basket 58 mm", 25.0, {"espresso": 0.1}, ["fit:basket58"], ["18 g", "20 g"], None),
        ("accessory", "Halden", "Group Head Cleaning Brush", 8.5, {"espresso": 0.1}, ["fit:espresso_machine"], [None], None),
        ("accessory", "Halden", "Airtight Coffee Canister", 25.0, {"espresso": 0.1, "filter": 0.1, "tea": 0.05, "gift": 0.1}, ["fit:any"], ["250 g, black", "250 g, white", "500 g, black", "500 g, stainless"], None),
        ("accessory", "Halden", "Reusable Stainless Filter Size 02", 19.0, {"filter": 0.1}, ["fit:filter_v02"], [None], None),
        ("cups", "Halden", "Espresso Cups, set of 2", 19.0, {"espresso": 0.15, "capsule": 0.1, "gift": 0.3}, [], ["white", "black", "terracotta", "sage green"], None),
        ("cups", "Halden", "Cappuccino Cups, set of 2", 24.0, {"espresso": 0.15, "capsule": 0.1, "gift": 0.3}, [], ["white", "black", "terracotta", "sage green"], None),
        ("cups", "Halden", "Double-Walled Glasses, set of 2", 22.0, {"espresso": 0.1, "tea": 0.1, "capsule": 0.1, "gift": 0.3}, [], ["80 ml", "250 ml", "350 ml"], None),
        ("cups", "Halden", "Travel Mug 350 ml", 24.9, {"filter": 0.1, "espresso": 0.05, "gift": 0.3, "office": 0.1}, [], ["black", "white", "sage green", "red", "petrol blue"], None),
        ("cups", "Halden", "Iced Coffee Glass Tumbler 450 ml", 14.9, {"filter": 0.05, "capsule": 0.05, "gift": 0.1}, [], [None], "summer"),
        ("gift", "Halden", "Espresso Discovery Set, 3 x 250 g", 34.9, {"gift": 1.0, "espresso": 0.15}, [], [None], "gift"),
        ("gift", "Halden", "Single Origin Tasting Box, 4 x 100 g", 29.9, {"gift": 1.0, "filter": 0.2}, [], [None], "gift"),
        ("gift", "Halden Tea", "Tea Lover's Gift Box, 6 teas", 32.0, {"gift": 1.0, "tea": 0.2}, [], [None], "gift"),
        ("gift", "Halden Tea", "Tea Advent Calendar, 24 teas", 29.9, {"gift": 1.0, "tea": 0.4}, [], [None], "xmas"),
        ("gift", "Halden", "Coffee Advent Calendar, 24 x 20 g", 39.9, {"gift": 1.0, "filter": 0.2, "espresso": 0.2}, [], [None], "xmas"),
        ("gift", "Halden Tea", "Matcha Starter Kit", 49.0, {"gift": 0.8, "tea": 0.3}, ["matcha"], [None], "gift"),
        ("gift", "Halden", "Pour-Over Starter Kit", 54.0, {"gift": 0.8, "filter": 0.3}, ["filter_v02"], [None], "gift"),
        ("gift", "Halden", "Capsule Tasting Box, 60 capsules", 24.9, {"gift": 0.6, "capsule": 0.4}, [], [None], "gift"),
    ]
    for cat, brand, name, price, aff, prov, variants, season in simple:
        prods = []
        for v in variants:
            title = (name if name.startswith(brand) else f"{brand} {name}") + (f", {v}" if v else "")
            fits = [x[4:] for x in prov if x.startswith("fit:")]
            provides = [x for x in prov if not x.startswith("fit:")]
            words = name.split(",")[0]
            short = words.split("(")[0].strip().lower()
            desc = f"{name}" + (f" ({v})" if v else "") + f" by {brand}. " + {
                "brewer": "For rich, clean coffee at home.", "kettle": "Precise pouring and temperature.",
                "teaware": "For brewing loose leaf tea properly.", "accessory": "A small upgrade for your coffee corner.",
                "cups": "Dishwasher safe.", "gift": "Gift-wrapped on request, with a card."}[cat]
            prods.append(P(title, desc, [cat.replace("_", " "), short] + ([v] if v else []) +
                           (["gift"] if cat == "gift" or aff.get("gift", 0) >= 0.2 else []),
                           price * (1.0 + 0.15 * ("1 l" in (v or "") or "9 cup" in (v or ""))), True, cat, brand, aff,
                           fits=fits, provides=provides, season=season,
                           loose=[f"the {short}", short, f"{brand.split()[0]} {short.split()[-1]}",
                                  f"the {v} one" if v else f"this {short.split()[-1]}", short.replace("espresso", "expresso")]))
        b.family(prods)
    # --- fill with micro-lots (coffee) and Darjeeling estate flushes (tea): limited, launched during the history
    core = b.families
    extra = []
    k = 0
    names = set()
    while sum(len(f["products"]) for f in core) + sum(len(f["products"]) for f in extra) < n_products * 1.05 + 50:
        k += 1
        if k > 20 * n_products + 1000:  # names exhausted: a smaller catalogue than asked
            break
        if r.random() < 0.72:
            ro = ROASTERS[int(r.choice(len(ROASTERS), p=[0.22, 0.22, 0.18, 0.08, 0.22, 0.08]))]
            c, reg, farm, notes, prem = ORIGINS[int(r.integers(len(ORIGINS)))]
            proc = PROCESSES[int(r.integers(len(PROCESSES)))]
            lot = f"Lot {int(r.integers(10, 99))}"
            name = f"{c} {reg} {farm} {lot}, {proc}"
            if (ro[0], name) in names:
                continue
            names.add((ro[0], name))
            sizes = [250] if r.random() < 0.6 else [250, 1000]
            grinds = [1] if r.random() < 0.4 else [1, 3]
            loose = [f"the {reg} lot", f"{farm} {lot.lower()}", f"the {c.lower()} micro lot", f"{reg} {proc.lower()}",
                     f"the new {c.lower()}"]
            prods = bean_family(b, ro, name, notes, "filter" if ro[2] == "light" else "both", [c.lower(), "single origin", proc.lower()],
                                prem * 1.15, None, False, sizes, grinds, loose, micro=True, process=proc)
        else:
            est = DARJ_ESTATES[int(r.integers(len(DARJ_ESTATES)))]
            flush = ["First Flush", "Second Flush", "Autumnal"][int(r.integers(3))]
            yr = 2024 + int(r.integers(0, 3))
            name = f"Darjeeling {est} {flush} {yr}"
            brand = ["Leafhouse", "Mount Tara Tea Co."][int(r.integers(2))]
            if (brand, name) in names:
                continue
            names.add((brand, name))
            prods = [P(f"{brand} {name}, {g} g", f"Single-estate Darjeeling from {est}, {flush.lower()} {yr}. Limited.",
                       ["tea", "loose leaf", "black tea", "darjeeling", f"{g} g", "single estate"], pr, False, "tea", brand,
                       {"tea": 0.8, "gift": 0.2}, repurchase_days=rep, var_pop=vp,
                       loose=[f"the {est}", f"{est} {flush.lower()}", f"darjeeling {est.lower()}", f"the {yr} {flush.lower()}",
                              "the darjeling"])
                     for g, pr, rep, vp in ((50, 9.5 + r.random() * 8, 25, 1.0), (100, 17.0 + r.random() * 14, 45, 0.6))]
        extra.append({"core": False, "products": prods, "cat": prods[0]["cat"]})
    # launch / discontinue limited lots; pick families to reach exactly n_products
    for f in extra:
        launch = float(r.uniform(-120, DAY0_YEAR_DAYS - 10))
        life = float(r.uniform(120, 560))
        pop = float(r.lognormal(-0.5, 0.8))
        for p in f["products"]:
            p.update(launch=launch, disc=launch + life, fam_pop=pop)
            for key in ("var_pop", "season", "grind", "fits", "provides"):
                p.setdefault(key, {"var_pop": 1.0, "season": None, "grind": 0, "fits": [], "provides": []}[key])
    # core families: ~12 % launched during the history, ~8 % discontinued
    for f in core:
        u = r.random()
        launch, disc = -1000.0, math.inf
        if u < 0.12:
            launch = float(r.uniform(30, DAY0_YEAR_DAYS - 30))
        elif u < 0.20:
            disc = float(r.uniform(120, DAY0_YEAR_DAYS + 200))
        for p in f["products"]:
            p["launch"], p["disc"] = launch, disc
    order = list(range(len(core)))
    r.shuffle(order)
    chosen, total = [], 0
    # make sure each category is present first
    seen = []
    for i in order:
        if core[i]["cat"] not in seen:
            seen.append(core[i]["cat"])
            chosen.append(core[i])
    rest = [core[i] for i in order if core[i] not in chosen] + extra
    products = [p for f in chosen for p in f["products"]]
    for f in rest:
        if len(products) >= n_products:
            break
        products.extend(f["products"][: n_products - len(products)])
    products = products[:n_products]
    # per-variant temporary stock-outs (some still running at the end), skus
    prefix = {"beans": "CB", "capsules": "CP", "tea": "TL", "teabags": "TB", "syrup": "SY", "filters": "FI",
              "care": "CA", "espresso_machine": "EM", "capsule_machine": "CM", "grinder": "GR", "brewer": "BR",
              "kettle": "KE", "teaware": "TW", "accessory": "AC", "cups": "CU", "gift": "GS"}
    counters = {}
    for p in products:
        counters[p["cat"]] = counters.get(p["cat"], 0) + 1
        p["sku"] = f"{prefix[p['cat']]}-{1000 + counters[p['cat']] * 7 + int(r.integers(0, 7))}"
        p["so"] = []
        if r.random() < 0.25:
            for _ in range(int(r.integers(1, 3))):
                a = float(r.uniform(0, DAY0_YEAR_DAYS))
                p["so"].append((a, a + float(r.exponential(25)) + 5))
        if r.random() < 0.04 and p["disc"] > DAY0_YEAR_DAYS:  # out of stock right now
            p["so"].append((DAY0_YEAR_DAYS - float(r.uniform(3, 60)), DAY0_YEAR_DAYS + float(r.uniform(5, 60))))
        p["pop"] = p["fam_pop"] * p["var_pop"] * (1.4 if p["brand"].startswith("Halden") else 1.0)
    return products
