"""Markdown → Slack mrkdwn, and nothing we post can ping anyone."""

import pytest

from bot.slack.mrkdwn import ZWSP, escape, link, to_mrkdwn, to_plain, truncate

PINGS = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|oncall>", "<@U0123ABCD>", "<#C123|general>"]


@pytest.mark.parametrize("ping", PINGS)
def test_special_mentions_are_escaped(ping: str) -> None:
    for render in (to_mrkdwn, to_plain, escape):
        out = render(f"hello {ping} there")
        assert "<" not in out and ">" not in out
        assert "&lt;" in out


@pytest.mark.parametrize("word", ["@channel", "@here", "@everyone", "@Channel"])
def test_bare_broadcasts_are_defanged(word: str) -> None:
    out = to_mrkdwn(f"Ping {word} now")
    assert word not in out
    assert f"@{ZWSP}{word[1:]}" in out


def test_escapes_ampersand_once() -> None:
    assert escape("R&D <team>") == "R&amp;D &lt;team&gt;"


def test_bold_headings_bullets_links() -> None:
    md = "# Leave\n**25 days** a year, *pro rata*.\n- carry over 5\n* see [the policy](https://x.example/a?b=1&c=2)"
    out = to_mrkdwn(md)
    assert out.splitlines()[0] == "*Leave*"
    assert "*25 days*" in out and "_pro rata_" in out
    assert "• carry over 5" in out
    assert "<https://x.example/a?b=1&amp;c=2|the policy>" in out


def test_citation_markers_stay_plain() -> None:
    assert to_mrkdwn("You get 25 days [1][2].") == "You get 25 days [1][2]."


def test_links_only_for_web_urls() -> None:
    assert to_mrkdwn("[click](javascript:alert(1))") == "[click](javascript:alert(1))"
    assert link("slack://channel?id=C1", "x") == "x"
    assert link("https://a.example/|<!channel>", "a|b") == "<https://a.example/%7C&lt;!channel&gt;|a¦b>"


def test_plain_fallback_strips_markup_and_limits_length() -> None:
    assert to_plain("**Bold** and [link](https://a.example)") == "Bold and link"
    long = to_plain("word " * 2000, limit=4000)
    assert len(long) <= 4000 and long.endswith("…")


def test_truncate_never_leaves_half_an_entity_or_link() -> None:
    assert truncate("ab &amp; cd", 6) == "ab…"
    assert truncate("see <https://a.example|x>", 12) == "see…"
    assert truncate("short", 10) == "short"


# (markdown, url as Slack must receive it, label as Slack must show it, plain-text fallback)
LINKS = [
    (
        "[mileage claim form](https://intranet.example/wiki/Mileage_(UK))",
        "https://intranet.example/wiki/Mileage_(UK)",
        "mileage claim form",
        "mileage claim form",
    ),
    ("[form [v2]](https://x.example/forms/[v2])", "https://x.example/forms/%5Bv2%5D", "form [v2]", "form [v2]"),
    ("[expense_policy_2025](https://x.example/a_b_c)", "https://x.example/a_b_c", "expense_policy_2025", "expense_policy_2025"),
    ("[A | B](https://x.example/a|b)", "https://x.example/a%7Cb", "A ¦ B", "A | B"),
    ("[x > y](https://x.example/q?a>b&c=1)", "https://x.example/q?a%3Eb&amp;c=1", "x &gt; y", "x &gt; y"),
    (
        "[<!channel> form](https://x.example/<!here>)",
        "https://x.example/%3C!here%3E",
        "&lt;!channel&gt; form",
        "&lt;!channel&gt; form",
    ),
]


@pytest.mark.parametrize(("markdown", "url", "label", "plain"), LINKS)
def test_links_with_brackets_parentheses_pipes_and_angles(markdown: str, url: str, label: str, plain: str) -> None:
    out = to_mrkdwn(f"See the {markdown}.")
    assert out == f"See the <{url}|{label}>."
    assert out.count("<") == out.count(">") == 1  # one well-formed link, nothing stray
    assert to_plain(f"See the {markdown}.") == f"See the {plain}."


def test_links_inside_quotes_and_lists_and_emphasis_around_them() -> None:
    md = "> Claim with the [mileage form](https://x.example/Mileage_(UK)) [1]\n\n- **see [the (old) policy](https://x.example/p_(old))**"
    out = to_mrkdwn(md)
    assert "&gt; Claim with the <https://x.example/Mileage_(UK)|mileage form> [1]" in out
    assert "• *see <https://x.example/p_(old)|the (old) policy>*" in out
