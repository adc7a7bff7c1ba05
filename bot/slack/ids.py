"""Every Slack identifier the app registers or matches on, in one place.

Listeners, block builders, the manifest test and the fake Slack server all import these, so a
renamed button or command cannot silently stop matching.
"""

from __future__ import annotations

SOURCES_BUTTON = "policybot_show_sources"  # action id of the "Sources" button under an answer
HANDOFF_BUTTON = "policybot_still_need_help"  # action id of the "Still need help?" button under an answer
HOME_VIEW = "policybot_home"  # callback id of the App Home view

SOURCES_COMMAND = "/policy-sources"
ASK_SHORTCUT = "policybot_ask_about_message"  # callback id of the message shortcut

EYES = "eyes"  # the "working on it" reaction

# Reaction names (without skin tone) that rate an answer, and the vote each one casts.
VOTE_REACTIONS: dict[str, int] = {"+1": 1, "thumbsup": 1, "-1": -1, "thumbsdown": -1}

ASSISTANT_STATUS = "is looking through the policies…"
