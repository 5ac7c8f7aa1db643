"""The built-in seed set for the spam classifier: original examples, data only.

Each row is (text, name, email, url, has_account, is_spam). Legitimate comments are in the
voice of a community about living with a long-term condition and coming off medication, and
include tricky ones (pharmacies, pills, prices). Spam includes subtle generic-praise-plus-link
comments. Every spam domain is under the reserved `.example` top-level domain.
"""

from __future__ import annotations

SeedRow = tuple[str, str | None, str | None, str | None, bool, bool]

HAM: tuple[SeedRow, ...] = (
    (
        "Reading this at 3am because the brain zaps woke me again. Week six of dropping from "
        "20mg to 15mg and it helps to know I'm not the only one.",
        "Rosalind",
        "ros.hart@gmail.com",
        None,
        True,
        False,
    ),
    (
        "My GP suggested cutting by ten percent every four weeks rather than halving. Slower "
        "than I wanted but it has been so much gentler on me.",
        "Tom B",
        "tombee@outlook.com",
        None,
        False,
        False,
    ),
    (
        "Thank you for writing about the bad days as well as the good ones. It makes this place "
        "feel honest.",
        "Priya",
        "priya.s@yahoo.co.uk",
        None,
        True,
        False,
    ),
    (
        "The NHS page on stopping antidepressants was a useful starting point before I spoke to "
        "my doctor: https://www.nhs.uk/medicines/sertraline/",
        "Gareth",
        "gareth.lewis@btinternet.com",
        None,
        False,
        False,
    ),
    (
        "Tip from my pharmacist: ask whether your medication comes as a liquid. It made "
        "tapering in tiny steps much easier for me.",
        "Joan M",
        "joanm@icloud.com",
        None,
        True,
        False,
    ),
    (
        "I got my prescription switched to the liquid form and the pharmacy orders it in within "
        "two days. Worth asking if tablets are too hard to split.",
        "Marcus",
        "marcus.oduya@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Sending you a hug. Fourteen months off everything now and the fatigue finally lifted "
        "in spring. It does get better, I promise.",
        "Lena",
        "lena.k@protonmail.com",
        None,
        True,
        False,
    ),
    (
        "Does anyone else get worse symptoms in the evenings? I keep a diary and it's clearly "
        "worse after six.",
        "Sam",
        "samwise77@hotmail.co.uk",
        None,
        False,
        False,
    ),
    (
        "Prescription charges here are £9.90 an item, so the prepayment certificate saved me a "
        "lot while I was on three medicines.",
        "Debbie",
        "debbie.r@btinternet.com",
        None,
        True,
        False,
    ),
    (
        "I cried reading the part about your daughter. My son said almost the same thing to me "
        "last winter and I still think about it.",
        "Anna K",
        "annak@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Please be careful anyone reading this: don't stop cold turkey. I did and ended up in "
        "A&E. Talk to your doctor first and make a plan together.",
        "Chris",
        "chris.h@outlook.com",
        None,
        True,
        False,
    ),
    (
        "Mind have a clear guide on coming off psychiatric drugs, it helped me prepare questions "
        "for my appointment https://www.mind.org.uk/information-support/drugs-and-treatments/",
        "Helen W",
        "helenw@gmail.com",
        None,
        False,
        False,
    ),
    (
        "I'm on day 40 of the slower taper and honestly the dizziness is half what it was.",
        "jen82",
        "jen.1982@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Love this post. The bit about pacing made me laugh because I do exactly the same with "
        "the washing, one basket and then a sit down.",
        "Bea",
        "bea.t@icloud.com",
        None,
        False,
        False,
    ),
    (
        "My consultant wants me to try reducing the gabapentin after Christmas. Nervous, but "
        "reading everyone's stories helps.",
        "Mo",
        "mo.rahman@hotmail.com",
        None,
        True,
        False,
    ),
    (
        "Thank you so much. I printed this out to take to my review next week.",
        "Ruth",
        "ruthie@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Has anyone used a pill cutter for the 10mg tablets? Mine crumble and I never know if "
        "I'm getting an even half.",
        "Dave P",
        "davep@gmail.com",
        None,
        False,
        False,
    ),
    (
        "I write about my own taper on my little blog if it helps anyone. Nothing fancy, just a "
        "diary of the ups and downs.",
        "Moira",
        "moira.writes@gmail.com",
        "https://slowsteps.example",
        False,
        False,
    ),
    (
        "Week two off the beta blockers and my heart rate is settling. My cardiologist is happy "
        "with the numbers so far.",
        "Ian",
        "ian.f@outlook.com",
        None,
        True,
        False,
    ),
    (
        "The support group on Thursdays has been a lifeline for me. Thank you to whoever "
        "suggested it here.",
        "Kath",
        "kath.b@yahoo.co.uk",
        None,
        True,
        False,
    ),
    (
        "Not much to add, just wanted to say I'm still here and still reading. Six months now.",
        "Lou",
        "lou@fastmail.com",
        None,
        False,
        False,
    ),
    (
        "My pharmacy ran out of my usual brand and the generic made me feel awful for a week. "
        "Has anyone else noticed a difference between brands?",
        "Ben",
        "ben.ashworth@gmail.com",
        None,
        True,
        False,
    ),
    (
        "The RCPsych leaflet explains withdrawal versus relapse really well: "
        "https://www.rcpsych.ac.uk/mental-health/treatments-and-wellbeing/stopping-antidepressants",
        "Fiona",
        "fiona.mac@gmail.com",
        None,
        False,
        False,
    ),
    (
        "I've been off lamotrigine for a year. My neurologist and I went down 25mg every two "
        "weeks and it was fine for me.",
        "Pete",
        "pete.w@outlook.com",
        None,
        True,
        False,
    ),
    (
        "This made me feel less alone today. Thank you.",
        "Nadia",
        "nadia.h@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Can I ask how you explained it to work? I need to ask for reduced hours while I taper "
        "and I'm dreading the conversation.",
        "Simone",
        "simone.d@icloud.com",
        None,
        True,
        False,
    ),
    (
        "I paid about $40 a month for my meds before my insurance changed, so I understand the "
        "worry about cost. You are not alone in that.",
        "Carla",
        "carla.m@yahoo.com",
        None,
        False,
        False,
    ),
    (
        "We tried the slower schedule with my mum's medication too and the care home staff "
        "were brilliant about it.",
        "Graham",
        "graham.t@btinternet.com",
        None,
        True,
        False,
    ),
    (
        "Brilliant, practical advice. The symptom diary template is exactly what I needed this "
        "month.",
        "Tasha",
        "tasha.o@gmail.com",
        None,
        True,
        False,
    ),
    (
        "The sleep problems were the worst part for me. Magnesium didn't help, but keeping the "
        "same wake-up time every day did.",
        "Owen",
        "owen.j@outlook.com",
        None,
        False,
        False,
    ),
    (
        "My doctor hadn't heard of hyperbolic tapering so I took the paper along. She read it "
        "and agreed to try it with me.",
        "Ellie",
        "ellie.b@gmail.com",
        None,
        True,
        False,
    ),
    (
        "I read the NICE guidance before my appointment: https://www.nice.org.uk/guidance/ng215 "
        "It says to agree a plan with the patient, which gave me confidence.",
        "Mark T",
        "markt@hotmail.com",
        None,
        False,
        False,
    ),
    (
        "Eight years on sertraline and now at 25mg. Slow is fine. Slow is still moving.",
        "Abi",
        "abi.n@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Thank you for moderating this community so kindly. It's one of the few places online "
        "where I feel safe to say how I'm really doing.",
        "Grace",
        "grace.l@icloud.com",
        None,
        True,
        False,
    ),
    (
        "I keep my tablets in a weekly pill box with the doses written on tape so I don't mix "
        "up the days during a cut.",
        "Harold",
        "harold.p@btinternet.com",
        None,
        False,
        False,
    ),
    (
        "My partner reads these posts too now. It's helped him understand why some weeks I "
        "can't do much at all.",
        "Jo",
        "jo.kelly@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Hi all, first time commenting. Diagnosed two years ago and just starting to talk to my "
        "rheumatologist about reducing the steroids.",
        "Leah",
        "leah.g@outlook.com",
        None,
        False,
        False,
    ),
    (
        "The MedlinePlus page lists the common side effects in plain language, useful if your "
        "leaflet is in tiny print: https://medlineplus.gov/druginfo/meds/a697048.html",
        "Kevin",
        "kevin.r@yahoo.com",
        None,
        False,
        False,
    ),
    (
        "I relapsed last year after coming off too quickly, and I want to say that isn't "
        "failure. I'm trying again, slower, with my GP's support.",
        "Sophie",
        "sophie.a@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Agree with the comment above about keeping a diary. Mine showed the anxiety peaks "
        "three days after each cut.",
        "Raj",
        "raj.patel@outlook.com",
        None,
        True,
        False,
    ),
    (
        "Congratulations on a whole year! That's huge!",
        "Bea",
        "bea.t@icloud.com",
        None,
        False,
        False,
    ),
    (
        "My chemist lets me collect weekly instead of monthly, which stops me being tempted to "
        "skip ahead with the reductions.",
        "Pauline",
        "pauline.s@btinternet.com",
        None,
        True,
        False,
    ),
    (
        "I'm a nurse and I see so many people told to just stop. Posts like this matter more "
        "than you know.",
        "Claire (nurse)",
        "claire.nurse@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Does anyone know if the liquid version is available on prescription in Scotland? My "
        "surgery says they've never been asked.",
        "Euan",
        "euan.mcl@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Day 3 of a new cut. Headache, irritable, teary. Writing it here so I remember it passes.",
        "Meg",
        "meg.o@hotmail.co.uk",
        None,
        True,
        False,
    ),
    (
        "The Cochrane review on this was more cautious than I expected, worth reading if you "
        "like to see the evidence yourself: https://www.cochranelibrary.com/",
        "Dr Alan Reid",
        "alan.reid@nhs.net",
        None,
        True,
        False,
    ),
    (
        "Walked to the end of the road and back today for the first time since March. Small "
        "wins count.",
        "Yvonne",
        "yvonne.c@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Honestly this blog got me through the worst winter of my life. Thank you for keeping "
        "it going.",
        "Stuart",
        "stuart.m@outlook.com",
        None,
        True,
        False,
    ),
    (
        "I was on 150mg venlafaxine and it took me nearly two years to come off. Happy to "
        "answer questions here if it helps anyone.",
        "Lin",
        "lin.zhou@gmail.com",
        None,
        True,
        False,
    ),
    (
        "The part about grieving for the person you were before the illness really hit home.",
        "Martha",
        "martha.e@yahoo.co.uk",
        None,
        False,
        False,
    ),
    (
        "How do you manage social plans when you don't know what kind of day it'll be? I've "
        "started saying maybe to everything.",
        "Ali",
        "ali.hassan@gmail.com",
        None,
        True,
        False,
    ),
    (
        "Free tip: the pharmacy can put a large-print label on your box if you ask. Saved my "
        "dad a lot of squinting.",
        "Wendy",
        "wendy.f@btinternet.com",
        None,
        False,
        False,
    ),
    (
        "Great post. It's exactly what my counsellor said to me: one change at a time.",
        "Sue",
        "sue.barker@gmail.com",
        None,
        False,
        False,
    ),
    (
        "My insurance only covers 30 tablets a month, so splitting doses means paying out of "
        "pocket. Has anyone found a workaround?",
        "Marisol",
        "marisol.v@gmail.com",
        None,
        True,
        False,
    ),
    (
        "I'm starting the taper next Monday with my psychiatrist's support. Scared but ready.",
        "Kim",
        "kim.y@icloud.com",
        None,
        True,
        False,
    ),
    (
        "Thank you for the reminder to drink water and eat properly during the bad weeks. "
        "Obvious, but I forget.",
        "Noor",
        "noor.a@outlook.com",
        None,
        False,
        False,
    ),
    (
        "Six weeks in and the nausea has gone. Hang in there everyone, it does ease.",
        "Phil",
        "phil.d@gmail.com",
        None,
        True,
        False,
    ),
    (
        "The WHO page on depression has a good overview for family members who don't get it: "
        "https://www.who.int/news-room/fact-sheets/detail/depression",
        "Rachel",
        "rachel.g@gmail.com",
        None,
        False,
        False,
    ),
    (
        "Could you write a post about coming off medication while pregnant? My midwife wasn't "
        "sure what to advise and I'd love to hear others' experience.",
        "Hannah",
        "hannah.w@yahoo.co.uk",
        None,
        True,
        False,
    ),
    (
        "We moved house during my taper, which I wouldn't recommend. Back on track now though, "
        "and the new GP is lovely.",
        "Colin",
        "colin.b@hotmail.com",
        None,
        False,
        False,
    ),
    (
        "This page helped me explain to my family why I can't just stop the tablets: "
        "https://www.nhs.uk/mental-health/ I showed it to my mum and she finally understood.",
        "Bryony",
        "bryony.h@gmail.com",
        None,
        True,
        False,
    ),
    (
        "For anyone with arthritis reading this, the charity guide on steroid tablets answered "
        "most of my questions: https://www.versusarthritis.org/about-arthritis/treatments/drugs/",
        "Geoff",
        "geoff.n@btinternet.com",
        None,
        False,
        False,
    ),
    (
        "The leaflet in my box was tiny, so I read the patient information online instead: "
        "https://www.medicines.org.uk/emc/ My pharmacist pointed me to it.",
        "Irene",
        "irene.c@outlook.com",
        None,
        True,
        False,
    ),
    (
        "I found the Mind page on withdrawal effects reassuring when I was at my worst, it lists "
        "what is normal: https://www.mind.org.uk/information-support/drugs-and-treatments/",
        "Tariq",
        "tariq.m@gmail.com",
        None,
        False,
        False,
    ),
    ("Thank you, I needed this today.", "Nell", "nell.p@gmail.com", None, False, False),
    ("Same here. Hugs to you all.", "Aoife", "aoife.b@outlook.com", None, True, False),
    ("Me too! Week 3 now.", "Dan", "dan.w@yahoo.co.uk", None, False, False),
)

SPAM: tuple[SeedRow, ...] = (
    (
        "Great post! I really enjoyed reading it. Check out my website for more tips: "
        "https://best-health-tips-online.example",
        "Health Tips",
        "info@besthealthtips.example",
        "https://best-health-tips-online.example",
        False,
        True,
    ),
    (
        "Very informative article. We offer affordable SEO services to rank your blog on the "
        "first page of Google. Contact us today! https://rank-first-seo.example",
        "SEO Expert Services",
        "sales@rank-first-seo.example",
        "https://rank-first-seo.example",
        False,
        True,
    ),
    (
        "Nice blog! Boost your traffic with high quality backlinks. 1000 DA50+ links for only "
        "$29 https://backlinks-pro.example",
        "Backlink Pro",
        "backlinkpro2024@gmail.com",
        "https://backlinks-pro.example",
        False,
        True,
    ),
    (
        "I am a professional content writer. Guest post opportunities available, do-follow "
        "links, fast approval. Reply with your rates.",
        "Ahmed Outreach",
        "outreach.team2231@gmail.com",
        None,
        False,
        True,
    ),
    (
        "Your site has some SEO issues. I can fix them cheap and get you more organic visitors. "
        "WhatsApp me on +44 7700 900123.",
        "Digital Marketing Agency",
        "digitalgrowth88@outlook.com",
        None,
        False,
        True,
    ),
    (
        "Best online casino bonus this year! Free spins, no deposit required, play now "
        "https://luckyspin-casino.example",
        "Casino Bonus",
        "bonus@luckyspin-casino.example",
        "https://luckyspin-casino.example",
        False,
        True,
    ),
    (
        "WIN BIG tonight at the top rated slots site, instant withdrawal, 200% welcome bonus "
        "https://mega-slots.example/bonus",
        "SlotsKing777",
        "slotsking777@mail.ru",
        "https://mega-slots.example",
        False,
        True,
    ),
    (
        "Looking for trusted betting sites? Compare the best bookmakers and claim your free bet "
        "https://freebet-compare.example",
        "bet guide",
        "betguide@yandex.ru",
        "https://freebet-compare.example",
        False,
        True,
    ),
    (
        "Poker, roulette and blackjack with real money. Sign up and get $100 free "
        "https://royal-poker.example",
        "Royal Poker",
        "promo@royal-poker.example",
        "https://royal-poker.example",
        False,
        True,
    ),
    (
        "Situs casino online terpercaya, daftar sekarang dan dapatkan bonus "
        "https://slot-gacor.example",
        "slot gacor",
        "slotgacor99@gmail.com",
        "https://slot-gacor.example",
        False,
        True,
    ),
    (
        "Need cash fast? Payday loans approved in minutes, bad credit OK. Apply online "
        "https://quickcash-loans.example",
        "Quick Cash",
        "apply@quickcash-loans.example",
        "https://quickcash-loans.example",
        False,
        True,
    ),
    (
        "Get a personal loan up to $5000 today with no credit check "
        "https://easyloan-direct.example/apply",
        "Loan Advisor",
        "loanadvisor@outlook.com",
        "https://easyloan-direct.example",
        False,
        True,
    ),
    (
        "Struggling with debt? Our consolidation loans cut your monthly payments. Free quote: "
        "https://debtfree-now.example",
        "Debt Help",
        "help@debtfree-now.example",
        None,
        False,
        True,
    ),
    (
        "Instant loans for medical bills, no paperwork, money in your account today! "
        "https://medloan-fast.example",
        "Medical Loans",
        "medloans@gmail.com",
        "https://medloan-fast.example",
        False,
        True,
    ),
    (
        "I made $3,000 a week trading bitcoin with this platform, my life has changed. Join "
        "here https://crypto-profit-daily.example",
        "Sarah Johnson",
        "sarahjohnson.invest@gmail.com",
        None,
        False,
        True,
    ),
    (
        "Bitcoin recovery expert! If you lost funds to a scam contact recoverywizard at gmail "
        "dot com, he helped me get everything back within 48 hours.",
        "Linda Williams",
        "lindawilliams5521@gmail.com",
        None,
        False,
        True,
    ),
    (
        "Invest in the new AI token before it launches on exchanges. 100x guaranteed. Telegram "
        "@moonsignals",
        "Crypto Signals",
        "signals@moonsignals.example",
        None,
        False,
        True,
    ),
    (
        "Earn passive income with our crypto mining pool, withdraw daily "
        "https://hashpool-earn.example",
        "Mining Pool",
        "support@hashpool-earn.example",
        "https://hashpool-earn.example",
        False,
        True,
    ),
    (
        "BUY BITCOIN INSTANTLY with your card, lowest fees https://fastcoin-exchange.example",
        "FastCoin",
        "fastcoin@outlook.com",
        "https://fastcoin-exchange.example",
        False,
        True,
    ),
    (
        "Buy Xanax online without prescription, overnight delivery, discreet packaging "
        "https://rx-nopresc.example",
        "Online Pharmacy",
        "orders@rx-nopresc.example",
        "https://rx-nopresc.example",
        False,
        True,
    ),
    (
        "Cheap generic pills 80% off. Viagra, Cialis, Tramadol, no prescription needed "
        "https://cheap-meds-24.example",
        "cheap meds",
        "cheapmeds24@mail.ru",
        "https://cheap-meds-24.example",
        False,
        True,
    ),
    (
        "Order tramadol 100mg online, best price, fast shipping worldwide "
        "https://tramadol-shop.example",
        "Tramadol Shop",
        "shop@tramadol-shop.example",
        "https://tramadol-shop.example",
        False,
        True,
    ),
    (
        "Looking for sertraline without a doctor? We ship to UK and USA, pay with bitcoin "
        "https://pharma-direct.example",
        "Pharma Direct",
        "pharmadirect@gmail.com",
        "https://pharma-direct.example",
        False,
        True,
    ),
    (
        "Stop withdrawal symptoms naturally with our CBD gummies, 50% off today only! "
        "https://calm-cbd.example",
        "CBD Wellness",
        "hello@calm-cbd.example",
        "https://calm-cbd.example",
        False,
        True,
    ),
    (
        "Modafinil, Adderall and more available. Trusted vendor, stealth shipping. Order at "
        "https://smart-pills-store.example",
        "Vendor",
        "vendor.smartpills@protonmail.com",
        None,
        False,
        True,
    ),
    (
        "Canadian pharmacy online: genuine medicines at discount prices, $0.99 per pill "
        "https://canada-rx-discount.example",
        "Canada Pharmacy",
        "rx@canada-rx-discount.example",
        "https://canada-rx-discount.example",
        False,
        True,
    ),
    (
        "Best place to buy oxycodone online no rx https://painmeds-express.example",
        "painmeds",
        "painmeds.express@gmail.com",
        "https://painmeds-express.example",
        False,
        True,
    ),
    (
        "Thanks for sharing this, very helpful. https://daily-wellness-hub.example",
        "Emma Clarke",
        "emma.clarke.1990@gmail.com",
        "https://daily-wellness-hub.example",
        False,
        True,
    ),
    (
        "I like this article, keep it up. Please visit my site too.",
        "Home Garden Ideas",
        "homegardenideas@outlook.com",
        "https://homegarden-ideas.example",
        False,
        True,
    ),
    (
        "Wow, this is exactly what I was looking for. Bookmarked! https://top10reviews.example",
        "John",
        "john.reviews@gmail.com",
        "https://top10reviews.example",
        False,
        True,
    ),
    (
        "Good information. I have shared it with my friends. Regards, "
        "https://wellbeing-store.example",
        "Wellbeing Store",
        "info@wellbeing-store.example",
        "https://wellbeing-store.example",
        False,
        True,
    ),
    (
        "Hello admin, nice article, very useful for readers.",
        "Essay Writing Service",
        "essays@essay-writers.example",
        "https://essay-writers.example",
        False,
        True,
    ),
    (
        "This is a great resource. Also see our guide on the same topic "
        "https://health-guide-247.example/blog/antidepressants",
        "Mark Davis",
        "mark.davis.seo@gmail.com",
        "https://health-guide-247.example",
        False,
        True,
    ),
    (
        "Awesome post! Really appreciate it.",
        "Cheap Jerseys",
        "jerseys@fashion-outlet.example",
        "https://fashion-outlet.example",
        False,
        True,
    ),
    (
        "Such a valuable piece of writing, thanks. I also write on this subject at "
        "https://natural-cure-secrets.example",
        "Natural Cures",
        "naturalcures@yahoo.com",
        "https://natural-cure-secrets.example",
        False,
        True,
    ),
    (
        "Hi, I read your blog regularly. Your writing style is witty, keep doing what you're "
        "doing! https://buy-followers.example",
        "Followers",
        "followers.buy@gmail.com",
        "https://buy-followers.example",
        False,
        True,
    ),
    (
        "Informative and well written content. Thanks",
        "Roofing Pros Dallas",
        "leads@roofing-contractors.example",
        "https://roofing-contractors.example",
        False,
        True,
    ),
    (
        "Keep up the great work, I enjoyed every bit of it. https://kitchen-remodel.example",
        "Kitchen Remodel",
        "kitchenremodel@outlook.com",
        "https://kitchen-remodel.example",
        False,
        True,
    ),
    (
        "https://pills1.example https://pills2.example https://pills3.example "
        "https://pills4.example https://pills5.example",
        "asdf",
        "asdf1234@mail.ru",
        None,
        False,
        True,
    ),
    (
        "cheap viagra https://v1.example/viagra cialis https://v2.example/cialis levitra "
        "https://v3.example/levitra",
        "xrumer",
        "xrumer55@yandex.ru",
        None,
        False,
        True,
    ),
    (
        "[url=https://loans-now.example]payday loans[/url] "
        "[url=https://loans-fast.example]fast loans[/url]",
        "Hrenfoyl",
        "hrenfoyl@mail.ru",
        None,
        False,
        True,
    ),
    (
        '<a href="https://replica-watches.example">replica watches</a> '
        '<a href="https://replica-bags.example">replica bags</a>',
        "replica",
        "replica.shop@gmail.com",
        "https://replica-watches.example",
        False,
        True,
    ),
    (
        "casino https://c1.example slots https://c2.example poker https://c3.example roulette "
        "https://c4.example bingo https://c5.example",
        "gamblr",
        "gamblr@yandex.ru",
        None,
        False,
        True,
    ),
    (
        "Best essay writing service https://essay1.example term papers https://essay2.example "
        "homework help https://essay3.example",
        "EssayHelp",
        "essayhelp@outlook.com",
        "https://essay1.example",
        False,
        True,
    ),
    (
        "Hot singles in your area are waiting to chat with you tonight https://meet-local.example",
        "Dating",
        "meet@meet-local.example",
        "https://meet-local.example",
        False,
        True,
    ),
    (
        "Work from home and earn $500 a day, no experience needed! Click here "
        "https://easy-money-job.example",
        "Job Offer",
        "jobs.offer2024@gmail.com",
        "https://easy-money-job.example",
        False,
        True,
    ),
    (
        "Get rid of tinnitus in 7 days with this one weird trick doctors hate "
        "https://tinnitus-cure.example",
        "Health Secret",
        "secret@tinnitus-cure.example",
        "https://tinnitus-cure.example",
        False,
        True,
    ),
    (
        "Lose 20 pounds in 2 weeks with keto pills, FREE trial today https://keto-burn.example",
        "Keto Diet",
        "keto.burn@outlook.com",
        "https://keto-burn.example",
        False,
        True,
    ),
    (
        "Professional SEO and web design services, affordable packages. Contact us at "
        "sales@webpro.example for a quote.",
        "Web Pro Solutions",
        "sales@webpro.example",
        "https://webpro.example",
        False,
        True,
    ),
    (
        "Download the latest movies free in HD at https://free-movies-hd.example",
        "Movies HD",
        "moviesfree@gmail.com",
        "https://free-movies-hd.example",
        False,
        True,
    ),
    (
        "Get cheap flights and hotel deals, up to 70% off https://travel-deals.example",
        "Travel Deals",
        "deals@travel-deals.example",
        "https://travel-deals.example",
        False,
        True,
    ),
    (
        "Buy Instagram followers and likes, real and active, cheap prices "
        "https://insta-boost.example",
        "InstaBoost",
        "instaboost@outlook.com",
        "https://insta-boost.example",
        False,
        True,
    ),
    (
        "We are hiring! Data entry jobs, weekly payment via PayPal https://jobs-portal.example",
        "HR Team",
        "hr.team.jobs@gmail.com",
        "https://jobs-portal.example",
        False,
        True,
    ),
    (
        "Spiritual healer Dr Okoro brought my husband back in 3 days. Email him at drokoro "
        "spells at gmail, he is real and his powers are great.",
        "Mary Thompson",
        "marythompson7781@gmail.com",
        None,
        False,
        True,
    ),
    (
        "Your article is nice but my cousin makes $8000 a month online from home, see how at "
        "https://home-income.example",
        "Jessica",
        "jessica.homeincome@gmail.com",
        "https://home-income.example",
        False,
        True,
    ),
    (
        "Buy hemp oil wholesale, bulk discounts for resellers https://hemp-wholesale.example",
        "Hemp Oil",
        "orders@hemp-wholesale.example",
        "https://hemp-wholesale.example",
        False,
        True,
    ),
    (
        "Hello, we noticed your website could rank higher. Our agency offers a free audit: "
        "https://seo-audit-free.example",
        "Growth Agency",
        "audit@seo-audit-free.example",
        "https://seo-audit-free.example",
        False,
        True,
    ),
    (
        "Get a custom logo designed in 24 hours for just $5 https://logo-fast.example",
        "Logo Design",
        "logofast@gmail.com",
        "https://logo-fast.example",
        False,
        True,
    ),
    (
        "Nice article! I also found a great site with coupons and promo codes "
        "https://coupon-codes.example",
        "Coupons",
        "coupons@coupon-codes.example",
        "https://coupon-codes.example",
        False,
        True,
    ),
    (
        "Private label supplements manufacturer, low MOQ, worldwide shipping "
        "https://supplements-oem.example",
        "OEM Factory",
        "sales@supplements-oem.example",
        "https://supplements-oem.example",
        True,
        True,
    ),
)

SEED: tuple[SeedRow, ...] = SPAM + HAM
