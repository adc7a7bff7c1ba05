"""How an answer's Markdown reads in a terminal (`policybot ask` and `chat`)."""

from __future__ import annotations

from bot.cli.console import markdown_text


def test_emphasis_is_shown_as_style_not_as_its_markers() -> None:
    """A document's "**Time Off > Sick**" was printed with its asterisks; the quote's "> ", a list item's "- " and
    the citation "[1]" are kept as they are."""
    text = markdown_text("> Record it in Workday under **Time Off > Sick** on the day. [1]\n> - a *lost* laptop; [2]")
    assert text.plain == "> Record it in Workday under Time Off > Sick on the day. [1]\n> - a lost laptop; [2]"
    bold = next(span for span in text.spans if span.style == "bold")
    assert text.plain[bold.start : bold.end] == "Time Off > Sick"
    assert any(span.style == "italic" and text.plain[span.start : span.end] == "lost" for span in text.spans)


def test_a_link_keeps_its_address_and_other_text_is_verbatim() -> None:
    text = markdown_text("> Use [the mileage form](https://intranet.example/Mileage_(UK)) for <PERSON> & co. [3]")
    assert text.plain == "> Use the mileage form (https://intranet.example/Mileage_(UK)) for <PERSON> & co. [3]"


def test_an_autolink_shows_its_address_once() -> None:
    text = markdown_text("> Write to <mailto:hr@northwind.example> or see <https://intranet.example/hr>. [1]")
    assert text.plain == "> Write to mailto:hr@northwind.example or see https://intranet.example/hr. [1]"
