"""A deterministic outdoor / sports / home shop catalogue for the reply evaluation set.

`generate(n=1000, seed=20261205)` returns a list of product dicts; `python replies_catalogue.py`
writes them as JSON lines to stdout. Standard library only, no network, same output for the same
seed. The customer messages in `replies_questions.jsonl` were written against the default call, so
do not change the default output without rewriting their `skus` and `facts`.

Each product: sku, title, description (1-3 sentences), vendor, product_type, tags, price (two
decimals, as a string), currency (mostly EUR), stock (0 = out of stock; the sum of the variants'
stock when there are variants), status ("active" or "archived") and 0-4 variants, each with its own
sku, options (e.g. {"size": "M", "colour": "Navy"}), price and stock. Titles are distinct but
include near-names ("Alpine Merino Liner Socks" / "Alpine Merino Hiking Socks", "Evergreen Cast Iron
Skillet" / "... XL", "Kids' ..."), as real catalogues do. In the questions file, a fact's in_stock is
stock > 0 on an active (not archived) product.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal

LINES = (
    "Alpine", "Nordic", "Ridge", "Summit", "Fjord", "Coastal", "Harbor", "Timber", "Granite", "Cedar",
    "Willow", "Aurora", "Glacier", "Canyon", "Meadow", "Pioneer", "Trailhead", "Basecamp", "Polar",
    "Sierra", "Tundra", "Evergreen", "Driftwood", "Kestrel", "Falcon", "Lynx", "Otter", "Heron",
    "Birch", "Juniper", "Solstice", "Horizon", "Compass", "Ember", "Lumen", "Saltmarsh", "Highland",
    "Moraine", "Larch", "Cobalt",
)

# product_type -> code, vendors, tags, and per noun:
# (qualifiers, lowest price, highest price, option family). "" as a qualifier means none.
TYPES: dict[str, dict] = {
    "Socks": dict(
        code="SOC", vendors=("Fjordline Textiles", "Alpenglow Outfitters"), tags=("socks", "apparel"),
        nouns={"Socks": (("Merino", "Wool Blend", "Bamboo", "Thermal", ""), 9, 22, "sock"),
               "Liner Socks": (("Merino", "Silk", "Bamboo", ""), 8, 18, "sock"),
               "Hiking Socks": (("Merino", "Wool Blend", "Cushioned", "Lightweight", ""), 14, 29, "sock"),
               "Crew Socks": (("Merino", "Bamboo", "Cushioned", "Lightweight"), 9, 19, "sock"),
               "Ski Socks": (("Merino", "Thermal", "Wool Blend", ""), 18, 34, "sock"),
               "Running Socks": (("Merino", "Lightweight", "Cushioned", ""), 10, 21, "sock")},
    ),
    "Base Layers": dict(
        code="BAS", vendors=("Fjordline Textiles", "Alpenglow Outfitters"), tags=("base-layer", "apparel"),
        nouns={"Base Layer Top": (("Merino", "Merino 200", "Merino 150", "Thermal", "Recycled"), 39, 99, "apparel"),
               "Base Layer Leggings": (("Merino", "Merino 200", "Thermal", "Recycled"), 35, 89, "apparel"),
               "Long Sleeve Tee": (("Merino 150", "Seamless", "Recycled", ""), 29, 69, "apparel"),
               "Zip Neck Top": (("Merino", "Merino 200", "Thermal", ""), 49, 109, "apparel"),
               "Boxer Briefs": (("Merino 150", "Seamless", ""), 19, 39, "apparel")},
    ),
    "Jackets": dict(
        code="JKT", vendors=("Alpenglow Outfitters", "Northwind Gear"), tags=("jacket", "apparel", "outerwear"),
        nouns={"Rain Jacket": (("Packable", "Storm", "Recycled", ""), 79, 289, "apparel"),
               "Down Jacket": (("Packable", "Hooded", "Recycled", ""), 149, 389, "apparel"),
               "Softshell Jacket": (("Hybrid", "Stretch", ""), 89, 229, "apparel"),
               "Insulated Vest": (("Packable", "Hybrid", "Recycled", ""), 69, 179, "apparel"),
               "Fleece Jacket": (("Recycled", "Grid", "Sherpa", ""), 59, 149, "apparel"),
               "Hooded Fleece": (("Recycled", "Grid", ""), 65, 159, "apparel"),
               "Windbreaker": (("Packable", "Ultralight", ""), 49, 139, "apparel"),
               "Parka": (("Waterproof", "Insulated", "Storm", ""), 199, 449, "apparel")},
    ),
    "Footwear": dict(
        code="FTW", vendors=("Northwind Gear", "Kestrel Sports"), tags=("footwear",),
        nouns={"Hiking Boots": (("Mid GTX", "Leather", "Waterproof", "Vegan", ""), 119, 259, "shoe"),
               "Trail Running Shoes": (("GTX", "Lite", "Vegan", ""), 89, 179, "shoe"),
               "Camp Sandals": (("Leather", "Vegan", ""), 29, 89, "shoe"),
               "Winter Boots": (("Waterproof", "Leather", "Insulated", ""), 99, 229, "shoe"),
               "Approach Shoes": (("Low", "Mid", "Leather", ""), 99, 189, "shoe"),
               "Hut Slippers": (("Wool", "Felt", ""), 25, 69, "shoe")},
    ),
    "Backpacks": dict(
        code="BPK", vendors=("Northwind Gear", "Basecamp Supply"), tags=("backpack", "bags"),
        nouns={"Daypack 20L": (("Ultralight", "Roll-Top", "Commuter", ""), 39, 119, "colour"),
               "Backpack 35L": (("Trek", "Ultralight", ""), 89, 179, "colour"),
               "Backpack 50L": (("Trek", "Ultralight", ""), 129, 269, "colour"),
               "Hydration Pack 12L": (("Trail", ""), 49, 109, "colour"),
               "Dry Bag 10L": (("Roll-Top", "Ultralight", ""), 12, 35, "colour"),
               "Travel Pack 40L": (("Commuter", ""), 99, 199, "colour"),
               "Hip Pack": (("Ultralight", "Trail", ""), 25, 59, "colour")},
    ),
    "Camping": dict(
        code="CMP", vendors=("Basecamp Supply", "Northwind Gear"), tags=("camping",),
        nouns={"Tent 2P": (("Ultralight", "Four Season", "Three Season", ""), 149, 599, "colour"),
               "Tent 3P": (("Four Season", "Three Season", ""), 199, 699, "colour"),
               "Sleeping Bag": (("Down", "Synthetic", "Three Season", "Ultralight", ""), 79, 449, "bag"),
               "Sleeping Pad": (("Inflatable", "Self-Inflating", "Foam", ""), 29, 199, "bag"),
               "Camp Pillow": (("Inflatable", "Compact", ""), 15, 45, "colour"),
               "Hammock": (("Ultralight", "Double", ""), 35, 119, "colour"),
               "Tarp": (("Ultralight", "Silnylon", ""), 39, 179, "colour"),
               "Camp Chair": (("Compact", "Low", ""), 39, 129, "colour"),
               "Folding Table": (("Compact", "Aluminium", ""), 39, 149, "none")},
    ),
    "Camp Kitchen": dict(
        code="KIT", vendors=("Basecamp Supply", "Brightwater Kitchen"), tags=("camp-kitchen", "camping"),
        nouns={"Camp Stove": (("Compact", "Titanium", ""), 35, 149, "none"),
               "Cookset": (("Titanium", "Stainless", "Compact", ""), 29, 129, "none"),
               "Enamel Mug": (("Speckled", ""), 9, 19, "colour"),
               "Insulated Bottle 750ml": (("Stainless", ""), 24, 44, "colour"),
               "Insulated Bottle 1L": (("Stainless", ""), 29, 49, "colour"),
               "Water Filter": (("Squeeze", "Gravity", ""), 29, 119, "none"),
               "Spork": (("Titanium", ""), 4, 16, "colour"),
               "Food Jar": (("Vacuum", "Stainless", ""), 22, 45, "colour"),
               "Coffee Dripper": (("Titanium", "Collapsible", ""), 15, 49, "none")},
    ),
    "Lighting": dict(
        code="LGT", vendors=("Lumen Works",), tags=("lighting",),
        nouns={"Headlamp": (("Rechargeable", "400 Lumen", "800 Lumen", ""), 19, 89, "none"),
               "Lantern": (("Rechargeable", "Solar", ""), 19, 69, "none"),
               "Flashlight": (("Rechargeable", "Compact", ""), 14, 79, "none"),
               "String Lights": (("Solar", ""), 15, 49, "none"),
               "Bike Light Set": (("Rechargeable", ""), 19, 69, "none")},
    ),
    "Fitness": dict(
        code="FIT", vendors=("Kestrel Sports",), tags=("fitness", "sports"),
        nouns={"Yoga Mat": (("Cork", "Natural Rubber", "Travel", ""), 25, 99, "colour"),
               "Resistance Bands": (("Fabric", ""), 12, 39, "band"),
               "Kettlebell": (("Cast Iron", "Competition", ""), 25, 99, "weight"),
               "Foam Roller": (("Travel", "Textured", ""), 15, 45, "colour"),
               "Jump Rope": (("Speed", "Weighted", ""), 9, 35, "none"),
               "Dumbbell Set": (("Adjustable", ""), 59, 299, "weight"),
               "Pull-Up Bar": (("Doorway", ""), 25, 69, "none"),
               "Balance Board": (("Cork", "Wooden", ""), 39, 129, "none")},
    ),
    "Cycling": dict(
        code="CYC", vendors=("Kestrel Sports",), tags=("cycling", "sports"),
        nouns={"Bike Helmet": (("Aero", "Gravel", "Commuter", ""), 49, 219, "helmet"),
               "Cycling Gloves": (("Winter", "Gravel", ""), 19, 59, "apparel"),
               "Cycling Jersey": (("Aero", "Merino", ""), 49, 129, "apparel"),
               "Bike Lock": (("Folding", "Chain", ""), 29, 119, "none"),
               "Saddle Bag": (("Gravel", "Mini", ""), 19, 69, "colour"),
               "Bike Pump": (("Mini", "Floor", ""), 19, 79, "none")},
    ),
    "Water Sports": dict(
        code="WAT", vendors=("Tidewater Sports",), tags=("water-sports", "sports"),
        nouns={"Swim Goggles": (("Anti-Fog", "Mirrored", ""), 12, 39, "colour"),
               "Wetsuit": (("Shorty", "3/2mm", "5/4mm", ""), 89, 349, "apparel"),
               "Rash Guard": (("Long Sleeve", ""), 25, 59, "apparel"),
               "Dry Robe": (("Fleece-Lined", ""), 89, 199, "apparel"),
               "Paddle Board": (("Inflatable", "Touring", ""), 299, 899, "board"),
               "Snorkel Set": (("Dry-Top", ""), 29, 79, "colour")},
    ),
    "Home Textiles": dict(
        code="TEX", vendors=("Hearth & Pine", "Tidewater Home"), tags=("home", "textiles"),
        nouns={"Throw Blanket": (("Wool", "Chunky Knit", "Herringbone", ""), 49, 179, "colour"),
               "Duvet Cover": (("Linen", "Organic Cotton", ""), 59, 189, "bedding"),
               "Cushion Cover": (("Linen", "Wool", "Herringbone", ""), 15, 45, "cushion"),
               "Bath Towel": (("Waffle", "Organic Cotton", ""), 19, 49, "colour"),
               "Hand Towel": (("Waffle", "Organic Cotton", ""), 9, 24, "colour"),
               "Bath Mat": (("Waffle", ""), 19, 45, "colour"),
               "Table Runner": (("Linen", "Herringbone", ""), 19, 55, "colour"),
               "Linen Napkins": (("Washed", ""), 19, 45, "colour")},
    ),
    "Kitchen": dict(
        code="KCH", vendors=("Brightwater Kitchen", "Hearth & Pine"), tags=("kitchen", "home"),
        nouns={"Cast Iron Skillet": (("Pre-Seasoned", ""), 29, 99, "pan"),
               "Dutch Oven": (("Enamelled", ""), 79, 289, "pan"),
               "Chef's Knife": (("Hand-Forged", "Damascus", ""), 39, 249, "knife"),
               "Cutting Board": (("Walnut", "Oak", ""), 25, 119, "board_size"),
               "Coffee Grinder": (("Manual", "Burr", ""), 35, 249, "none"),
               "French Press": (("Stainless", ""), 25, 79, "press"),
               "Teapot": (("Stoneware", "Cast Iron", ""), 29, 89, "colour"),
               "Serving Bowl": (("Stoneware", "Oak", ""), 19, 69, "colour"),
               "Pepper Mill": (("Walnut", "Oak", ""), 19, 59, "none")},
    ),
    "Home Decor": dict(
        code="DEC", vendors=("Hearth & Pine", "Tidewater Home"), tags=("home", "decor"),
        nouns={"Table Lamp": (("Rattan", "Ceramic", "Brass", ""), 49, 189, "colour"),
               "Scented Candle": (("Soy Wax", ""), 14, 39, "scent"),
               "Storage Basket": (("Rattan", "Seagrass", ""), 19, 69, "basket"),
               "Doormat": (("Coir", ""), 19, 49, "none"),
               "Wall Clock": (("Oak", "Brass", ""), 35, 129, "none"),
               "Plant Pot": (("Ceramic", "Terracotta", ""), 12, 59, "basket"),
               "Picture Frame": (("Oak", "Brass", ""), 15, 59, "frame"),
               "Floor Lamp": (("Rattan", "Brass", ""), 99, 299, "colour")},
    ),
}

WORN = {"Socks", "Base Layers", "Jackets", "Footwear", "Cycling", "Water Sports"}
SIBLING_MODS = {True: ("Lite", "Pro", "Kids'", "Women's", "II", "Women's", "Kids'"),
                False: ("Lite", "Pro", "II", "XL", "Mini", "Plus", "Classic")}
COLOURS = ("Black", "Navy", "Forest Green", "Slate Grey", "Rust", "Sand", "Ocean Blue", "Burgundy",
           "Charcoal", "Olive", "Mustard", "Stone", "Red", "Natural")
# option family -> axes (name, values); the first axis varies across a product's variants.
OPTIONS = {
    "sock": [("size", ("35-38", "39-42", "43-46")), ("colour", COLOURS)],
    "apparel": [("size", ("XS", "S", "M", "L", "XL", "XXL")), ("colour", COLOURS)],
    "shoe": [("size", tuple(str(s) for s in range(37, 47))), ("colour", COLOURS)],
    "helmet": [("size", ("S (51-55 cm)", "M (55-59 cm)", "L (59-63 cm)")), ("colour", COLOURS)],
    "colour": [("colour", COLOURS)],
    "bag": [("size", ("Regular", "Long", "Wide")), ("colour", COLOURS)],
    "band": [("resistance", ("Light", "Medium", "Heavy", "Extra Heavy"))],
    "weight": [("weight", ("8 kg", "12 kg", "16 kg", "20 kg", "24 kg"))],
    "board": [("size", ("10'6\"", "11'", "12'6\"")), ("colour", COLOURS)],
    "bedding": [("size", ("135x200 cm", "140x200 cm", "155x220 cm", "200x220 cm")), ("colour", COLOURS)],
    "cushion": [("colour", COLOURS), ("size", ("40x40 cm", "50x50 cm", "30x50 cm"))],
    "pan": [("size", ("20 cm", "24 cm", "26 cm", "28 cm"))],
    "knife": [("size", ("15 cm", "20 cm", "23 cm"))],
    "board_size": [("size", ("Small", "Medium", "Large"))],
    "press": [("size", ("350 ml", "800 ml", "1 l"))],
    "scent": [("scent", ("Pine", "Sea Salt", "Fig", "Cedarwood", "Lavender"))],
    "basket": [("size", ("Small", "Medium", "Large")), ("colour", COLOURS)],
    "frame": [("size", ("A4", "30x40 cm", "50x70 cm")), ("colour", COLOURS)],
    "none": [],
}
# Description sentences per noun, so that a skillet is never "made from FSC-certified wood".
NOUN_FACTS: dict[str, tuple[str, ...]] = {
    "Socks": ("Knitted with a reinforced heel and toe.", "Machine washable at 30 degrees; do not tumble dry."),
    "Liner Socks": ("Thin enough to wear under a thicker sock to prevent blisters.", "Machine washable at 30 degrees."),
    "Hiking Socks": ("Cushioned under the heel and ball of the foot.", "Flat toe seams prevent blisters on long days.",
                     "Machine washable at 30 degrees; do not tumble dry."),
    "Crew Socks": ("Mid-calf length for everyday wear.", "Machine washable at 40 degrees."),
    "Ski Socks": ("Over-the-calf length with shin padding.", "Arch support keeps them in place inside boots."),
    "Running Socks": ("Low cut with a ventilated upper.", "Arch support keeps them in place on long runs."),
    "Base Layer Top": ("Odour resistant, so it can be worn for several days on the trail.", "Flatlock seams sit comfortably under a pack.",
                       "Wash inside out at 30 degrees and dry flat."),
    "Base Layer Leggings": ("Flat elastic waistband that does not dig in under a hip belt.", "Wash inside out at 30 degrees and dry flat."),
    "Long Sleeve Tee": ("Relaxed fit for everyday wear.", "Wash at 30 degrees and dry flat."),
    "Zip Neck Top": ("Quarter-length zip for venting on the climb.", "Fitted cut designed for layering.",
                     "Wash inside out at 30 degrees and dry flat."),
    "Boxer Briefs": ("Soft, flat waistband.", "Wash at 40 degrees."),
    "Rain Jacket": ("Fully taped seams and a 20,000 mm waterproof rating.", "Adjustable hood fits over a climbing helmet.",
                    "PFC-free water-repellent finish."),
    "Down Jacket": ("Filled with responsibly sourced 700 fill-power down.", "Packs into its own inner pocket.",
                    "Not waterproof; pair with a shell in wet weather."),
    "Softshell Jacket": ("Wind resistant and breathable stretch fabric.", "Articulated sleeves for freedom of movement."),
    "Insulated Vest": ("Synthetic insulation that keeps warming when damp.", "Two zipped hand pockets."),
    "Fleece Jacket": ("Made from 100% recycled polyester fleece.", "Full-length zip and two hand pockets."),
    "Hooded Fleece": ("Snug hood that fits under a helmet.", "Made from recycled polyester fleece."),
    "Windbreaker": ("Weighs under 150 g and packs into its own pocket.", "Water-repellent, not waterproof."),
    "Parka": ("Insulated and waterproof, rated for city winters down to -15 degrees.", "Faux-fur trim on the hood is removable."),
    "Hiking Boots": ("Waterproof membrane keeps feet dry in wet grass.", "Grippy rubber outsole with deep lugs.",
                     "Runs half a size small; we recommend sizing up."),
    "Trail Running Shoes": ("6 mm drop with a rock plate.", "Grippy rubber outsole with 4 mm lugs.", "True to size."),
    "Camp Sandals": ("Adjustable straps and a contoured footbed.", "Quick-drying and fine to get wet."),
    "Winter Boots": ("Warm lining rated to -25 degrees.", "Ice-grip rubber outsole.", "Runs half a size small; we recommend sizing up."),
    "Approach Shoes": ("Sticky rubber toe for scrambling.", "Runs half a size small; we recommend sizing up.",
                       "Removable footbed for custom insoles."),
    "Hut Slippers": ("Boiled wool upper with a leather sole.", "True to size; they soften with wear."),
    "Daypack 20L": ("Padded laptop sleeve fits up to 15 inches.", "Side pockets hold a 1-litre bottle."),
    "Backpack 35L": ("Adjustable back length fits torsos from 40 to 52 cm.", "Includes an integrated rain cover."),
    "Backpack 50L": ("Adjustable back length fits torsos from 42 to 56 cm.", "Includes an integrated rain cover.",
                     "Hip belt with two zipped pockets."),
    "Hydration Pack 12L": ("Compatible with hydration bladders up to 2 litres (not included).", "Chest strap with a safety whistle."),
    "Dry Bag 10L": ("Roll-top closure, waterproof when rolled three times.", "Made from 210D recycled ripstop nylon."),
    "Travel Pack 40L": ("Cabin-size for most airlines.", "Opens fully like a suitcase."),
    "Hip Pack": ("Fits a phone, keys and a small water bottle.", "Adjustable waist belt."),
    "Tent 2P": ("Freestanding with two doors and two vestibules.", "Sets up in under five minutes with colour-coded poles.",
                "Includes a stuff sack and repair kit."),
    "Tent 3P": ("Freestanding with two doors and two vestibules.", "Sets up in under ten minutes with colour-coded poles."),
    "Sleeping Bag": ("Comfort rating of 0 degrees and limit of -6 degrees.", "Two-way zip and a draught collar.",
                     "Packs into the included compression sack."),
    "Sleeping Pad": ("R-value of 3.5 for three-season use.", "Includes a stuff sack and repair kit."),
    "Camp Pillow": ("Packs to the size of a fist.", "Soft brushed cover."),
    "Hammock": ("Holds up to 150 kg.", "Tree straps sold separately."),
    "Tarp": ("Measures 3 x 3 m with eight guy-out points.", "Pegs and guylines included."),
    "Camp Chair": ("Holds up to 120 kg.", "Folds into a carry bag."),
    "Folding Table": ("Aluminium frame, folds flat.", "Tabletop measures 70 x 50 cm."),
    "Camp Stove": ("Boils a litre of water in about three and a half minutes.", "Runs on screw-thread gas canisters (not included)."),
    "Cookset": ("Nests a 1-litre pot, a lid and two cups.", "Folding handles; stove not included."),
    "Enamel Mug": ("Holds 350 ml.", "Dishwasher safe."),
    "Insulated Bottle 750ml": ("Keeps drinks cold for 24 hours and hot for 12.", "Dishwasher safe except for the lid."),
    "Insulated Bottle 1L": ("Keeps drinks cold for 24 hours and hot for 12.", "Dishwasher safe except for the lid."),
    "Water Filter": ("Removes 99.9% of bacteria and protozoa.", "Backflush regularly to keep the flow rate up."),
    "Spork": ("Weighs 17 g.", "Dishwasher safe."),
    "Food Jar": ("Keeps food hot for 8 hours.", "Holds 500 ml."),
    "Coffee Dripper": ("Fits size 02 paper filters.", "Folds flat for packing."),
    "Headlamp": ("USB-C rechargeable, about 40 hours on the lowest setting.", "Red night-vision mode.",
                 "Lock mode stops it switching on in your bag."),
    "Lantern": ("USB-C rechargeable, about 40 hours on the lowest setting.", "IPX4 splash resistant."),
    "Flashlight": ("Runs on two AA batteries (included).", "IPX4 splash resistant."),
    "String Lights": ("Ten metres with 50 warm-white LEDs.", "Suitable for outdoor use."),
    "Bike Light Set": ("Front and rear lights, USB-C rechargeable.", "StVZO approved front light."),
    "Yoga Mat": ("Non-slip surface on both sides.", "Made without PVC.", "Comes with a carry strap."),
    "Resistance Bands": ("Colour-coded by resistance.", "Latex free."),
    "Kettlebell": ("Solid cast iron with a powder-coated handle.", "Flat base so it stands steady."),
    "Foam Roller": ("Firm EVA foam.", "Measures 33 cm long."),
    "Jump Rope": ("Adjustable length for heights up to 195 cm.", "Ball-bearing handles."),
    "Dumbbell Set": ("Two dumbbells with a quick-change dial.", "Includes a storage tray."),
    "Pull-Up Bar": ("Fits door frames 61 to 81 cm wide without screws.", "Holds up to 130 kg."),
    "Balance Board": ("Non-slip top surface.", "Holds up to 120 kg."),
    "Bike Helmet": ("MIPS protection system.", "Tested to EN 1078.", "Rear dial for fit adjustment."),
    "Cycling Gloves": ("Gel padding in the palm.", "Touchscreen-compatible fingertips."),
    "Cycling Jersey": ("Three rear pockets and a full-length zip.", "Reflective details for low light."),
    "Bike Lock": ("Sold Secure Gold rated.", "Comes with two keys."),
    "Saddle Bag": ("Attaches with a single strap.", "Water-resistant zip."),
    "Bike Pump": ("Fits Presta and Schrader valves.", "Built-in pressure gauge."),
    "Swim Goggles": ("Anti-fog coated lenses.", "Adjustable split strap."),
    "Wetsuit": ("Glued and blind-stitched seams.", "Back zip with a long pull cord.", "Rinse in fresh water after use."),
    "Rash Guard": ("UPF 50+ sun protection.", "Quick-drying fabric."),
    "Dry Robe": ("Waterproof shell with a fleece lining.", "Roomy enough to change underneath."),
    "Paddle Board": ("Inflates to 15 psi with the included pump.", "Comes with a paddle, leash and backpack.",
                     "Holds a rider up to 110 kg."),
    "Snorkel Set": ("Mask with tempered glass lens.", "Comes with a mesh carry bag."),
    "Throw Blanket": ("Measures 130 x 170 cm.", "Dry clean or hand wash cold."),
    "Duvet Cover": ("Button closure.", "Wash at 40 degrees; colours may bleed in the first wash.", "Pre-washed for softness."),
    "Cushion Cover": ("Hidden zip; insert not included.", "Wash at 30 degrees."),
    "Bath Towel": ("OEKO-TEX certified.", "Woven in Portugal.", "Wash at 40 degrees."),
    "Hand Towel": ("OEKO-TEX certified.", "Woven in Portugal."),
    "Bath Mat": ("Absorbent and quick drying.", "Wash at 40 degrees."),
    "Table Runner": ("Measures 40 x 150 cm.", "Wash at 30 degrees and iron while damp."),
    "Linen Napkins": ("Set of four.", "Stonewashed linen, softer with every wash."),
    "Cast Iron Skillet": ("Suitable for all hobs including induction.", "Oven safe to 260 degrees.",
                          "Hand wash, dry straight away and oil lightly after use."),
    "Dutch Oven": ("Suitable for all hobs including induction.", "Oven safe to 250 degrees.", "Enamel interior; hand wash recommended."),
    "Chef's Knife": ("Forged from a single piece of high-carbon steel.", "Hand wash only."),
    "Cutting Board": ("Made from FSC-certified wood.", "Oil monthly with food-safe mineral oil; hand wash only."),
    "Coffee Grinder": ("Ceramic burrs with stepped grind adjustment.", "Grinds fine enough for espresso and coarse enough for a French press."),
    "French Press": ("Double-walled stainless steel.", "Dishwasher safe."),
    "Teapot": ("Removable stainless steel infuser.", "Hand wash recommended."),
    "Serving Bowl": ("Food safe and dishwasher safe.", "Handmade, so each piece varies slightly."),
    "Pepper Mill": ("Adjustable ceramic grinder.", "Made from FSC-certified wood."),
    "Table Lamp": ("E27 fitting, bulb not included.", "Fabric cable with an inline switch."),
    "Scented Candle": ("Burn time of around 45 hours.", "Hand-poured soy wax with a cotton wick."),
    "Storage Basket": ("Handwoven, so each piece varies slightly.", "Suitable for indoor use only."),
    "Doormat": ("Natural coir with a non-slip backing.", "Suitable for covered outdoor areas."),
    "Wall Clock": ("Silent sweep movement.", "Runs on one AA battery (not included)."),
    "Plant Pot": ("Drainage hole with a matching saucer.", "Frost resistant."),
    "Picture Frame": ("Glass front and a hanging hook.", "Stands or hangs, portrait or landscape."),
    "Floor Lamp": ("E27 fitting, bulb not included.", "Foot switch on the cable."),
}

GENERIC_TAGS = ("bestseller", "new", "sale", "gift-idea", "recycled", "vegan", "limited", "eco", "staff-pick")
TWO = Decimal("0.01")


def _price(rng: random.Random, lo: int, hi: int) -> Decimal:
    whole = rng.randint(lo, hi)
    cents = rng.choice((".99", ".95", ".00", ".50", ".90", ".99", ".95"))
    return Decimal(f"{whole}{cents}").quantize(TWO)


def _stock(rng: random.Random, zero_share: float) -> int:
    if rng.random() < zero_share:
        return 0
    return rng.choice((rng.randint(1, 5), rng.randint(1, 40), rng.randint(10, 250)))


def _abbrev(value: str) -> str:
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum())
    return cleaned[:3] if not cleaned.isdigit() else cleaned


def _titles(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str]]:
    """(title, product_type, line, noun, modifier) for n distinct titles, with deliberate near-names."""
    seen: set[str] = set()
    out: list[tuple[str, str, str, str, str]] = []
    type_names = list(TYPES)
    weights = [6, 5, 8, 6, 6, 8, 7, 4, 6, 5, 4, 7, 8, 6]
    while len(out) < n:
        ptype = rng.choices(type_names, weights)[0]
        spec = TYPES[ptype]
        line = rng.choice(LINES)
        noun = rng.choice(list(spec["nouns"]))
        qual = rng.choice(spec["nouns"][noun][0])
        title = " ".join(part for part in (line, qual, noun) if part)
        if title in seen:
            continue
        seen.add(title)
        out.append((title, ptype, line, noun, ""))
        # Real catalogues grow sideways: a close sibling with one more word or another noun of the line.
        if len(out) < n and rng.random() < 0.22:
            sib, sib_noun, mod = None, noun, ""
            if rng.random() < 0.55:
                mod = rng.choice(SIBLING_MODS[ptype in WORN])
                sib = f"{mod} {title}" if mod in ("Kids'", "Women's") else f"{title} {mod}"
            else:
                sib_noun = rng.choice(list(spec["nouns"]))
                if qual in spec["nouns"][sib_noun][0]:
                    sib = " ".join(part for part in (line, qual, sib_noun) if part)
            if sib and sib not in seen:
                seen.add(sib)
                out.append((sib, ptype, line, sib_noun, mod))
    return out


def _description(rng: random.Random, title: str, noun: str, line: str) -> str:
    openers = (
        f"{title}: built for everyday use outdoors and at home.",
        f"Part of our {line} range.",
        "A dependable choice that earns its place in your kit.",
        "Designed in Scandinavia to balance weight, comfort and durability.",
        "Simple, hard-wearing and easy to look after.",
    )
    facts = NOUN_FACTS[noun]
    return " ".join([rng.choice(openers)] + rng.sample(facts, k=rng.randint(0, min(2, len(facts)))))


def _variants(rng: random.Random, sku: str, price: Decimal, family: str) -> list[dict]:
    axes = OPTIONS[family]
    if not axes:
        return []
    count = rng.choices((0, 1, 2, 3, 4), (22, 8, 22, 24, 24))[0]
    if count == 0:
        return []
    primary_name, primary_values = axes[0]
    secondary = axes[1] if len(axes) > 1 and rng.random() < 0.45 else None
    chosen_primary = sorted(rng.sample(primary_values, k=min(count, len(primary_values))),
                            key=primary_values.index)
    second_value = rng.choice(secondary[1]) if secondary else None
    all_sold_out = rng.random() < 0.12
    out = []
    for i, value in enumerate(chosen_primary):
        options = {primary_name: value}
        if secondary:
            options[secondary[0]] = second_value
        code = _abbrev(value) + (f"-{_abbrev(second_value)}" if secondary else "")
        vprice = price
        # bigger sizes and heavier weights cost a little more in some lines
        if primary_name == "weight" and i > 0:
            vprice = (price + (price * Decimal("0.3") * i).quantize(Decimal("1"))).quantize(TWO)
        elif primary_name == "size" and i > 0 and rng.random() < 0.4:
            step = max(Decimal(1), (price * Decimal(rng.choice(("0.05", "0.1")))).quantize(Decimal("1")))
            vprice = (price + step * i).quantize(TWO)
        out.append({
            "sku": f"{sku}-{code}",
            "options": options,
            "price": str(vprice),
            "stock": 0 if all_sold_out else _stock(rng, 0.2),
        })
    return out


def generate(n: int = 1000, seed: int = 20261205) -> list[dict]:
    rng = random.Random(seed)
    used_numbers: set[int] = set()
    products = []
    for title, ptype, line, noun, mod in _titles(rng, n):
        spec = TYPES[ptype]
        number = rng.randint(1000, 9999)
        while number in used_numbers:
            number = rng.randint(1000, 9999)
        used_numbers.add(number)
        sku = f"{spec['code']}-{number}"
        _quals, lo, hi, family = spec["nouns"][noun]
        price = _price(rng, lo, hi)
        if mod == "Kids'":
            price = (price * Decimal("0.7")).quantize(Decimal("1")) - Decimal("0.05")
        currency = rng.choices(("EUR", "USD", "GBP"), (80, 12, 8))[0]
        variants = _variants(rng, sku, price, family)
        stock = sum(v["stock"] for v in variants) if variants else _stock(rng, 0.16)
        tags = list(spec["tags"])
        qual = title.replace(line, "").replace(noun, "").replace(mod, "").strip()
        if qual:
            tags.append(qual.lower().replace(" ", "-"))
        if mod in ("Kids'", "Women's"):
            tags.append(mod.lower().replace("'", ""))
        tags.append(line.lower())
        tags.extend(rng.sample(GENERIC_TAGS, k=rng.randint(0, 2)))
        products.append({
            "sku": sku,
            "title": title,
            "description": _description(rng, title, noun, line),
            "vendor": rng.choice(spec["vendors"]),
            "product_type": ptype,
            "tags": tags,
            "price": str(price),
            "currency": currency,
            "stock": stock,
            "status": "archived" if rng.random() < 0.035 else "active",
            "variants": variants,
        })
    return products


if __name__ == "__main__":
    for product in generate():
        sys.stdout.write(json.dumps(product, ensure_ascii=False) + "\n")
