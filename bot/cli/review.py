"""policybot review: the review cards' actions from a terminal, and verified answers as YAML.

`list|show` the review items; `resolve` (the answer is right, or the policy needs an update),
`verify` (write the correct answer), `dismiss` (not a policy question) act on one as its Slack
card's buttons do (audited; the card is updated when Slack is configured); `paraphrases [--add]`
lists and accepts askers' suggested wordings; `export|import` keep the verified answers in a YAML file.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from bot.cli.app import app
from bot.cli.console import console, err_console, print_json
from bot.cli.feedback import open_stores, out
from bot.config import get_settings
from bot.review import actions
from bot.review.verified_file import export_verified, import_verified
from bot.store.reviews import Action, ReviewItem
from bot.store.stores import Stores
from bot.yaml_config import ConfigFileError

review_app = typer.Typer(help="Review 👎 answers and keep verified answers (as the Slack review cards do).", no_args_is_help=True)
app.add_typer(review_app, name="review")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
RefArg = Annotated[str, typer.Argument(help="The review's REF (CHANNEL:TS of the answer), as `review list` shows it.")]
ReviewerOpt = Annotated[str, typer.Option(help="Who reviewed it (default: $USER).")]
WHERE = "cli"


@review_app.command("list")
def list_reviews(
    state: Annotated[str, typer.Option(help="open, closed, or all.")] = "open",
    as_json: JsonOpt = False,
    limit: Annotated[int, typer.Option(min=1)] = 100,
) -> None:
    """Review items, oldest first: REF, state, when, where its card is, the question."""
    states = {"open": {"open", "policy_update", "suspended"}, "closed": {"right", "verified", "not_policy"}}.get(state)
    if states is None and state != "all":
        err_console.print(f"error: --state must be open, closed or all, not {state!r}", markup=False)
        raise typer.Exit(2)
    with open_stores() as stores:
        items = stores.reviews.list(states, limit)
    if as_json:
        print_json([i.model_dump(mode="json") for i in items])
        return
    if not items:
        console.print("No reviews.")
        return
    for item in items:
        card = f" · card in {item.review_channel}" if item.card_ts else " · no card (no review channel may see it)"
        out(f"{item.ref} · {item.state} · {_when(item.created_at)}{card}")
        out(f"  Q: {' '.join(item.question.split())[:160]}")


@review_app.command()
def show(ref: RefArg, as_json: JsonOpt = False) -> None:
    """One review in full: question, answer, sources, votes and reasons, history."""
    with open_stores() as stores:
        item = _item(stores, ref)
        votes = stores.feedback.votes_of(ref)
        reasons = stores.reasons.of(ref)
    labels = [reasons[u].label for u, v in sorted(votes.items()) if v < 0 and u in reasons]
    if as_json:
        print_json({**item.model_dump(mode="json"), "votes": votes, "reasons": labels})
        return
    console.print(f"[bold]{escape(item.ref)}[/] · {item.state} · {_when(item.created_at)}")
    console.print("[bold]Question[/]", escape(item.question), sep="\n")
    console.print("[bold]Answer[/]", escape(item.answer), sep="\n")
    for src in item.sources:
        out(f"[{src.n}] {src.title} › {src.section} ({src.source or src.doc_id}) chunk {src.chunk_id}")
    out(
        f"👍 {sum(v > 0 for v in votes.values())} · 👎 {sum(v < 0 for v in votes.values())}"
        + (f" — {'; '.join(labels)}" if labels else "")
    )
    for event in item.history:
        out(f"{_when(event.at)} {event.who} {event.action}" + (f": {event.note}" if event.note else ""))


@review_app.command()
def resolve(
    ref: RefArg,
    outcome: Annotated[
        Literal["right", "policy-update"],
        typer.Option("--as", help="right: the answer is right; policy-update: the policy needs one."),
    ] = "right",
    note: Annotated[str, typer.Option(help="What was decided.")] = "",
    reviewer: ReviewerOpt = "",
) -> None:
    """Close a review: the answer is right (its 👎 stays counted), or the policy needs an update."""
    _act(ref, "right" if outcome == "right" else "policy_update", reviewer, note)


@review_app.command()
def dismiss(ref: RefArg, note: Annotated[str, typer.Option(help="Why.")] = "", reviewer: ReviewerOpt = "") -> None:
    """Not a policy question: close it; it no longer counts as a knowledge gap."""
    _act(ref, "not_policy", reviewer, note)


@review_app.command()
def verify(
    ref: RefArg,
    answer: Annotated[str, typer.Option(help="The correct answer.")],
    source: Annotated[list[str], typer.Option(help="Chunk id it rests on (repeatable; default: the answer's sources).")] = [],  # noqa: B006
    question: Annotated[list[str], typer.Option(help="A paraphrase that should get it too (repeatable).")] = [],  # noqa: B006
    reviewer: ReviewerOpt = "",
) -> None:
    """Write the correct answer: it becomes a verified answer, served first to matching questions."""
    from bot.governance.pii import get_masker
    from bot.slack.review import registry_docs

    settings = get_settings()
    with open_stores() as stores:
        item = _item(stores, ref)
        known = {s.chunk_id: s for s in item.sources}
        unknown = [c for c in source if c not in known]
        if unknown:
            err_console.print(
                f"error: --source {unknown[0]} is not a source of {ref} (see `policybot review show`)", markup=False
            )
            raise typer.Exit(2)
        sources = [known[c] for c in source] if source else item.sources
        masker = get_masker(settings)
        verified = actions.verify(
            stores, item, masker.mask(answer), sources, reviewer=_who(reviewer), where=WHERE,
            registry_docs=registry_docs(settings), questions=[masker.mask(q) for q in question],
        )  # fmt: skip
        _refresh(stores, ref)
    console.print(f"verified answer {verified.id} for {ref}")


@review_app.command()
def paraphrases(
    add: Annotated[str | None, typer.Option(help="Add this suggestion (VERIFIED_ID|KEY, as listed) as a paraphrase.")] = None,
    reviewer: ReviewerOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """Askers' questions that an offered verified answer answered, for a reviewer to add as paraphrases."""
    from bot.review.paraphrases import accept, suggestion_key

    with open_stores() as stores:
        if add is not None:
            answer_id, bar, key = add.partition("|")
            verified = stores.verified.get(answer_id) if answer_id else None
            problem = (
                f"--add {add!r}: expected VERIFIED_ID|KEY as `policybot review paraphrases` lists it"
                if not (answer_id and bar and key)
                else f"--add: no verified answer {answer_id!r}"
                if verified is None
                else f"--add: verified answer {answer_id} has no suggestion {key!r} (already added, or never suggested)"
            )
            done = accept(stores, answer_id, key, reviewer=_who(reviewer), where=WHERE) if verified else None
            if done is None:
                err_console.print(f"error: {problem}", markup=False)
                raise typer.Exit(2)
            console.print(f"added “{escape(done[1])}” to verified answer {answer_id}")
            return
        rows = [
            {"add": f"{a.id}|{suggestion_key(q)}", "verified_question": a.questions[0], "suggested": q}
            for a in stores.verified.all()
            for q in a.suggested
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No suggested paraphrases.")
    for row in rows:
        console.print(f"[bold]{row['add']}[/bold]  “{escape(row['suggested'])}” → “{escape(row['verified_question'])}”")


@review_app.command("export")
def export(path: Path) -> None:
    """Write every verified answer to a YAML file (to keep them in git)."""
    with open_stores() as stores:
        count = export_verified(stores.verified, path)
    console.print(f"{_answers(count)} written to {path}")


@review_app.command("import")
def import_(path: Path) -> None:
    """Load verified answers from a YAML file (same id: replaced). Nothing is loaded if any entry is invalid."""
    with open_stores() as stores:
        try:
            count = import_verified(stores.verified, path)
        except ConfigFileError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
    console.print(f"{_answers(count)} imported from {path}")


def _act(ref: str, action: Action, reviewer: str, note: str) -> None:
    with open_stores() as stores:
        _item(stores, ref)
        actions.apply(stores, ref, action, _who(reviewer), WHERE, note)
        _refresh(stores, ref)
    console.print(f"{ref}: {action.replace('_', ' ')}")


def _item(stores: Stores, ref: str) -> ReviewItem:
    item = stores.reviews.get(ref)
    if item is None:
        err_console.print(f"error: no review {ref} (see `policybot review list --state all`)", markup=False)
        raise typer.Exit(1)
    return item


def _refresh(stores: Stores, ref: str) -> None:
    """Update the Slack card in place when Slack is configured (the terminal acts like a button)."""
    settings = get_settings()
    if not settings.slack_bot_token:
        return
    from bot.channels import ChannelPolicies
    from bot.slack.credentials import web_client
    from bot.slack.review import IngestDesk, refresh_card

    desk = IngestDesk(stores, ChannelPolicies.from_settings(settings), settings)
    refresh_card(desk, web_client(settings, settings.slack_bot_token), ref)


def _answers(count: int) -> str:
    return f"{count} verified answer{'s' * (count != 1)}"


def _who(reviewer: str) -> str:
    return reviewer or os.environ.get("USER") or "unknown"


def _when(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s).strftime("%Y-%m-%d %H:%M")
