"""Issue 13 items 2 and 3: masking keeps business data, and names are masked in the forms people write.

Real Presidio, offline; the names list holds fictional people.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.governance.pii import PiiMasker

NO_COMPANY_FILE = Path(__file__).with_name("no-company.yaml")  # absent: the product defaults, an empty allow-list


@pytest.fixture(scope="module")
def masker(tmp_path_factory: pytest.TempPathFactory) -> PiiMasker:
    names = tmp_path_factory.mktemp("names") / "names.txt"
    names.write_text("Marek Dvořák\nZoë Łukasik-Brandt\n", encoding="utf-8")
    return PiiMasker(Settings(_env_file=None, pii_names_file=names, spacy_model=None, company_file=NO_COMPANY_FILE))


@pytest.mark.parametrize(
    "text",
    [
        "From 01.07.2025 the mileage rate for private cars is 0.45 EUR per km.",
        "Dates: 2025-07-01, 07/01/2025, 1.7.2025, 2025.07.01, 01-07-2025 and 31/12/2025.",
        "The group insurance policy number is 4471 2290 1183.",
        "Quote policy no. 4471 2290 1183 when you claim.",
        "Claim reference CLM-2025-004417 was approved; contract no. 2024/118-77 is renewed.",
        "Open ticket INC0012345 or HR-1234 in the service desk.",
        "Charge it to cost centre 4410 2200 33 (cost center 44102200).",
        "Upgrade the VPN client to version 10.2.0.1 (v2.3.1) before 15.03.2026.",
        "Purchase order 4500123456 covers invoice 20250117-88.",
    ],
)
def test_business_data_survives(masker: PiiMasker, text: str) -> None:
    assert masker.mask(text) == text
    assert masker.mask_documents([text]) == [(text, [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 4471 2290 1183 after five.", "Call me on <PHONE> after five."),  # same digits, a phone word
        ("My mobile is 0688 872 49 99, policy 4471 2290 1183", "My mobile is <PHONE>, policy 4471 2290 1183"),
        ("Paris 01 42 68 53 00 works", "Paris <PHONE> works"),  # grouped as a phone number: no word needed
        ("Reach me at (212) 555-7391 from 01.07.2025", "Reach me at <PHONE> from 01.07.2025"),
        ("my bank account 123456789012 at Chase", "my bank account <BANK_ACCOUNT> at Chase"),
    ],
)
def test_personal_numbers_are_still_masked(masker: PiiMasker, text: str, expected: str) -> None:
    assert masker.mask(text) == expected


@pytest.mark.parametrize(
    "written",
    [
        "Marek Dvořák",
        "Marek Dvorak",
        "MAREK DVORAK",
        "Dvorak, Marek",
        "Dvořák Marek",
        "M. Dvořák",
        "M Dvorak",
        "Dvorak, M.",
        "Marek D.",
        "Mr Dvorak",
        "Dr. Dvořák",
        "Zoe Lukasik-Brandt",
        "Z. Łukasik-Brandt",
        "Lukasik-Brandt, Zoë",
    ],
)
def test_listed_names_are_masked_in_the_forms_people_write(masker: PiiMasker, written: str) -> None:
    assert masker.mask(f"Please ask {written} about it.") == "Please ask <PERSON> about it."


def test_name_forms_do_not_reach_other_words(masker: PiiMasker) -> None:
    text = "A dvorak keyboard; Marek. Dvorak is a layout; Dvořák alone; m dvorak; Marek Dvořáková"
    assert masker.mask(text) == text


def test_pseudonymized_question_keeps_no_unaccented_name(masker: PiiMasker) -> None:
    masked, mapping = masker.pseudonymize("Is Marek Dvorak (Dvorak, Marek) on leave?")
    assert masked == "Is <PERSON_1> (<PERSON_2>) on leave?"
    assert set(mapping.values()) == {"Marek Dvorak", "Dvorak, Marek"}


def test_documents_keep_business_terms_that_ner_reads_as_names(tmp_path: Path) -> None:
    ner = PiiMasker(Settings(_env_file=None, company_file=NO_COMPANY_FILE))  # default settings: NER on
    assert ner.ner_enabled
    doc = (
        "# Sick Leave\n\n"
        "Report sick leave in Workday. Our broker contact is Halvard Quennell (mobile +1 312 555 0143).\n\n"
        "Book trips in Navan and join from Zoom Rooms; rooms are booked in Outlook."
    )
    [(masked, spans)] = ner.mask_documents([doc])
    assert "Halvard Quennell" not in masked and "<PERSON>" in masked and "<PHONE>" in masked
    for term in ("# Sick Leave", "Workday", "Navan", "Zoom Rooms", "Outlook"):
        assert term in masked
    assert [(s.entity_type, doc[s.start : s.end]) for s in spans] == [
        ("PERSON", "Halvard Quennell"),
        ("PHONE_NUMBER", "+1 312 555 0143"),
    ]
