"""Thread etiquette: which replies in a thread the bot answered in are meant for the bot.

People keep talking in the bot's threads: to each other ("<@U…> can you approve this?") and to
say thanks. Only a reply that asks something of nobody else, and is more than an
acknowledgement, is a follow-up question for the bot.
"""

from __future__ import annotations

import re
import unicodedata

from bot.slack.request import mentioned_users

# `<!subteam^S…>`, `<!here>`, `<!channel>`, `<!everyone>`: addressed to people, not to the bot.
_PEOPLE_BROADCAST = re.compile(r"<!(subteam\^[A-Z0-9]+|here|channel|everyone)(\|[^>]*)?>")
_SHORTCODE = re.compile(r":[a-z0-9_+'-]+:")  # Slack emoji, e.g. :+1: or :pray::skin-tone-2:
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words that only acknowledge ("thanks a lot!", "ok got it", "perfect, that helps").
ACKNOWLEDGEMENT_WORDS = frozenset(
    [
        "thanks",
        "thank",
        "you",
        "thx",
        "ty",
        "tysm",
        "tyvm",
        "cheers",
        "ta",
        "much",
        "so",
        "very",
        "a",
        "lot",
        "lots",
        "many",
        "ok",
        "okay",
        "k",
        "kk",
        "alright",
        "all",
        "right",
        "sure",
        "yes",
        "yep",
        "yeah",
        "yup",
        "great",
        "perfect",
        "cool",
        "nice",
        "awesome",
        "excellent",
        "brilliant",
        "lovely",
        "good",
        "super",
        "fab",
        "fantastic",
        "amazing",
        "wonderful",
        "helpful",
        "got",
        "it",
        "that",
        "this",
        "makes",
        "sense",
        "understood",
        "noted",
        "clear",
        "helps",
        "helped",
        "will",
        "do",
    ]
)


def addressed_to_others(text: str, bot_user_id: str) -> bool:
    """True when the message mentions a person or group other than the bot."""
    return any(user != bot_user_id for user in mentioned_users(text)) or bool(_PEOPLE_BROADCAST.search(text))


def is_acknowledgement(text: str) -> bool:
    """True for "thanks!", "ok", "👍", ":+1: got it, thanks a lot" — nothing to answer.

    A question mark, or any word outside `ACKNOWLEDGEMENT_WORDS`, makes it a message to answer.
    """
    if "?" in text:
        return False
    rest = _SHORTCODE.sub(" ", text.lower())
    words = _WORD.findall(rest)
    leftover = _WORD.sub(" ", rest)
    symbols_only = all(c.isspace() or unicodedata.category(c)[0] in "PSZC" for c in leftover)  # emoji are "So"
    return symbols_only and all(w in ACKNOWLEDGEMENT_WORDS for w in words)


def is_followup_for_bot(text: str, bot_user_id: str) -> bool:
    """Whether a reply (no mention of the bot) in the bot's thread should be answered."""
    return not addressed_to_others(text, bot_user_id) and not is_acknowledgement(text)
