"""A generated, labelled set of replies for the spam filter's tests and benchmark.

Honest replies are written as a tapering-support community would: doses, medication names,
prices, links to health services, questions, thanks. Spam is pharma, SEO, crypto, casino, loans
and essays, spelled wrong on purpose, and spam that imitates an honest reply with one link.
Deterministic by seed; every spam domain is under the reserved `.example` top-level domain.
"""

from __future__ import annotations

import random
from collections import deque

from forum.services.moderation.spam_features import UNSEEN_HOST
from forum.services.moderation.spam_features import Example
from forum.services.moderation.spam_features import hosts_of

MEDS = (
    "sertraline venlafaxine paroxetine citalopram escitalopram mirtazapine quetiapine diazepam "
    "clonazepam gabapentin pregabalin zopiclone fluoxetine duloxetine lamotrigine"
).split()
NAMES = (
    "Ann Bea Cal Dev Eli Fay Gus Hana Ivo Jude Kim Lars Mina Noor Olu Pia Quin Rosa Sol Tess "
    "Uma Vic Wren Xavi Yara Zed Abby Ben Cora Dan Edie Finn Gwen Hal Isla Joel Kate Leo"
).split()
MAIL = ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "protonmail.com", "web.de")
GOOD_LINKS = (
    "https://www.nhs.uk/medicines/{med}/",
    "https://www.nice.org.uk/guidance/ng215",
    "https://www.mind.org.uk/information-support/drugs-and-treatments/",
    "https://pubmed.ncbi.nlm.nih.gov/{n}/",
    "https://www.youtube.com/watch?v=a{n}",
    "https://www.rcpsych.ac.uk/mental-health/treatments-and-wellbeing/stopping-antidepressants",
    "https://en.wikipedia.org/wiki/{Med}",
    "https://www.amazon.co.uk/dp/B0{n}X{n}",
    "https://www.reddit.com/r/antidepressants/comments/{n}/",
    "https://tapering-diary-{n}.blogspot.com/",
)
OPENERS = (
    "Thank you for writing this.",
    "I hear you, {name}.",
    "Sending you a hug.",
    "Week {n} of my taper here.",
    "This is exactly what I needed to read tonight.",
    "Hi all, first time posting after months of reading.",
    "Quick question for anyone further along.",
    "",
)
BODIES = (
    "I dropped from {dose}mg to {dose2}mg of {med} and the dizziness lasted about {n} days.",
    "My GP agreed to a ten percent cut every four weeks, slower but much gentler on me.",
    "The liquid {med} costs me £{money} a month but it makes tiny steps possible.",
    "Does anyone else get the brain zaps worse in the evening? I keep a diary now.",
    "My pharmacist said compounding would be about ${money}, which my insurance will not cover.",
    "I found the leaflet here useful before talking to my doctor: {link}",
    "There is a good summary of withdrawal timelines at {link} if it helps anyone.",
    "Coming off {med} after {n} years, I am sleeping badly but I am still here.",
    "I am on {dose}mg {med} now and holding for a month before the next step.",
    "Please do not buy pills online to taper faster, talk to your prescriber first.",
    "My husband keeps a chart of my moods, it helps us both see the slow progress.",
    "I spent {money} pounds on a pill cutter and it was worth every penny.",
    "The fatigue finally lifted in spring, it does get better, I promise.",
    "My doctor wanted me to switch to {med} first and then taper from that.",
    "Walking every morning helped more than I expected with the anxiety.",
    "I lost my job during the worst of it, money was tight and this forum kept me going.",
    "Has anyone tried the tapering strips? They looked expensive at ${money} a box.",
    "I bought a cheap pill cutter online for £{money}, best money I spent this year: {link}",
    "Check out this video, it explained the receptor stuff better than my doctor did {link}",
    "My blog has my whole taper schedule if anyone wants it: {link}",
    "Great post! Really helpful, bookmarked it for my sister.",
    "I earn very little so the private psychiatrist at £{money} was out of the question.",
)
CLOSERS = ("Be gentle with yourself.", "Thanks everyone.", "x", "Hang in there.", "", "")

SPAM_DOMAINS = (
    "cheap-meds-{n}.example rx-express{n}.example pillsnow{n}.example best-seo-{n}.example "
    "rank-boost{n}.example coinpump{n}.example luckyspin{n}.example fastloan{n}.example "
    "essaypro{n}.example replica-watch{n}.example"
).split()
SPAM_BODIES = (
    "Buy {drug} online without prescription, overnight delivery, best price {money}$! {link}",
    "Cheap {drug} {dose}mg, no rx needed, discreet shipping worldwide: {link}",
    "We boost your website to page one of Google. Guaranteed backlinks and traffic {link}",
    "Great article! I have bookmarked it. Check out my site for SEO tips {link}",
    "Earn {money} dollars daily with our crypto token presale, join now {link}",
    "Bitcoin doubler: send 0.1 BTC and get 0.2 back in 24 hours! {link}",
    "Play the best online casino slots, {money} free spins bonus for new players {link}",
    "Need cash fast? Payday loans approved in minutes, bad credit ok {link}",
    "Professional essay writing service, plagiarism free, from {money}$ per page {link}",
    "Replica watches and bags at {money}% discount, top quality guaranteed {link}",
)
IMITATIONS = (
    "{honest} More about this here: {link}",
    "{honest} {link}",
    "This really helped me during my own taper off {med}. I found more tips here: {link}",
    "Thank you for sharing, {name}. My cousin got through withdrawal with this guide {link}",
    "So true. I was on {dose}mg for years and what finally worked was this: {link}",
    "Sending love to everyone here. Natural support for tapering helped me {link}",
)
DRUGS = "xanax tramadol viagra cialis oxycodone valium ambien adderall".split()
LEET = {"a": "@", "e": "3", "i": "1", "o": "0", "s": "$"}


def _fill(rng: random.Random, template: str, link: str) -> str:
    med = rng.choice(MEDS)
    dose = rng.choice((5, 10, 15, 20, 25, 37.5, 50, 75, 100, 150))
    return template.format(
        med=med,
        Med=med.capitalize(),
        dose=dose,
        dose2=round(dose * 0.9, 1),
        n=rng.randint(2, 40),
        money=rng.choice((9, 12, 15, 25, 40, 60, 99, 150, 500)),
        name=rng.choice(NAMES),
        drug=rng.choice(DRUGS),
        link=link,
        honest=rng.choice(BODIES).split("{")[0].strip() or "So true.",
    )


def _misspell(rng: random.Random, text: str) -> str:
    """Swap some letters for look-alikes, as spam does to slip past word filters."""
    return "".join(LEET[c] if c in LEET and rng.random() < 0.25 else c for c in text)


class Site:
    """A stream of replies: a community with regulars and newcomers, and spam campaigns."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.members: list[tuple[str, str, int | None, str]] = []
        self.campaigns = [self._campaign(n) for n in range(12)]
        self.started = len(self.campaigns)
        self.recent: deque[str] = deque(maxlen=150)  # "today": repeats are counted here
        self.hosts: set[str] = set()

    def _campaign(self, n: int) -> dict[str, object]:
        rng = self.rng
        domains = [d.format(n=rng.randint(1, 99)) for d in rng.sample(SPAM_DOMAINS, 2)]
        return {
            "domains": domains,
            "net": f"203.0.{rng.randint(0, 255)}",
            "imitate": n % 3 == 2,
            "misspell": n % 3 == 1,
            "repeat": n % 2 == 0,
            "text": None,
        }

    def _member(self) -> tuple[str, str, int | None, str]:
        rng = self.rng
        if not self.members or rng.random() < 0.3:
            name = rng.choice(NAMES) + rng.choice(("", " M", " K.", f"{rng.randint(1, 99)}"))
            email = f"{name.lower().replace(' ', '.').strip('.')}{rng.randint(1, 999)}@"
            account = rng.randint(1, 10_000) if rng.random() < 0.5 else None
            ip = f"{rng.choice((81, 86, 92, 151))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
            member = (name, email + rng.choice(MAIL), account, ip + str(rng.randint(1, 254)))
            self.members.append(member)
            return member
        return self.members[min(int(rng.expovariate(0.08)), len(self.members) - 1)]

    def honest(self) -> Example:
        rng = self.rng
        name, email, account, ip = self._member()
        link = _fill(rng, rng.choice(GOOD_LINKS), "")
        parts = [rng.choice(OPENERS), *rng.sample(BODIES, rng.randint(1, 3)), rng.choice(CLOSERS)]
        text = " ".join(_fill(rng, part, link) for part in parts if part)
        return self._example(text, name, email, None, account, ip, is_spam=False)

    def spam(self) -> Example:
        rng = self.rng
        if rng.random() < 0.12:  # spammers move on to fresh domains all the time
            self.campaigns.append(self._campaign(self.started))
            self.started += 1
        campaign = rng.choice(self.campaigns[-12:])
        domains = campaign["domains"]
        assert isinstance(domains, list)
        path = rng.choice(("", "buy", f"p/{rng.randint(1, 99)}"))
        link = f"https://{rng.choice(domains)}/{path}"
        template = rng.choice(IMITATIONS if campaign["imitate"] else SPAM_BODIES)
        if campaign["repeat"] and campaign["text"] and rng.random() < 0.6:
            text = str(campaign["text"])
        else:
            text = _fill(rng, template, link)
            text = _misspell(rng, text) if campaign["misspell"] else text
            campaign["text"] = text
        name = rng.choice((rng.choice(NAMES), rng.choice(NAMES) + " K.", "Best SEO Agency"))
        email = f"{name.split()[0].lower()}{rng.randint(1, 999)}@{rng.choice(MAIL)}"
        ip = (
            f"{campaign['net']}.{rng.randint(1, 254)}"
            if rng.random() < 0.5
            else f"{rng.choice((81, 86, 92, 151))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.9"
        )
        url = f"https://{rng.choice(domains)}" if rng.random() < 0.4 else None
        return self._example(text, name, email, url, None, ip, is_spam=True)

    def _example(
        self,
        text: str,
        name: str,
        email: str,
        url: str | None,
        account: int | None,
        ip: str | None,
        *,
        is_spam: bool,
    ) -> Example:
        key = text.lower()
        repeats = sum(1 for earlier in self.recent if earlier == key)
        self.recent.append(key)
        context = ("repeat:2+",) if repeats >= 2 else ("repeat:1",) if repeats else ()
        hosts = set(hosts_of(text))
        if hosts - self.hosts:  # as the site sees it: no decision counts for the domain yet
            context = (*context, UNSEEN_HOST)
        self.hosts |= hosts
        return Example(text, name, email, url, account is not None, is_spam, account, ip, context)

    def stream(self, count: int, spam_share: float = 0.5) -> list[Example]:
        """`count` replies in the order they arrive."""
        return [
            self.spam() if self.rng.random() < spam_share else self.honest() for _ in range(count)
        ]


def labelled_set(count: int = 1_200, seed: int = 14) -> list[Example]:
    """A deterministic, labelled stream of about half honest replies and half spam."""
    return Site(seed).stream(count)
