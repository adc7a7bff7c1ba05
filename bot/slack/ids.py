"""Every Slack identifier the app registers or matches on, in one place.

Listeners, block builders, the manifest test and the fake Slack server all import these, so a
renamed button or command cannot silently stop matching.
"""

from __future__ import annotations

SOURCES_BUTTON = "policybot_show_sources"  # action id of the "Sources" button under an answer
HANDOFF_BUTTON = "policybot_still_need_help"  # action id of the "Still need help?" button under an answer
RELATED_BUTTON = "policybot_show_related"  # "Show the verified answer" of a similar question, under an answer
RELATED_CONFIRM = "policybot_related_answers_mine"  # "It answers my question" under it (value = the answer's ref)
PARAPHRASE_ACCEPT = "policybot_paraphrase_accept"  # "Add as a paraphrase" (value = "verified id|suggestion key")
HOME_VIEW = "policybot_home"  # callback id of the App Home view

SOURCES_COMMAND = "/policy-sources"
ASK_SHORTCUT = "policybot_ask_about_message"  # callback id of the message shortcut

EYES = "eyes"  # the "working on it" reaction

# Reaction names (without skin tone) that rate an answer, and the vote each one casts.
VOTE_REACTIONS: dict[str, int] = {"+1": 1, "thumbsup": 1, "-1": -1, "thumbsdown": -1}

ASSISTANT_STATUS = "is looking through the policies…"

# 👎 reasons: one button per reason (action id = prefix + reason code, value = the answer's ref);
# "Other…" opens the modal below.
REASON_ACTION_PREFIX = "policybot_reason:"
REASON_MODAL = "policybot_reason_other"

# Review cards in an owner's review channel (button value = the answer's ref).
REVIEW_RIGHT = "policybot_review_right"
REVIEW_WRITE = "policybot_review_write"
REVIEW_POLICY_UPDATE = "policybot_review_policy_update"
REVIEW_NOT_POLICY = "policybot_review_not_policy"
VERIFY_MODAL = "policybot_verify"  # "Write the correct answer" modal

# Jobs: the work listeners hand off after the ack (`bot.slack.jobs` runs them on a worker).
JOB_ANSWER = "answer"  # payload: a SlackQuestion as JSON (bot.slack.wire)
JOB_SHORTCUT = "ask_shortcut"  # the message shortcut: open the DM, say what was asked, answer
JOB_NOTICE = "notice"  # one ephemeral line to one person (e.g. "the bot is off in this channel")
JOB_HOME = "home"  # publish the App Home tab
JOB_GREETING = "assistant_greeting"  # the assistant panel's greeting and suggested prompts
JOB_SOURCES_COMMAND = "sources_command"
JOB_SOURCES_BUTTON = "sources_button"
JOB_HANDOFF = "handoff"
JOB_RELATED_BUTTON = "related_button"
JOB_RELATED_CONFIRM = "related_confirm"  # the asker says the offered verified answer answers their question
JOB_PARAPHRASE_ACCEPT = "paraphrase_accept"  # a reviewer adds the asker's question as a paraphrase
JOB_AFTER_VOTE = "after_vote"  # the 👎 reason prompt and the review card
JOB_REASON = "reason"  # a reason button pressed
JOB_REASON_TEXT = "reason_text"  # the "Other…" modal submitted
JOB_CARD_ACTION = "card_action"  # a review-card button (not "Write the correct answer")
JOB_VERIFY_MODAL = "verify_modal"  # fill the opened "Write the correct answer" modal
JOB_VERIFY = "verify"  # the "Write the correct answer" modal submitted
JOB_GAP_DIGEST = "gap_digest"  # the knowledge-gap digests (sent by Celery beat on GAP_DIGEST_SCHEDULE)
