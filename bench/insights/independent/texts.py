"""Names, e-mail addresses and customer e-mail texts (English, some German), with loose product naming and typos."""
from datetime import datetime, timedelta, timezone

START = datetime(2024, 12, 1, tzinfo=timezone.utc)

FIRST = {
    "en": ["Emma", "Olivia", "Sophie", "Liam", "Noah", "James", "Lucas", "Mia", "Chloe", "Jack", "Sean", "Aoife",
           "Niamh", "Tom", "Hannah", "Lea", "Marco", "Giulia", "Luca", "Chiara", "Pablo", "Lucia", "Javier", "Marta",
           "Camille", "Louis", "Chloé", "Hugo", "Manon", "Sanne", "Daan", "Femke", "Jens", "Ingrid", "Erik", "Astrid",
           "Piotr", "Kasia", "Tomasz", "Ana", "João", "Inês", "Mateus", "Eva", "Peter", "Anna", "Zoe", "Ella", "Ben"],
    "de": ["Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Anna", "Lena", "Laura", "Julia",
           "Katharina", "Sabine", "Thomas", "Stefan", "Michael", "Andrea", "Petra", "Jürgen", "Uwe", "Monika",
           "Sophie", "Marie", "Tobias", "Florian", "Simone", "Birgit", "Clara", "Moritz", "Jan"],
}
LAST = {
    "en": ["Murphy", "Kelly", "Smith", "Brown", "Walsh", "O'Brien", "Rossi", "Bianchi", "Esposito", "García",
           "Fernández", "López", "Martin", "Bernard", "Dubois", "Lefèvre", "de Vries", "Jansen", "Bakker", "Visser",
           "Nielsen", "Hansen", "Larsen", "Kowalski", "Nowak", "Wiśniewska", "Silva", "Santos", "Costa", "Novák",
           "Horvat", "Andersson", "Johansson", "Peeters", "Maes", "Byrne", "Ryan", "Conti", "Moreau", "Laurent"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
           "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
           "Hofmann", "Hartmann", "Lange", "Huber", "Gruber", "Bauer"],
}
DOMAINS = {"en": ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me", "eircom.net",
                  "libero.it", "orange.fr", "ziggo.nl", "wp.pl", "sapo.pt"],
           "de": ["gmail.com", "web.de", "gmx.de", "t-online.de", "gmx.at", "posteo.de", "outlook.de"]}
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "í": "i",
                       "ó": "o", "ã": "a", "ç": "c", "ś": "s", "ê": "e", "'": "", " ": "", "ñ": "n"})


def pick(r, xs):
    return xs[int(r.integers(len(xs)))]


def person(r, lang, used):
    f, l = pick(r, FIRST[lang]), pick(r, LAST[lang])
    fa, la = f.lower().translate(ASCII), l.lower().translate(ASCII)
    style = int(r.integers(6))
    local = [f"{fa}.{la}", f"{fa[0]}{la}", f"{fa}{la}{int(r.integers(70, 100))}", f"{la}.{fa}", f"{fa}_{la}",
             f"{fa}{int(r.integers(1, 999))}"][style]
    dom = pick(r, DOMAINS[lang])
    email = f"{local}@{dom}"
    while email in used:
        email = f"{local}{int(r.integers(1, 99))}@{dom}"
    used[email] = 1
    return f"{f} {l}", f, email


TYPOS = {"espresso": "expresso", "capsules": "capsuls", "compatible": "compatable", "descaler": "descaller",
         "grinder": "grinde", "darjeeling": "darjeling", "yirgacheffe": "yirgachefe", "receive": "recieve",
         "machine": "machien", "available": "availabe", "ethiopia": "ethiopa", "colombia": "columbia",
         "kettle": "kettel", "filters": "filtres", "definitely": "definately", "grind": "grid"}


def typo(r, s):
    low = s.lower()
    for k, v in TYPOS.items():
        if k in low and r.random() < 0.6:
            return low.replace(k, v)
    if len(s) > 5:
        i = int(r.integers(1, len(s) - 2))
        k = int(r.integers(3))
        if k == 0:
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]
        if k == 1:
            return s[:i] + s[i + 1:]
        return s[:i] + s[i] + s[i:]
    return s


def loose(r, p):
    s = pick(r, p["loose"]) if r.random() < 0.85 else p["title"]
    if r.random() < 0.22:
        s = typo(r, s)
    if r.random() < 0.3:
        s = s.lower()
    return s


def hour_of_day(r):
    return float(r.choice([r.uniform(7, 10), r.uniform(11.5, 14), r.uniform(14, 18), r.uniform(19, 23.5), r.uniform(0, 7)],
                          p=[0.15, 0.22, 0.2, 0.38, 0.05]))


def greet(r, c):
    if c.lang == "de":
        return pick(r, ["Hallo,\n\n", "Guten Tag,\n\n", "Hallo zusammen,\n\n", "Hi,\n\n", "", "Sehr geehrte Damen und Herren,\n\n"])
    return pick(r, ["Hi,\n\n", "Hello,\n\n", "Hi there,\n\n", "Good morning,\n\n", "", "", "Dear Halden team,\n\n", "hey\n\n"])


def sign(r, c):
    if c.lang == "de":
        return pick(r, [f"\n\nViele Grüße\n{c.first}", f"\n\nLG {c.first}", f"\n\nMit freundlichen Grüßen\n{c.name}", "\n\nDanke!", ""])
    return pick(r, [f"\n\nThanks,\n{c.first}", f"\n\nCheers\n{c.first}", f"\n\nBest regards,\n{c.name}", "\n\nthanks!",
                    "", f"\n\n{c.first}", "\n\nSent from my iPhone"])


def wrap(r, c, subject, body):
    if r.random() < 0.03:
        subject = ""
    return subject, greet(r, c) + body + sign(r, c)


def variant_word(r, p, shop, i):
    """A variant the customer asks for: another colour/size of the same line, or an invented one."""
    fam = [j for j in shop.fam_of[i] if j != i]
    if fam:
        t = shop.p[pick(r, fam)]["title"]
        return t.split(" - ")[-1].split(", ")[-1]
    return pick(r, ["1 kg", "red", "a bigger size", "black", "500 g", "white"])


def pre_question(r, c, p, shop, owned, t, leads):
    i = p["idx"]
    name = loose(r, p)
    cat = p["cat"]
    de = c.lang == "de" and r.random() < 0.8
    own = loose(r, pick(r, owned)) if owned else None
    d = START + timedelta(days=t)
    opts = []
    if de:
        opts += [("Frage zu " + name, f"habt ihr {name} auch in {variant_word(r, p, shop, i)}?"),
                 ("Verfügbarkeit", f"ist {name} gerade lieferbar? Wie lange dauert der Versand nach Österreich?"),
                 (f"{name}", f"passt {name} zu meiner {own or 'Maschine'}? Ich bin mir nicht sicher."),
                 ("Beratung", f"ich überlege {name} zu bestellen. Lohnt sich das für Anfänger?")]
        if cat == "beans":
            opts += [("Mahlgrad", f"könnt ihr {name} auch für Siebträger mahlen? oder besser ganze Bohne?"),
                     ("Kaffee Frage", f"wie frisch ist {name}, wann wurde er geröstet?")]
        s, b = pick(r, opts)
        return wrap(r, c, s, b)
    if p["durable"] and cat in ("espresso_machine", "grinder", "capsule_machine", "brewer", "kettle"):
        opts += [
            (f"Question about {name}", f"is {name} compatible with {own or {'espresso_machine': 'a standard 58mm tamper', 'grinder': 'single dosing', 'capsule_machine': 'Nespresso capsules from the supermarket', 'brewer': 'an induction hob', 'kettle': 'a V60'}[cat]}?"),
            (f"{name} in {variant_word(r, p, shop, i)}?", f"do you have {name} in {variant_word(r, p, shop, i)}? I can only see the other colour online."),
            ("Which one to buy", f"I'm torn between {name} and {loose(r, shop.p[pick(r, list(shop.cat_idx[cat]))])}. "
                                 f"I mostly drink {pick(r, ['flat whites', 'straight espresso', 'filter coffee', 'cappuccino', 'americano'])}, what would you recommend?"),
            ("beginner question", f"how hard is {name} to use for a complete beginner? Is there a manual in English?"),
            (f"{name} noise", f"how loud is {name}? We live in a small flat."),
            ("warranty", f"what's the warranty on {name} and do you repair it yourselves?"),
            ("", f"{name} - still available? want to order this week"),
        ]
        if d.month in (11, 12):
            opts.append(("Christmas delivery", f"if I order {name} today will it arrive before Christmas? It's a present."))
    elif cat == "beans":
        opts += [
            (f"Grind for {name}", f"can I get {name} ground for {pick(r, ['a moka pot', 'my aeropress', 'a V60', 'espresso', 'french press', 'a filter machine'])}?"),
            ("bigger bag?", f"is there a 1kg bag of {name}? we go through it fast"),
            (f"{name}", f"is {name} very acidic? I prefer chocolatey coffees, mostly with milk."),
            ("roast date", f"how fresh is {name}? When was it roasted?"),
            ("decaf", f"do you have a decaf that tastes like {name}? Pregnant wife, she misses good coffee :)"),
            ("recommendation", f"I liked {name} a lot last time, anything similar you would suggest?"),
        ]
    elif cat == "capsules":
        opts += [
            (f"{name}", f"will {name} work in my {pick(r, ['Nespresso Essenza', 'Nespresso Vertuo', 'Delonghi Lattissima', 'Krups Inissia', 'Capsula Mini'])}?"),
            ("capsules", f"are {name} compostable? and do you have a bigger pack"),
            ("intensity", f"how strong is {name} compared to the Ristretto?"),
        ]
    elif cat in ("tea", "teabags"):
        opts += [
            (f"{name}", f"how much caffeine is in {name}? I drink it in the evening."),
            ("brewing", f"what temperature and how long for {name}? The last one I had was bitter."),
            ("tin or refill", f"do you sell {name} as a refill bag, I already have the tin"),
            ("stock", f"do you have {name} in stock? Website says limited."),
        ]
    elif cat == "gift" or p["aff"].get("gift", 0) >= 0.3:
        opts += [
            ("gift", f"looking for a present for {pick(r, ['my dad', 'my sister', 'a colleague', 'my boyfriend', 'my mum'])} who loves {pick(r, ['strong coffee', 'tea', 'espresso', 'trying new things'])}. Would {name} be a good choice? Budget around {pick(r, [30, 40, 50, 80])} euros."),
            ("gift wrap", f"can you gift-wrap {name} and send it directly to another address with a card?"),
        ]
    else:
        opts += [
            (f"{name}", f"does {name} fit {own or 'my machine'}?"),
            (f"Question", f"do you have {name} in {variant_word(r, p, shop, i)}?"),
            ("", f"is {name} dishwasher safe?"),
        ]
    opts.append(("stock question", f"when will {name} be available again? it says sold out") if not shop.available(i, t)
                 else (f"{name}", f"quick question, do you ship {name} to {pick(r, ['Ireland', 'Spain', 'Sweden', 'Poland', 'Italy', 'Belgium'])}?"))
    s, b = pick(r, opts)
    if r.random() < 0.25:
        b = b[0].upper() + b[1:]
    return wrap(r, c, s, b)


def back_in_stock(r, c, p):
    name = loose(r, p)
    if c.lang == "de":
        return wrap(r, c, "Wieder lieferbar?", f"wann ist {name} wieder da? Ich würde gern nachbestellen.")
    return wrap(r, c, pick(r, ["back in stock?", f"{name} sold out", "restock", "when will it be back"]),
                pick(r, [f"when will {name} be back? I'd like to reorder.", f"{name} is out of stock again :( any idea when it's back?",
                         f"could you let me know when {name} is available, I'm nearly out", f"is {name} coming back soon or should I pick something else?"]))


def discontinued_q(r, c, p):
    name = loose(r, p)
    return wrap(r, c, "discontinued?", pick(r, [f"I can't find {name} anymore, did you stop selling it? What's closest to it?",
                                                f"is {name} gone for good? It was my favourite.",
                                                f"are you getting {name} again next season?"]))


def usage_question(r, c, p):
    name = loose(r, p)
    if c.lang == "de":
        return wrap(r, c, f"Problem mit {name}", pick(r, [f"wie oft muss ich {name} entkalken?", f"{name} macht komische Geräusche, ist das normal?",
                                                         f"die Milch schäumt nicht richtig mit {name}, was mache ich falsch?"]))
    return wrap(r, c, pick(r, [f"{name} question", "help please", "Re: your order", "how to"]),
                pick(r, [f"how often should I descale {name}? the water here is very hard", f"{name} is making a strange noise when heating up, is that normal?",
                         f"my shots with {name} run way too fast, grind finer?", f"the descale light on {name} came on, which descaler do you recommend?",
                         f"can't get the milk to foam properly with {name}, any tips?", f"what's the best setting on {name} for pour over?"]))


def thanks(r, c, p):
    name = loose(r, p)
    if c.lang == "de":
        return wrap(r, c, "Danke!", pick(r, [f"{name} ist angekommen, super verpackt. Danke!", f"wollte nur sagen: {name} ist großartig."]))
    return wrap(r, c, pick(r, ["Thank you", "thanks!", "Lovely", "Re: your order has shipped"]),
                pick(r, [f"just wanted to say {name} is amazing, thanks!", f"{name} arrived safely, thanks for the handwritten note :)",
                         f"thanks for the quick delivery, {name} is great.", "thanks for the fast shipping, everything arrived fine.",
                         f"loving {name}, will definitely order again"]))


def complaint(r, c, p):
    name = loose(r, p)
    if c.lang == "de":
        return wrap(r, c, "Reklamation", pick(r, [f"das Paket kam beschädigt an, {name} war offen.", "die Lieferung hat zwei Wochen gedauert, das ist zu lang."] +
                                                ([f"ich habe {name} bestellt aber die falsche Mahlung bekommen."] if p["cat"] == "beans" else [])))
    return wrap(r, c, pick(r, ["Problem with my order", "damaged parcel", "wrong item", "complaint", "not happy"]),
                pick(r, [f"the parcel arrived damaged and {name} was open.", "my order took 9 days, that's too long for a 2-day delivery promise.",
                         "you charged me twice for my last order, please check."] +
                     ([f"I ordered {name} whole bean and got it ground. Can you exchange?", f"{name} tastes stale, the roast date was two months ago."]
                      if p["cat"] == "beans" else []) +
                     ([f"{name} is leaking from the bottom after a week of use", f"{name} stopped working after a month, what now?"]
                      if p["durable"] and p["cat"] in ("espresso_machine", "capsule_machine", "grinder", "kettle", "brewer") else [])))


def where_is_order(r, c):
    if c.lang == "de":
        return wrap(r, c, "Wo ist meine Bestellung?", "meine Bestellung ist noch nicht angekommen, könnt ihr nachsehen?")
    return wrap(r, c, pick(r, ["where is my order", "order status", "tracking?"]),
                pick(r, ["my order hasn't arrived yet, can you check the tracking?", "tracking says delivered but nothing here",
                         "any update on my order? it's been a week"]))


def admin(r, c):
    if c.lang == "de":
        return wrap(r, c, pick(r, ["Rechnung", "Adressänderung", "Newsletter abbestellen"]),
                    pick(r, ["könnt ihr mir eine Rechnung mit Firmenadresse schicken?", "ich bin umgezogen, bitte neue Adresse hinterlegen.",
                             "bitte keine Newsletter mehr, danke."]))
    return wrap(r, c, pick(r, ["invoice", "change of address", "unsubscribe", "wholesale", "account", "data request"]),
                pick(r, ["could you send me a VAT invoice for my last order?", "I moved, please update my delivery address.",
                         "please take me off the newsletter.", "do you supply cafes? we're opening a small place in the autumn.",
                         "I can't log in to my account, password reset doesn't arrive.", "please delete my account and data (GDPR).",
                         "do you have a discount code for students?", "are you hiring? I'm a barista with 5 years experience."]))
