"""`policybot gaps [--days 7] [--json] [--min-people N] [--post]`: what people asked that no policy answers."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.app import app
from bot.cli.console import console, err_console, print_json
from bot.cli.feedback import open_stores, out
from bot.config import get_settings


@app.command()
def gaps(
    days: Annotated[float, typer.Option(min=0.01, help="Look back this many days.")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    min_people: Annotated[int, typer.Option(min=1, help="Only topics asked about by at least this many people.")] = 1,
    post: Annotated[
        bool,
        typer.Option(
            "--post", help="Also post the digest to each owner's review channel now (workers send it on GAP_DIGEST_SCHEDULE)."
        ),
    ] = False,
) -> None:
    """Knowledge gaps: abstentions and "didn't answer my question" 👎s, grouped by topic, most people first."""
    from bot.answer.service import build_service
    from bot.review.gaps import find_gaps

    settings = get_settings()
    service = build_service(settings)  # its embedding model clusters the questions; its index routes digests
    with open_stores() as stores:
        found = find_gaps(stores, service.embeddings, days=days, distance=settings.gap_distance, min_people=min_people)
        posted = _post(settings, stores, service, found, days) if post else {}
    if as_json:
        print_json(
            [{"topic": g.topic, "people": g.people, "samples": g.samples, "refs": [q.ref for q in g.questions]} for g in found]
        )
    elif not found:
        console.print(f"No knowledge gaps in the last {days:g} days.")
    for gap in [] if as_json else found:
        out(
            f"{gap.people} {'person' if gap.people == 1 else 'people'} asked about {gap.topic} in the last {days:g} days; no policy covers it"
        )
        for sample in gap.samples:
            out(f"  · {sample}")
        out(f"  write a verified answer: policybot review verify {gap.representative.ref} --answer '…'")
    for channel, count in posted.items():
        err_console.print(f"posted {count} gap(s) to {channel}", markup=False)


def _post(settings, stores, service, found, days: float) -> dict[str, int]:
    from bot.channels import ChannelPolicies
    from bot.slack.credentials import web_client
    from bot.slack.review import IngestDesk, post_gap_digests

    if not settings.slack_bot_token:
        err_console.print("error: --post needs SLACK_BOT_TOKEN", markup=False)
        raise typer.Exit(2)
    desk = IngestDesk(stores, ChannelPolicies.from_settings(settings), settings)
    return post_gap_digests(desk, web_client(settings, settings.slack_bot_token), service, found, days)
