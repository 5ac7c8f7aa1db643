"""The written words of the demo content: categories, articles and a pool of reply texts.

All of it is original sample text. Replies are built by combining pool entries, so the
pools are deliberately generic. Headings are off in the renderer, so articles use bold.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostText:
    slug: str
    title: str
    body: str


def _paragraphs(*paragraphs: str) -> str:
    """Markdown source from paragraphs; single newlines inside one become line breaks."""
    return "\n\n".join(paragraphs)


ADMIN_NAME = "Maren"
ADMIN_EMAIL = "maren@example.org"
ADMIN_BIO = "Writes the blog, keeps the porch light on."

# (slug, name, description), in display order.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("living-with-it", "Living with it", "Day-to-day life, written down as it happens."),
    ("research-notes", "Research notes", "Reading about health without losing sleep over it."),
    ("community", "Community", "Introductions, open threads and everything in between."),
    ("site-news", "Site news", "Changes to this site and how it works."),
)

SERIES_NAME = "Coming off the tablets"

SERIES_PARTS: tuple[PostText, ...] = (
    PostText(
        "coming-off-the-tablets-1-deciding-to-ask",
        "Coming off the tablets, part 1: Deciding to ask",
        _paragraphs(
            "For six years I have taken one small white tablet every morning, usually with the "
            "first coffee and without thinking about it. It helped, I'm sure of that. It got me "
            "through a bad stretch at work, a house move and a long winter when I didn't want "
            "to see anyone.",
            "This spring I caught myself wondering whether I still needed it. Not in a dramatic "
            "way: more like noticing you're still wearing a winter coat in April. So I did the "
            "one thing I had been putting off. I booked an appointment with my doctor, and I "
            "asked.",
            "> \"You're allowed to ask. Asking isn't the same as deciding.\" (my friend Jo, "
            "when I told her how nervous I was)",
            "I want to be clear about what this series is and isn't. It is a diary of what "
            "happened to *me*. It is not advice, and nothing here is a plan for anyone else. If "
            "you are thinking about changing any medication, the person to talk to is your "
            "doctor or pharmacist, not a stranger with a blog.",
            "What I can share is how I prepared:",
            "- I wrote down, in plain words, why I wanted to ask and what I was afraid of.\n"
            "- I listed my questions, so I wouldn't forget them in the room.\n"
            "- I told two friends the date, so I couldn't quietly cancel.",
            "The appointment was twenty minutes and much kinder than I had imagined. We didn't "
            "decide anything that day. We agreed to meet again in a month, and that I'd keep a "
            "journal in the meantime. That journal turned out to be the most useful thing in "
            "this whole story, so part two is mostly about it.",
            "Thanks for reading. Comments are open, and I read every one.",
            "Until next time,\nMaren",
        ),
    ),
    PostText(
        "coming-off-the-tablets-2-the-plan-and-the-journal",
        "Coming off the tablets, part 2: The plan, and the journal",
        _paragraphs(
            "At the second appointment I brought a notebook with a month of entries in it. My "
            "doctor read a few pages, asked questions, and then we made a plan together: reduce "
            "slowly, in small steps, with a check-in before each step and a clear agreement "
            "that we could pause or go back at any point.",
            "I'm not going to share doses or timings. They were worked out for me, by someone "
            "who knows my history, and they would be meaningless (or worse) for anyone else. "
            "The shape is what I want to talk about: *slow, supervised, and allowed to change*.",
            "The journal is a cheap school exercise book. Every evening I write down:",
            "1. How I slept, in a few words.\n"
            "2. Mood, energy and worry, each from 1 to 5.\n"
            "3. One thing that went well, however small.\n"
            "4. Anything to mention at the next appointment.",
            "> Day 12: slept badly. Mood 3, energy 2, worry 3. Good thing: the neighbour's cat "
            "sat on my feet for an hour. Ask about the headaches.",
            "It takes five minutes. What surprised me is how much it changed the appointments. "
            'Instead of "I think it\'s been fine, mostly?" I could point at two bad weeks and '
            "say exactly when they started. My doctor said that was the most useful thing a "
            "patient can bring, which I have decided to take as a compliment.",
            "If you keep a journal of your own, I'd love to hear what you track. Several of you "
            "shared your formats under part one, and I have already borrowed two ideas.",
            "Until next time,\nMaren",
        ),
    ),
    PostText(
        "coming-off-the-tablets-3-the-wobbly-weeks",
        "Coming off the tablets, part 3: The wobbly weeks",
        _paragraphs(
            "I had been told it might not be a straight line, and it wasn't. About five weeks "
            "into the plan I hit a stretch where I slept badly, cried at an advert for garden "
            "furniture and snapped at people I love. The journal showed it plainly: a run of 2s "
            "where there had been 3s and 4s.",
            "I'm writing about this because the hard part is the part people usually leave out.",
            "What I did:",
            "- I called the surgery instead of waiting for the next appointment. We talked it "
            "through and agreed to hold at the current step for longer. Pausing wasn't failing; "
            "it had been part of the plan from the start.\n"
            "- I told my friends what was going on, in one slightly awkward group message. "
            "Three of them turned up that weekend with soup.\n"
            "- I stopped reading forums at two in the morning.",
            '> "You don\'t have to be brave about it. You just have to keep telling someone." '
            "(my sister, on a very long Tuesday)",
            "After a couple of weeks things settled, and we carried on, more slowly than "
            "before. Looking back, the wobble didn't mean the plan was wrong. It meant the plan "
            "needed the flexibility we had built into it.",
            "If you're in a wobbly week of your own right now, please talk to your doctor, and "
            "to someone who cares about you. The comments here are kind, but they are no "
            "substitute for either.",
            "Until next time,\nMaren",
        ),
    ),
    PostText(
        "coming-off-the-tablets-4-boring-things-that-helped",
        "Coming off the tablets, part 4: Sleep, walks and other boring things",
        _paragraphs(
            "Nobody wants to hear that the things that helped were boring. I'm sorry. They were.",
            "**Sleep.** The same bedtime and the same alarm, weekends included, made more "
            "difference than anything else I tried. The phone now charges in the kitchen. I "
            "read paper books until my eyes close, which is usually page four.",
            "**Walking.** Thirty minutes most days, in daylight if I can, with someone if I "
            "can. Not for fitness: for the change of scene and the conversation. My walking "
            "partner Sam has heard about every page of the journal and has never once said "
            '"have you tried yoga".',
            '**Friends.** I got better at saying what I need. "Can you ring me on Thursday '
            'evening?" works far better than "I\'m fine, honestly".',
            "**Less news, more soup.** Self-explanatory.",
            '> "Boring is underrated. Boring is what a good week looks like from the outside." '
            "(a reader, under part three; I have thought about it every day since)",
            "None of this replaced the plan or the check-ins with my doctor. It sat around "
            "them, like scaffolding. If you have boring things that work for you, please add "
            "them below. This post is really an excuse to collect them.",
            "Until next time,\nMaren",
        ),
    ),
    PostText(
        "coming-off-the-tablets-5-where-i-am-now",
        "Coming off the tablets, part 5: Where I am now",
        _paragraphs(
            "It has been a little over a year since I first asked the question, and this is the "
            "last part of the series.",
            "Where I am now: off the tablets, with my doctor's agreement, and still keeping the "
            "journal, though only on weekdays. I still have bad days. The difference is that I "
            "know what my bad days look like on paper, and I know who to call when a bad day "
            "starts turning into a bad week.",
            "A few things I would tell myself a year ago:",
            "- Asking is not deciding. You can go in with questions and come out with nothing "
            "changed.\n"
            "- Slow is not failure. Neither is pausing, and neither is deciding to stay on "
            "them.\n"
            "- Write things down. Memory is a generous editor; the notebook isn't.\n"
            "- Let people help. They usually want to.",
            '> "Whatever you decide, decide it with someone." (the note my doctor wrote on the '
            "back of an appointment card, now the first line of my journal)",
            "One more time, because it matters: this was my path, worked out with a "
            "professional who knew my history. Yours may look completely different, and it "
            "deserves to be worked out the same way.",
            "Thank you for the comments on every part of this series. Some of you wrote the "
            "kindest things anyone has said to me, and a few of you sent me on walks I would "
            "never have found alone. Comments stay open, and the open thread in Community runs "
            "every week.",
            "With thanks, and until next time,\nMaren",
        ),
    ),
)

RESEARCH_POST = PostText(
    "reading-a-health-study-without-panicking",
    "How I read a health study without panicking",
    _paragraphs(
        'Every few weeks someone sends me a headline along the lines of "Common tablet linked '
        'to alarming thing". Over the years I have built a small routine for reading the study '
        "behind it. I'm not a scientist and this isn't medical advice; it is simply how I stop "
        "myself spiralling.",
        "1. **Find the actual study.** Headlines are written to be clicked. The summary at the "
        "top of the paper is usually calmer.\n"
        "2. **Who was studied?** Mice, a hundred students, or half a million people over twenty "
        "years are very different things.\n"
        '3. **How big is the effect?** "Doubles the risk" can mean going from one in a million '
        "to two in a million. Look for the absolute numbers.\n"
        "4. **Linked, or caused?** Most studies can only show that two things tend to happen "
        "together.\n"
        "5. **Who paid for it?** Not a reason to dismiss it, but worth knowing.",
        "> The most useful question I have learned to ask is: compared with what?",
        "Then I write down whatever still worries me and take it to my doctor or pharmacist, "
        "who can say what it means for someone with my history. That last step is the important "
        "one. Reading helps me ask better questions; it doesn't answer them.",
        "There is a plain-language guide to reading research at "
        "[example.org](https://example.org/reading-research) if you want to go further.",
        "Maren",
    ),
)

INTRODUCTIONS_POST = PostText(
    "introduce-yourself",
    "Introduce yourself",
    _paragraphs(
        "New here? Welcome. Pull up a chair and tell us a little about yourself: where you are, "
        "what brought you here, anything you'd like people to know. Share only what you're "
        "comfortable with; a first name is plenty.",
        "A few house rules, so this stays a good place to be:",
        "- Be kind, especially when you disagree.\n"
        "- Share experiences, not prescriptions. Nobody here is your doctor.\n"
        "- If you are struggling right now, please also talk to someone who can be with you in "
        "person.",
        "Replies from new guests are sometimes held for a quick check before they appear. "
        "That's us, not you.",
        "Maren",
    ),
)

OPEN_THREAD_POST = PostText(
    "open-thread-how-are-you-doing-this-week",
    "Open thread: how are you doing this week?",
    _paragraphs(
        "This is the weekly check-in. How are you doing, honestly? Good weeks, bad weeks, small "
        "wins and things you're dreading are all welcome here.",
        "Reply to someone if their comment meant something to you. It is the simplest kindness "
        "on the internet.",
        "> No fixing, and no advice unless it's asked for. Just listening.",
        "Maren",
    ),
)

SITE_NEWS_POST = PostText(
    "site-news-comments-are-now-threaded",
    "Site news: comments are now threaded",
    _paragraphs(
        "Comments are now threaded. You can reply directly to another comment and the "
        "conversation nests underneath it, so long discussions are much easier to follow.",
        "What's new:",
        "- A **Reply** link under every comment.\n"
        "- Very deep conversations stop indenting after a few levels and say whom each reply "
        "answers instead, so they stay readable on a phone.\n"
        "- A small heart button to thank someone for a comment without writing one.",
        "What hasn't changed: guests can still comment without an account, and first comments "
        "from new guests may wait briefly for moderation.",
        "If something looks broken, reply here and tell me what you were doing at the time.",
        "Maren",
    ),
)


# Top-level comments under the series articles.
ARTICLE_OPENERS: tuple[str, ...] = (
    (
        "Thank you for writing this. I'm about three months behind you and it helps to see the "
        "road ahead."
    ),
    "The bit about asking not being the same as deciding really landed for me.",
    (
        "I've read this twice now. *Slow, supervised, and allowed to change* is going on a "
        "sticky note above my desk."
    ),
    "My doctor was much kinder than I expected too. I wish I had asked a year earlier.",
    "Saving this one to reread on a bad day.",
    (
        "The journal idea is brilliant. I started one last night: only three lines so far, but "
        "it's a start."
    ),
    "This made me cry a little, in a good way.",
    (
        "I love that you're honest about the wobbly parts. Everyone else makes it sound like a "
        "straight line."
    ),
    "Came here from a friend's link. Really glad I did.",
    "> Asking isn't the same as deciding.\n\nPrinting this out for the fridge.",
    "Thank you for being so clear that it's your story and not a plan for everyone. That's rare.",
    "Reading this on the bus and nodding along like an idiot.",
    (
        "Such a calm, sensible post. Sharing it with my brother, who is right at the start of "
        "all this."
    ),
    "How long did it take before the journal felt like a habit rather than homework?",
    (
        "Thank you for keeping the comments open. This has become a good little corner of the "
        "internet."
    ),
    "I've been lurking for months and this is the post that finally made me comment.",
)

RESEARCH_OPENERS: tuple[str, ...] = (
    "*Compared with what?* is going to be my question for every headline from now on.",
    "The point about absolute versus relative numbers should be taught in schools.",
    "Useful list. I'd add: check the date. Some scary stories are about twenty-year-old studies.",
    (
        "Thank you for the reminder that reading helps you ask better questions but doesn't "
        "answer them."
    ),
    "My pharmacist was brilliant when I brought her a headline like this. Ten minutes, no panic.",
    "Bookmarking this for the next time my aunt forwards me something alarming.",
)

# Templates: {first} becomes the writer's first name.
INTRODUCTIONS: tuple[str, ...] = (
    (
        "Hi all, I'm {first}. I found this site through the *Coming off the tablets* series and "
        "finally made myself say hello."
    ),
    (
        "Hello! {first} here. Long-time reader, first-time commenter. I'm mostly here for the "
        "open threads."
    ),
    (
        "Hi, I'm {first}. I'm at the very start of talking things through with my doctor and "
        "wanted some company on the way."
    ),
    (
        "{first} here, waving from the back row. I like walks, crosswords and people who don't "
        "give unsolicited advice."
    ),
    "Hello everyone. I'm {first}, and my partner sent me the link. I think they were right.",
    "Hi! I'm {first}. I keep a journal, I'm bad at sleeping, and I'm very glad this place exists.",
)

CHECK_INS: tuple[str, ...] = (
    "Honestly? A 3 out of 5 week. Slept better, worried more. I'll take it.",
    "Good week! I went for a walk every day, even the rainy one.",
    "Rough few days. Work is loud and my head is louder. Checking in anyway.",
    "Small win: I rang the surgery instead of putting it off for another month.",
    "Tired, but the good kind of tired. Spent Saturday helping a friend move.",
    "Not great, if I'm honest. But I told someone, which is new for me.",
    "Mostly fine. I've started a journal like Maren's and it is *weirdly* satisfying to fill in.",
    "This week I learned that I feel much better when I eat breakfast. Revolutionary, I know.",
    "Bit of a wobble mid-week, back on an even keel now. Thank you all for last week's replies.",
    (
        "Had my check-in appointment. We're holding where we are for now, and I'm surprisingly "
        "okay with that."
    ),
    "Slept nine hours on Sunday. I had forgotten that was possible.",
    "Anxious about a family lunch at the weekend. Any tips for getting through a long afternoon?",
    "Really good week. Nothing special happened, which is exactly why it was good.",
    "Checking in from a very grey Monday. Coffee is helping.",
    "I finally found a walking route without a hill. Life-changing.",
    "Long week, but I kept to my bedtime every single night and I'm proud of that.",
)

NEWS_OPENERS: tuple[str, ...] = (
    "Threading makes such a difference. Thank you!",
    "Small thing: on my phone the Reply link is a bit hard to tap. Otherwise lovely.",
    "The heart button is a nice touch. Sometimes there's nothing to add except thanks.",
    "Works nicely on my old tablet too.",
    "Is there a way to get an email when someone replies to me?",
    "Love it. The long conversations are much easier to follow now.",
)

# Replies to another reader.
ANSWERS: tuple[str, ...] = (
    "That sounds really hard. I'm glad you told someone.",
    "Same here. You're not alone in this.",
    "A 3 is a perfectly good number. Well done for noticing it.",
    "Thank you for saying this. I thought it was just me.",
    "That's a real win. Enjoy it!",
    "Sending a lot of good wishes your way.",
    (
        "I had the same experience. It did get easier, slowly, with my doctor keeping an eye on "
        "things."
    ),
    "Could you say a bit more about that? I'm curious how it went.",
    "*Yes.* This, exactly.",
    "Ha, I know that feeling very well.",
    "> It did get easier, slowly.\n\nHolding on to this one.",
    "Hope the rest of the week is kinder to you.",
    "Have you mentioned that to your doctor? Mine was really glad I did.",
    "That's a lovely way to put it.",
    (
        "I wrote about something similar a while ago: [small "
        "wins](https://example.org/notes/small-wins)."
    ),
    "Agreed, though for me the mornings were the hard part rather than the evenings.",
    "Thank you. That genuinely helped today.",
    "Proud of you, internet stranger.",
)

# Replies from the post author to readers.
AUTHOR_ANSWERS: tuple[str, ...] = (
    "Thank you, that means a lot. I'm really glad it helped.",
    (
        "Good question. For me it took about three weeks to feel like a habit, but everyone is "
        "different."
    ),
    (
        "I hear you. Please do talk it through with your doctor; they can see the whole picture "
        "in a way none of us can."
    ),
    "Welcome! Really glad you're here.",
    "Ha, yes. The soup was genuinely the best part.",
    "I love this idea. Mind if I borrow it for the journal?",
    "Thank you for being so honest. Keep telling someone.",
    "> Boring is underrated.\n\nStill my favourite comment on this whole blog.",
)

# Optional second paragraphs, appended now and then.
ASIDES: tuple[str, ...] = (
    "Either way, thanks for sharing.",
    "(Also, hello from a very rainy afternoon.)",
    (
        "There's a nice page on keeping a mood diary at https://example.org/mood-diary if "
        "anyone wants one."
    ),
    "Take care of yourselves this week.",
    "I'll report back next week.",
    "*Small steps* is the whole trick, I think.",
    "Writing that down made me feel better already.",
    "Looking forward to the next one.",
)

# Spam that reaches the open thread: (name, email, website, text), all on reserved domains.
SPAM: tuple[tuple[str, str, str, str], ...] = (
    (
        "Best Pharmacy Deals",
        "sales@pharma-deals.example",
        "https://pharma-deals.example",
        "Great article, very informative! Buy cheap pills online without prescription at "
        "https://pharma-deals.example/buy",
    ),
    (
        "Casino Bonus",
        "promo@spins.example",
        "https://spins.example",
        "Nice post. Check out my site for the best casino bonus and free spins "
        "https://spins.example",
    ),
)
