"""Build the question workflow for this process."""

from __future__ import annotations

from bot.answer.service import PolicyService, build_service
from bot.assist.workflow import Assist
from bot.config import Settings
from bot.core.masking import Masker
from bot.governance.pii import get_masker
from bot.review.verified import VerifiedLookup
from bot.store.stores import Stores
from bot.variants.assign import Variants


def build_assist(
    settings: Settings,
    *,
    service: PolicyService | None = None,
    stores: Stores | None = None,
    masker: Masker | None = None,
) -> Assist:
    """The workflow over this process's service (the embedding model loads once), masker and Redis."""
    service = service or build_service(settings)
    company = service.company
    stores = stores or Stores.from_settings(settings)
    return Assist(
        settings=settings,
        company=company,
        service=service,
        sensitive=service.sensitive,  # one detector per process: the service's, topic vectors embedded once
        masker=masker or get_masker(settings),
        stores=stores,
        verified=VerifiedLookup.for_service(stores.verified, service, settings),
        variants=Variants(settings.variants_file),
    )
