"""Quotes that answer (not only resemble) the question, abstention on uncovered topics, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answer.answer_type import asked_kinds, carries, in_its_range, names_amount, wanted_kind
from bot.answer.calibration import CONFIDENCE_VERSION, calibrated_threshold
from bot.answer.extractive import not_an_answer
from bot.answer.lexical import content_terms, un_forms
from bot.answer.question_text import SpellingCorrector, model_lexicon, restore_apostrophes, strip_introduction
from bot.answer.service import PolicyService
from bot.answer.tables import asks_for_key_column
from bot.answer.text_units import split_units
from bot.config import Settings
from bot.eval.calibrate import SweepRow, calibrate, choose, sweep, write_calibration
from bot.eval.dataset import load_dataset
from bot.retrieval.embeddings import model_path
from bot.retrieval.synonyms import idiom_words


@pytest.fixture(scope="module")
def service(kb_settings: Settings) -> PolicyService:
    return PolicyService(kb_settings)


def test_city_without_a_row_gets_the_other_cities_row_not_new_york(service):
    result = service.ask("per diem for hotel and food in Denver")
    assert "Other US cities" in result.answer and "Lodging cap per night: 200" in result.answer
    assert "New York" not in result.answer


def test_row_whose_key_names_the_thing_asked_leads(service):
    result = service.ask("are books covered by the learning budget?")
    assert result.answer.startswith("> Expense: Books and e-books")


def test_a_small_table_is_quoted_whole_when_the_question_names_none_of_its_rows(service):
    """ "how much notice" depends on the length of service: every row, in the document's order; with the length
    of service asked, only its row (the others were padding)."""
    rows = [ln for ln in service.ask("if I quit how much notice do i have to give").answer.splitlines() if "Notice period:" in ln]
    assert [r.split("Notice period: ")[1].split(" [")[0] for r in rows] == ["1 week", "4 weeks", "6 weeks", "8 weeks"]
    named = service.ask("What is my notice period if I've been here 3 years?").answer
    assert "Notice period: 6 weeks" in named and "8 weeks" not in named and "4 weeks" not in named


def _quoted_keys(answer: str, column: str) -> list[str]:
    return [ln.split(f"{column}: ")[1].split(" · ")[0] for ln in answer.splitlines() if f"> {column}: " in ln]


@pytest.mark.parametrize(
    ("question", "column", "keys"),
    [
        # words that are the table's topic ("data", "incident" in its title) name no row
        ("what are the data classification levels?", "Level", ["Public", "Internal", "Confidential", "Restricted"]),
        ("what are the stages of an incident?", "Stage", ["Security acknowledges the report"]),
        # the key column named: a table longer than 8 rows is still the answer, and it leads over a sentence
        ("what holidays do we get in 2026?", "Holiday", ["New Year's Day", "Labor Day", "Christmas Day"]),
        ("what holidays do we get?", "Holiday", ["New Year's Day", "Labor Day", "Christmas Day"]),
        # a table of another document than the lead sentence's ("The list of … holidays is published each year…")
        ("list the public holidays this year", "Holiday", ["New Year's Day", "Labor Day", "Christmas Day"]),
        # the calendar's chunk ranks below the chunks read: it is looked up for the column asked
        ("which public holidays are there in 2026", "Holiday", ["New Year's Day", "Labor Day", "Christmas Day"]),
        # the table's own heading named ("4. Per-diem rates"): every city
        ("what are the per diem rates?", "City", ["New York", "Tokyo", "Other international cities"]),
        # "all"/"each": every row, although "cities" and "cardholder" are words of some rows' keys
        ("what are the per diem rates for all the cities?", "City", ["New York", "Tokyo", "Other US cities"]),
        ("list all the per diem rates", "City", ["New York", "Tokyo", "Other US cities"]),
    ],
)
def test_a_question_asking_for_the_whole_table_gets_every_row_once(service, question, column, keys):
    answer = service.ask(question).answer
    quoted = _quoted_keys(answer, column)
    assert set(keys) <= set(quoted) and len(quoted) == len(set(quoted)) >= 4
    assert answer.startswith(f"> {column}: ")  # the table leads
    assert answer.count("[1]") == 1  # the rows are one quote: one marker


def test_an_open_question_asks_for_a_column_only_by_its_plural():
    assert asks_for_key_column("list the public holidays this year", "| Holiday | Date | Day |")
    assert asks_for_key_column("what are the data classification levels?", "| Level | Description |")
    assert not asks_for_key_column("what do I need to bring on my first day", "| Need | Contact |")
    assert not asks_for_key_column("what pin length does my phone need", "| Length of service | Notice period |")
    assert not asks_for_key_column("what is the mileage rate", "| Rating | Label | Meaning |")


def test_a_table_whose_heading_is_asked_leads_over_a_sentence_sharing_a_word(service):
    """ "Splitting a purchase into smaller orders to avoid a threshold…" shares "threshold" and led; the question
    names the table's heading ("4. Approval thresholds")."""
    answer = service.ask("what are the approval thresholds for purchases?").answer
    assert "Up to $2,500" in answer.split("\n")[1] and "Above $250,000" in answer
    assert answer.index("Above $250,000") < answer.index("Splitting a purchase")


def test_a_word_of_the_column_names_does_not_name_a_row(service):
    """ "trip" is in the coverage table's "Maximum per person per trip": it named the "Trip cancellation" row, which
    led "can my wife come on the trip…" and "…if I die on a business trip"; "this year" named "New Year's Day"."""
    wife = service.ask("can my wife come on the trip and be covered by the travel insurance").answer
    assert wife.startswith("> Family members travelling with you are not covered.") and "Trip cancellation" not in wife
    death = service.ask("will insurance pay out if I die on a business trip").answer
    assert "Personal accident (death" in death and "Trip cancellation" not in death
    assert service.ask("what day is the 4th of July holiday this year?").answer.startswith("> Holiday: Independence Day")


@pytest.mark.parametrize(
    ("question", "row", "absent"),
    [
        ("what's the per diem rate in Denver?", "Other US cities", "New York"),  # the heading named, but a city too
        ("can my learning budget pay for an MBA?", "University degree programs", "Coursera"),  # a closed question
    ],
)
def test_a_row_standing_for_the_thing_asked_is_not_replaced_by_its_table(service, question, row, absent):
    answer = service.ask(question).answer
    assert answer.startswith(f"> {answer.split(': ')[0][2:]}: {row}") and absent not in answer


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("who approves 10000 dollars of software", "$2,500.01 to $10,000"),
        ("who approves a 10k USD contract", "$2,500.01 to $10,000"),
        ("a USD 40,000 purchase", "$10,000.01 to $50,000"),
        ("who signs off on 5 grand", "$2,500.01 to $10,000"),
        ("more than 2,500 bucks", "$2,500.01 to $10,000"),
    ],
)
def test_an_amount_typed_without_a_dollar_sign_is_an_amount(question, row):
    assert names_amount(question) and in_its_range(question, f"| {row} | Budget owner |")


def test_an_amount_or_more_holds_larger_amounts_only():
    rule = "Itemised receipts are required for every expense of $25 or more."
    assert in_its_range("do I need a receipt for a $40 taxi?", rule) and in_its_range("a $25 lunch", rule)
    assert not in_its_range("a $20 taxi", rule)


def test_a_number_that_is_not_money_is_no_amount():
    assert not names_amount("can I expense a 4k monitor") and not names_amount("is 10000 steps a day required")


def test_amount_asked_reaches_the_row_whose_range_holds_it(service):
    """ "an $8k tool": the approval thresholds table ranks below the 4 chunks read (neither search matches "$8k"),
    so the chunk whose table row holds $8,000 is read too, and that row leads."""
    lead = service.ask("I need to buy an $8k software tool, who approves it?").answer.splitlines()[0]
    assert "$2,500.01 to $10,000" in lead and "Budget owner and Procurement" in lead
    assert service.ask("who needs to approve a $40,000 purchase").answer.startswith(
        "> Total contract value: $10,000.01 to $50,000"
    )
    above = service.ask("who approves a purchase above $250,000").answer  # not the row ending at $250,000
    assert above.startswith("> Total contract value: Above $250,000"), above
    exceeds = service.ask("what if the contract exceeds $10,000").answer
    assert exceeds.startswith("> Total contract value: $10,000.01 to $50,000"), exceeds
    dollars = service.ask("who approves a purchase over 10000 dollars").answer  # an amount typed without "$"
    assert dollars.startswith("> Total contract value: $10,000.01 to $50,000"), dollars
    at_most = service.ask("who approves a purchase of no more than $2,500").answer  # "no more than" is no "above"
    assert at_most.startswith("> Total contract value: Up to $2,500"), at_most
    small = service.ask("who approves a $800 purchase").answer  # "Up to $2,500" holds it; the other rows do not pad
    assert small.startswith("> Total contract value: Up to $2,500") and "$2,500.01 to $10,000" not in small
    # "more than 12 hours" is no amount of money: a $250 gift is not matched to the baggage-delay row
    gift = service.ask("A vendor wants to give me concert tickets worth $250, can I accept?").answer
    assert "Anything above $100 must be declined" in gift.splitlines()[0]


def test_a_time_said_in_words_answers_when(service):
    """ "immediately", "the next payroll run" carry no digit but answer "when" / "how long"; "paid back" is the
    product-default synonym of "reimbursed"."""
    assert service.ask("when does the 401k match vest?").answer.startswith("> Company matching contributions vest immediately")
    assert "reimbursed in the next payroll run" in service.ask("how long till i get my expenses paid back").answer


def test_a_procedure_asked_for_is_quoted_step_by_step(service):
    """A numbered procedure without a lead-in (as in PDF handbooks): "what is the procedure…" gets every step in
    order, not step 1 alone; a question that asks one thing gets what answers it."""
    from langchain_core.documents import Document

    from bot.answer.answerer import DraftRequest
    from bot.retrieval.hybrid import Hit

    body = (
        "Handbook › Confidentiality › Procedures\n"
        "1. All employees must sign the confidentiality agreement during orientation.\n"
        "2. Two copies of the agreement are made: one for the employee, one for the personnel file.\n"
        "3. The signed agreement is reviewed every year at the performance review.\n"
        "Breaches of confidentiality may lead to discipline."
    )
    hit = Hit(Document(page_content=body, metadata={"doc_id": "handbook.pdf", "section": "Procedures"}, id="c1"))

    def quotes(question: str) -> list[str]:
        request = DraftRequest(question, question, [], [hit], service.embeddings.embed_query(question))
        return service.extractive.draft(request).cited[0][1]

    steps = quotes("What is the procedure for signing the confidentiality agreement?")
    assert [q[:2] for q in steps[:3]] == ["1.", "2.", "3."]
    assert quotes("How many copies of the confidentiality agreement are made?")[0].startswith("2. Two copies")


def test_a_sentence_about_the_document_answers_only_what_the_document_is_for(service):
    """ "This policy summarises what the insurance covers, what it does not cover…" names every topic and answers
    none: it no longer pads an answer, but still answers a question about the policy's purpose."""
    meta = "This policy summarises what the group business travel insurance covers"
    assert meta not in service.ask("What's the emergency number for travel insurance when I'm abroad?").answer
    assert service.ask("what is the purpose of the travel insurance policy").answer.startswith(f"> {meta}")


def test_who_to_call_is_answered_with_a_number_to_call(service):
    """ "who do I call…" wants a phone number: not "you do not need to tell your manager the reason" (a contact of
    a kind, nothing to dial); "biz" is the product-default synonym of "business"; "on-call" asks for no number."""
    lead = service.ask("who do I call if I get sick on a biz trip abroad").answer.splitlines()[0]
    assert "Meridian Assist on +1 555 0177" in lead
    assert "phone" not in asked_kinds("what is the on-call pay rate?")


def test_general_rule_leads_when_no_special_case_is_asked(service):
    """The README's demo: the 25-day allowance, not the long-service extra days, comes first."""
    assert service.ask("How many days of annual leave do I get?").answer.startswith("> Full-time employees accrue 25 days")


def test_length_of_service_picks_the_row_whose_span_holds_it(service):
    result = service.ask("if I resign after 3 years how much notice do I give")
    assert result.answer.startswith("> Length of service: 2 years to less than 5 years · Notice period: 6 weeks")


def test_shared_words_without_the_key_word_abstain(service):
    """The floating-holiday and replacement-day sentences share "days off" but say nothing about birthdays."""
    birthday = service.ask("do we get extra days off on our birthday?")
    floating = service.ask("how many floating holidays do we get?")
    assert birthday.abstained and not floating.abstained and "2 floating holidays" in floating.answer
    assert birthday.confidence < floating.confidence


def test_negated_rule_is_quoted_for_a_negated_question(service):
    result = service.ask("should I turn off my laptop if I think it has malware")
    assert "disconnect it from the network" in result.answer


def test_a_self_introduction_does_not_change_the_answer_or_lower_confidence(service):
    plain = service.ask("how many days of annual leave do I get?")
    introduced = service.ask("Hi, I'm Dana from sales, how many days of annual leave do I get?")
    assert introduced.answer == plain.answer and introduced.confidence == pytest.approx(plain.confidence, abs=0.01)


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("Hi, I'm Dana from sales, how many vacation days?", "how many vacation days?"),
        ("hello! this is Sam Lee (finance) - can I expense a taxi?", "can I expense a taxi?"),
        ("hey there, quick question: what's the hotel cap in London?", "what's the hotel cap in London?"),
        ("my name is dana, how many vacation days?", "how many vacation days?"),
        # what the asker says about themselves is kept: it changes the answer
        ("I'm pregnant, how much leave do I get?", "I'm pregnant, how much leave do I get?"),
        ("Hi, I'm a manager, can I approve my own expenses?", "I'm a manager, can I approve my own expenses?"),
        ("It's Friday, can I wear jeans?", "It's Friday, can I wear jeans?"),
    ],
)
def test_strip_introduction_drops_greetings_and_names_only(question, searched):
    assert strip_introduction(question) == searched


def test_typos_of_document_words_are_corrected_and_real_words_left_alone():
    corrector = SpellingCorrector(
        ["Annual leave (vacation) requests", "reimbursement of expenses", "counseling sessions", "new joined", "route"],
        model_lexicon(model_path(None)),
    )
    assert corrector.correct("how many vaction days, reimbursment of expences?") == (
        "how many vacation days, reimbursement of expenses?"
    )
    assert corrector.correction("counselling") == "counseling"  # British spelling of the documents' word
    # real words the documents do not use are not "typos" of words they do use
    for word in ["looks", "dog", "commuting", "joiner", "router"]:
        assert corrector.correction(word) is None, word


def test_an_acronym_the_documents_never_use_is_searched_with_the_name_it_spells():
    corrector = SpellingCorrector(
        ["Martin Luther King Jr. Day is a holiday.", "Employee Relations (ER) handles cases."], model_lexicon(model_path(None))
    )
    assert corrector.correct("when is MLK day") == "when is MLK (Martin Luther King) day"
    assert corrector.correct("is an ER case urgent? is it OK?") == "is an ER case urgent? is it OK?"  # ER is used; OK is a word


def test_a_holiday_asked_by_its_initials_is_answered(service):
    result = service.ask("when is MLK day this year")
    assert not result.abstained and "January 19, 2026" in result.answer


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("my partner is having a baby, how much time off do I get", "8 weeks"),
        ("my wife is pregnant, how much leave do I get?", "16 weeks"),
        ("we're adopting a child, how much leave do I get?", "16 weeks"),
    ],
)
def test_a_life_event_named_instead_of_the_leave_reaches_the_parental_leave_policy(service, question, weeks):
    """It abstained (confidence 0.37): none of "partner", "baby", "time off" is a word of the parental-leave policy."""
    result = service.ask(question)
    assert not result.abstained and f"{weeks} of paid parental leave" in result.answer


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # "pto" adds five policy words ("annual leave paid time off"): counted 1 each, they outweighed "carry over"
        ("can I carry over unused pto?", "> You may carry over a maximum of 5 unused days"),
        ("I work 3 days a week, how much PTO do I get?", "> For example, an employee contracted for 3 days per week"),
        # an acronym's spelled-out name is its own words
        ("How much does the company put into my HSA?", "> Employees enrolled in the HDHP receive a company contribution"),
    ],
)
def test_a_synonym_counts_about_as_much_as_the_words_it_stands_for(service, question, lead):
    assert service.ask(question).answer.startswith(lead)


def test_chat_contractions_without_an_apostrophe_read_as_with_it(service):
    """ "whats the IT helpdesk phone number" abstained (0.35) where "what's…" was answered."""
    assert (
        restore_apostrophes("whats up, im sick and dont know. Whats next?") == "what's up, I'm sick and don't know. What's next?"
    )
    assert restore_apostrophes("I feel ill, its id is wont") == "I feel ill, its id is wont"  # words in their own right
    result = service.ask("whats the IT helpdesk phone number")
    assert not result.abstained and "+1 555 0100" in result.answer


@pytest.mark.parametrize(
    ("question", "lead", "absent"),
    [
        # a "lost phone" asks no phone number; "how fast" asks a time
        ("how fast do i need to report a lost phone", "> Lost or stolen devices and suspected compromise", "+1 555 0100"),
        ("how fast do I have to report a phishing email i clicked on", "> Lost or stolen devices and suspected", None),
        # thousands before what is bought are money: the row whose range holds them, alone
        ("what approvals do i need for a 7k contract", "> Total contract value: $2,500.01 to $10,000", "Up to $2,500"),
        # a vendor is the policy's business partner; "wine" (alcohol) is not what the gift rule is about
        ("can i accept a $150 bottle of wine from a vendor", "> You may accept gifts or hospitality", None),
        # a yes/no question about a stipend asks whether, not how much
        ("I have a company phone, can I still get the phone stipend?", "> Employees who receive a company-issued phone", None),
    ],
)
def test_everyday_questions_from_a_new_users_trial_lead_with_the_clause_that_answers(service, question, lead, absent):
    answer = service.ask(question).answer
    assert answer.startswith(lead)
    assert absent is None or absent not in answer


def test_a_question_asking_what_is_not_allowed_is_not_padded_with_what_is(service):
    answer = service.ask("what is NOT reimbursed on business trips").answer
    assert answer.startswith("> The following are not reimbursed:") and "$0.70 per mile" not in answer
    # "without" states a condition: the sole-source rule still answers
    assert "Sole Source Justification" in service.ask("Can I buy from a single supplier without getting quotes?").answer


def test_the_kind_asked_is_read_from_what_the_question_asks_not_a_noun_it_names():
    assert "phone" not in asked_kinds("how fast do i need to report a lost phone")
    assert asked_kinds("whats the IT helpdesk phone number")[0] == "phone"
    assert asked_kinds("I lost my phone, who do I call?")[0] == "phone"
    assert names_amount("a 7k contract") and not names_amount("two 4k monitors")


def test_a_typo_still_reaches_the_policy(service):
    result = service.ask("how many vaction days do I get")
    assert not result.abstained and "25 days of paid annual leave" in result.answer


def test_a_list_item_is_quoted_with_the_sentence_that_introduces_the_list(service):
    result = service.ask("who do I tell if I lost my laptop?")
    assert (
        "> Report anything that might be a security incident, even if you are not sure. Examples:\n> - a lost or stolen laptop"
        in (result.answer)
    )


def test_a_short_lead_in_that_states_the_rule_is_quoted_with_its_item(service):
    """ "You must not:" is four words, yet without it "- install software … without IT approval;" reads as a
    permission (a label such as "Procedures:" is still left out)."""
    answer = service.ask("can i install software that isnt in self service").answer
    assert answer.startswith("> You must not:\n> - install software that is not in the Self Service catalogue"), answer


def test_a_lead_in_sentence_is_never_quoted_without_its_list(service):
    result = service.ask("can I get fired for reporting harassment")
    lines = result.answer.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip(" [0123456789]").endswith(":"):
            assert i + 1 < len(lines) and lines[i + 1].startswith("> -"), result.answer


def test_a_sentence_introducing_a_table_is_quoted_with_its_table_or_not_at_all(service):
    """ "The table below shows which learning expenses are eligible." said nothing on its own, yet was quoted after the
    row asked ("are books covered…"); it is now a lead-in unit with its rows, and a row already quoted is not
    quoted again in its table."""
    units = split_units(
        "Intro. The table below shows the benefits. Amounts are in US dollars.\n| Benefit | Max |\n|---|---|\n"
        "| Medical | $1,000 |\n| Baggage | $500 |\nAfter the table."
    )
    assert [(u.kind, u.text.split("\n")[0]) for u in units] == [
        ("sentence", "Intro."),
        ("lead", "The table below shows the benefits. Amounts are in US dollars."),
        ("row", "| Benefit | Max |"),
        ("row", "| Benefit | Max |"),
        ("sentence", "After the table."),
    ]
    books = service.ask("are books covered by the learning budget?").answer
    assert "The table below" not in books and books.count("Books and e-books") == 1
    body = (
        "The table below shows the maximum benefit per person per trip.\n| Benefit | Maximum |\n|---|---|\n"
        "| Emergency medical expenses | $1,000,000 |\n| Lost baggage | $2,500 |\n| Trip cancellation | $5,000 |\n"
        "Family members travelling with you are not covered."
    )
    whole = _handbook_answer(service, "what are the maximum benefits?", body).splitlines()
    assert whole[:4] == [
        "> The table below shows the maximum benefit per person per trip.",
        "> Benefit: Emergency medical expenses · Maximum: $1,000,000",
        "> Benefit: Lost baggage · Maximum: $2,500",
        "> Benefit: Trip cancellation · Maximum: $5,000 [1]",
    ]
    baggage = _handbook_answer(service, "how much is paid for lost baggage?", body)
    assert baggage.startswith("> Benefit: Lost baggage · Maximum: $2,500 [1]") and "The table below" not in baggage
    # the lead-in's words are the table's topic, not a row's name: the Degree row's notes say "learning budget"
    eligible = service.ask("which learning expenses are eligible?").answer.splitlines()
    assert eligible[0] == "> The table below shows which learning expenses are eligible."
    assert sum("Eligible: " in line for line in eligible) == 7


def test_a_clause_under_a_heading_that_names_the_question_words_answers_it(service):
    """ "first day" is the heading ("2. Your first day") of the photo-ID sentence, not in it: this abstained
    (confidence 0.34) before the heading counted. It is quoted in the lead quote, after the sentence it continues."""
    result = service.ask("what do i need to bring on my first day")
    assert not result.abstained and "Bring a government-issued photo ID" in result.answer.splitlines()[0]
    assert result.answer.count("Bring a government-issued photo ID") == 1  # a continuing sentence is quoted once


def test_a_value_question_leads_with_the_quote_that_carries_the_value(service):
    result = service.ask("what is the mileage rate?")
    assert result.answer.startswith("> Use of a personal car for business trips is reimbursed at $0.70 per mile")


def test_the_asked_contact_is_added_from_the_same_document(service):
    result = service.ask("is there free counselling through work and what's the number to call")
    assert "8 free confidential counseling sessions" in result.answer and "+1 800 555 0142" in result.answer


def test_a_phone_number_is_not_the_quantity_a_how_quickly_question_asks_for(service):
    assert not carries("number", "- the anonymous Ethics Hotline at +1 888 555 0123; - a confidential advisor (see 3.2).")
    assert carries("number", "People Ops acknowledges every report within 2 business days.")
    lead = service.ask("How quickly does HR respond to a harassment report?").answer.splitlines()[0]
    assert carries("number", lead) and "Hotline" not in lead, lead


def test_unused_days_payout_leads_with_the_payout_rule_not_the_allowance(service):
    """A yes/no question naming "paid" asks whether, not how much: the 25-day allowance must not lead."""
    result = service.ask("If I quit, do I get paid for the vacation days I haven't used?")
    assert result.answer.startswith("> Final pay, including accrued unused annual leave")
    assert un_forms("days I haven't used, a claim not approved") == content_terms("unused unapproved")


def test_a_notice_question_wants_the_lead_time(service):
    assert asked_kinds("how much notice for working abroad") == ["notice"]
    assert carries("notice", "Requests must be submitted to People Ops at least 3 weeks in advance.")
    assert not carries("notice", "You may work from another country for up to 20 working days per calendar year.")
    assert carries("notice", "| Length of service | Notice period |\n|---|---|\n| 5 years or more | 8 weeks |")
    assert "at least 3 weeks in advance" in service.ask("how much notice for working abroad").answer
    # every row of the notice table carries a lead time: the row in range still leads
    for asked in ("if I resign after 3 years how much notice do I give", "if i quit after 4 yrs how much notice do i owe"):
        assert service.ask(asked).answer.startswith("> Length of service: 2 years to less than 5 years"), asked


def test_a_rare_name_brings_its_table_into_what_is_read(service):
    """ "Juneteenth" is in one chunk only (the holiday calendar), which both searches rank below 4th."""
    result = service.ask("is juneteenth a day off")
    assert result.answer.startswith("> Holiday: Juneteenth · Date: June 19, 2026")
    assert "public-holidays-2026" in result.sources[0].source


def test_yes_no_questions_do_not_demand_a_number():
    assert wanted_kind("If I quit, do I get paid for the vacation days I haven't used?") is None
    assert wanted_kind("what's the mileage rate?") == "number"
    assert wanted_kind("who do I talk to about harassment") == "contact"


def test_a_sensitive_situation_in_everyday_words_gets_the_reporting_channels_not_the_managers_duty(service):
    result = service.ask("someone keeps making comments about my looks, who do I talk to")
    assert not result.abstained
    assert result.answer.startswith("> You can report harassment through any of the following channels:")
    assert "hr@northwind.example" in result.answer


def test_question_phrasing_is_not_counted_as_content():
    assert content_terms("what's the deal, I'm sick, don't you know, can't I") == content_terms("deal sick know")
    assert {"home", "offic", "home-offic"} <= content_terms("home-office stipend")
    assert "lunch" not in content_terms("a lunch-and-learn session")  # a name of its own, not about lunch


def test_sweep_and_choice_keep_false_abstention_within_the_bound():
    table = sweep(answerable=[0.3, 0.5, 0.6, 0.7], uncovered=[0.2, 0.35, 0.55], step=0.05)
    assert table[0] == SweepRow(0.0, 0.0, 0.0) and table[-1].abstention_uncovered == 1.0
    assert choose(table, max_false_abstention=0.0) == pytest.approx(0.3)  # best run: 0.25, 0.3 (t <= 0.3 keeps 0.3 answered)
    assert choose(table, max_false_abstention=0.25) == pytest.approx(0.45)  # middle of 0.4, 0.45, 0.5: 2 of 3 uncovered


def test_calibration_file_is_used_and_a_stale_one_ignored(tmp_path):
    settings = Settings(data_dir=tmp_path, llm_model=None)
    assert calibrated_threshold(settings) == settings.abstain_threshold
    (tmp_path / "calibration.json").write_text(json.dumps({"abstain_threshold": 0.61, "confidence_version": CONFIDENCE_VERSION}))
    assert calibrated_threshold(settings) == 0.61 and PolicyService(settings).abstain_threshold == 0.61
    (tmp_path / "calibration.json").write_text(json.dumps({"abstain_threshold": 0.61, "confidence_version": "old"}))
    assert calibrated_threshold(settings) == settings.abstain_threshold
    (tmp_path / "calibration.json").write_text("{not json")
    assert calibrated_threshold(settings) == settings.abstain_threshold


def _tiny_dataset(root: Path) -> Path:
    docs = [
        ("leave", "Annual leave", "Full-time employees accrue 25 days of paid annual leave per calendar year."),
        ("card", "Corporate card", "Report a lost corporate card to cards@example.com within 24 hours."),
    ]
    queries = [("q1", "how many vacation days do I get?", True), ("q2", "I lost my company card, who do I tell?", True)]
    queries += [("q3", "can I bring my parrot to work?", False), ("q4", "is there a rooftop garden?", False)]
    root.mkdir()
    (root / "corpus.jsonl").write_text("".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in docs))
    (root / "queries.jsonl").write_text("".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t, _ in queries))
    (root / "answers.jsonl").write_text("".join(json.dumps({"query-id": i, "answerable": a}) + "\n" for i, _, a in queries))
    return root


def test_calibrate_end_to_end_writes_the_threshold_the_service_then_uses(tmp_path):
    dataset = load_dataset(_tiny_dataset(tmp_path / "labelled"))
    settings = Settings(data_dir=tmp_path / "data", llm_model=None)
    result = calibrate(dataset, settings, max_false_abstention=0.0)
    assert (result.answerable, result.uncovered) == (2, 2) and len(result.table) == 201
    path = write_calibration(result, settings, dataset)
    saved = json.loads(path.read_text())
    assert saved["abstain_threshold"] == result.abstain_threshold and saved["confidence_version"] == CONFIDENCE_VERSION
    assert PolicyService(settings).abstain_threshold == result.abstain_threshold


def test_calibrate_needs_both_kinds_of_labels(tmp_path):
    root = _tiny_dataset(tmp_path / "labelled")
    (root / "answers.jsonl").write_text(json.dumps({"query-id": "q1", "answerable": True}) + "\n")
    with pytest.raises(ValueError, match=r"answers\.jsonl"):
        calibrate(load_dataset(root), Settings(data_dir=tmp_path / "data", llm_model=None))


def test_pdf_lists_and_headings_are_split_into_the_right_units():
    body = (
        "Employees will be allowed personal use of Foundation equipment only when:\n"
        "A. Advance approval by ED/CEO is obtained.\n"
        "B. The item is portable.\n"
        "Fitness for Duty\n"
        "Solicitation on Foundation property\n"
        "CODE OF ETHICS:\n"
        "The Code applies to every employee.\n"
        "Does your Foundation permit solicitation on your property?\n"
        "● The use of illegal drugs on the job is prohibited.\n"
        "The Foundation prohibits the following activities while driving.\n"
        "● the use of hand-held cell phones;\n"
        "● reading printed materials.\n"
        "Procedures:\n"
        "1. Applications are reviewed by the supervisor. The supervisor will conduct interviews. "
        "A second individual may participate in the interview.\n"
        "2. References are checked.\n"
        "Each employee takes vacation per the following:"
    )
    units = split_units(body)
    lead = next(u for u in units if u.kind == "lead")
    assert lead.text.startswith("Employees will be allowed") and "B. The item is portable." in lead.text
    assert not any(u.text.startswith("Employees will be allowed") for u in units if u.kind != "lead")
    skipped = {u.text for u in units if not_an_answer(u)}
    assert skipped == {
        "Fitness for Duty",
        "Solicitation on Foundation property",
        "CODE OF ETHICS:",
        "Does your Foundation permit solicitation on your property?",
        "Each employee takes vacation per the following:",  # its list is in the next chunk: says nothing alone
    }
    bullet = next(u for u in units if "illegal drugs" in u.text)
    assert bullet.kind == "item" and not not_an_answer(bullet)
    # a lead-in ending with a full stop ("…the following activities while driving.") still introduces its list
    driving = next(u for u in units if u.text.startswith("The Foundation prohibits the following"))
    assert driving.kind == "lead" and "reading printed materials." in driving.text
    step = next(u for u in units if u.text.startswith("1. Applications"))
    assert step.kind == "item" and "second individual" in step.text, "an item is one unit, all its sentences"
    assert step.lead is None, "'Procedures:' says nothing: it is no item's lead"


def _handbook_answer(service: PolicyService, question: str, body: str) -> str:
    """The extractive answer to `question` from one chunk of handbook text (`body`, headed like an ingested chunk)."""
    from langchain_core.documents import Document

    from bot.answer.answerer import DraftRequest
    from bot.answer.extractive import ExtractiveAnswerer, UnitEmbeddingCache
    from bot.retrieval.hybrid import Hit

    answerer = ExtractiveAnswerer(UnitEmbeddingCache(service.embeddings), service.words.get, synonyms={})
    hit = Hit(Document(page_content=f"Staff Handbook › Policies\n{body}", metadata={"doc_id": "handbook.pdf"}, id="h1"))
    request = DraftRequest(question, question, [], [hit], service.embeddings.embed_query(question))
    return answerer.draft(request).text


def test_the_sentences_that_continue_the_lead_quote_are_quoted_with_it(service):
    """A handbook's clause goes on for a few sentences, and the detail asked is often in the third ("The minutes
    of all actions taken…"); a sentence opening by pointing back ("It is…") continues it whatever its words."""
    conflict = _handbook_answer(
        service,
        "What should be done when a conflict of interest of an employee is disclosed?",
        "A conflict of interest on the part of an employee or contractor of the Foundation will be disclosed. When any "
        "such interest becomes a matter of Board action, such individuals shall declare the conflict and absent "
        "themselves from the discussion. The minutes of all actions taken related to the matter will clearly reflect "
        "that these requirements have been met.\nThe Foundation hires on merit.",
    )
    assert conflict.startswith("> A conflict of interest") and "The minutes of all actions taken" in conflict
    assert "hires on merit" not in conflict
    recruiting = _handbook_answer(
        service,
        "In what way does the recruitment process represent the Foundation?",
        "A good recruitment process is very important for your Foundation. The process itself speaks volumes about "
        "your company. It is a direct reflection of the validity and professionalism of your organization.",
    )
    assert "It is a direct reflection" in recruiting
    emergency = service.ask("what do I do in a medical emergency abroad").answer.splitlines()[0]
    assert "go to the nearest hospital first. Then call Meridian Assist on +1 555 0177" in emergency  # "Then…"
    # "This policy…" opens by pointing back, but at the document: it continues nothing
    insured = _handbook_answer(
        service,
        "Does the company pay for babysitting when I travel for work?",
        "Every employee who travels on company business is insured. This policy summarises what the insurance covers "
        "and how to make a claim.",
    )
    assert insured.startswith("> Every employee who travels") and "This policy summarises" not in insured


def test_a_templates_notes_to_its_editors_are_never_quoted(service):
    """A handbook made from a template keeps its notes to the editors ("Foundations can replace their own
    confidentiality policy with the text below."): "remind me of the confidentiality policy" led with that note. It
    is not quoted, and a clause's continuation skips it to the sentence after it."""
    body = (
        "Foundations can replace their own confidentiality policy and procedures with the text below. If using this "
        "text, Foundations should ask whether each statement aligns with their values.\nEmployees and volunteers will "
        "treat information gathered by the Foundation with discretion.\nThe policy also applies to volunteers using "
        "their car. The coverage limit needs to be substituted for the limits in the policy below. The Foundation "
        "also needs confirmation that they are suitably insured."
    )
    policy = _handbook_answer(service, "Could you remind me of the Foundation's confidentiality policy?", body)
    assert policy.startswith("> Employees and volunteers will treat information") and "text below" not in policy
    insured = _handbook_answer(service, "Who must make sure volunteers using their car are insured?", body)
    assert "The policy also applies to volunteers using their car. The Foundation also needs confirmation" in insured
    dress = _handbook_answer(
        service,
        "What is the Foundation's dress code?",
        "Include this policy if dress code at work matters to your Foundation.\nFoundations should read through the "
        "below policy statement and adapt it to their practices.\nEmployees dress in business casual clothing at work.",
    )
    assert dress.startswith("> Employees dress in business casual") and "Include this policy" not in dress
    # an aside opening a sentence is a unit of its own, and a note: the clause after it is quoted without it
    units = split_units(
        "The week has 40 hours. (adjust to align with your Foundation’s current practice) If you leave during working "
        "hours, notify the ED/CEO. Timesheets are due by the 26th (adjust to fit your pay periods)."
    )
    assert [u.text for u in units][1:] == [
        "(adjust to align with your Foundation’s current practice)",
        "If you leave during working hours, notify the ED/CEO.",
        "Timesheets are due by the 26th (adjust to fit your pay periods).",
    ]
    assert [not_an_answer(u) for u in units] == [False, True, False, False]


def test_a_quote_that_points_back_is_quoted_with_the_sentence_it_points_to(service):
    """ "This leave will be unpaid, but will not affect seniority…" did not say which leave (the handbook's Emergency
    Leave, the sentence before it)."""
    body = (
        "Requests for leave are accepted for the following periods of unpaid leave.\nEmergency Leave: An employee may "
        "receive up to ten days of leave to attend to family emergencies. This leave will be unpaid, but will not "
        "affect seniority, benefits or the employee's position.\nPersonal Leave: A personal leave may be granted on a "
        "limited basis depending on business needs."
    )
    answer = _handbook_answer(service, "which unpaid leave does not affect seniority or benefits?", body)
    assert answer.startswith(
        "> Emergency Leave: An employee may receive up to ten days of leave to attend to family "
        "emergencies. This leave will be unpaid, but will not affect seniority"
    )
    assert answer.count("Emergency Leave:") == 1


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        # "It replaces…" said which policy only with the sentence before it (the policy's purpose)
        ("what does the remote work policy replace?", "> This policy explains how many days you may work remotely"),
        # "Then call Meridian Assist" is the second step; quoted alone, the first is lost
        ("who do I call in a medical emergency on a business trip?", "In a medical emergency, go to the nearest hospital"),
    ],
)
def test_a_quote_opening_with_it_or_then_carries_the_sentence_before(service, question, quote):
    answer = service.ask(question).answer
    assert quote in answer
    pointer = "It replaces" if "replace" in question else "Then call Meridian Assist"
    assert answer.index(quote.lstrip("> ")) < answer.index(pointer)


def test_a_clause_continued_on_the_next_line_is_quoted_with_it(service):
    """A PDF's next line is often the same clause's next sentence; a list or a lead-in on the next line is not."""
    units = split_units("Notify your supervisor before your start time.\nNotify them on each day of absence.\n- a list item")
    assert units[0].follow == "Notify them on each day of absence."
    assert units[1].follow is None
    answer = _handbook_answer(
        service,
        "When must an employee notify their supervisor about sick leave?",
        "When an employee will be off on sick leave, they must notify their supervisor no later than the starting time "
        "of their work day.\nEmployees must notify their supervisor on each day of absence unless other arrangements "
        "have been made.",
    )
    assert "on each day of absence" in answer.splitlines()[0]


def test_a_sentence_wrapped_onto_the_next_line_is_one_sentence_again():
    """A PDF's text wraps mid-sentence ("…they are insured under" / "Northwind's equipment policy."); a heading
    line is not joined to its paragraph, nor a list item to the next item."""
    units = split_units(
        "Laptops are not covered; they are insured under\nNorthwind's equipment policy.\n"
        "Also tell your manager and People\nOps at hr@northwind.example as soon as you can.\n"
        "2.1 Personal days added to a business trip\nIf you add personal days, you stay covered.\n- one of\n- two"
    )
    texts = [u.text for u in units]
    assert "Laptops are not covered; they are insured under Northwind's equipment policy." in texts
    assert "Also tell your manager and People Ops at hr@northwind.example as soon as you can." in texts
    assert "If you add personal days, you stay covered." in texts and "- one of" in texts
    heading = next(u for u in units if u.text.startswith("2.1"))
    assert not_an_answer(heading)  # a numbered heading is never quoted


def test_the_next_paragraph_continues_a_quote_only_on_the_question_topic(service):
    """A new paragraph is usually a new point ("Sick leave may also be used to care for a sick child…" after the
    yearly allowance shares only "sick" with the question); a quote is not continued with masked personal data
    ("The current confidential advisor is <PERSON>…"), but the sentence after it may still continue it."""
    answer = _handbook_answer(
        service,
        "How many sick days do I get per year?",
        "Employees receive 10 days of paid sick leave per calendar year.\n"
        "Sick leave may also be used to care for a sick child or parent.",
    )
    assert answer.startswith("> Employees receive 10 days") and "sick child" not in answer.splitlines()[0]
    lead = service.ask("can i talk to someone confidentially about harassment without starting an investigation").answer
    first = lead.splitlines()[0]
    assert "confidential-advisors@northwind.example" in first and "<PERSON>" not in first, lead
    # nor is it quoted on its own when a sentence close to it answers (it was the second quote here)
    advisor = service.ask("how do I contact a confidential advisor").answer
    assert "confidential-advisors@northwind.example" in advisor and "<PERSON>" not in advisor, advisor
    broker = service.ask("who is our contact at the benefits broker").answer  # the masked name led here
    assert "#ask-benefits" in broker.splitlines()[0], broker


def test_a_further_quote_is_continued_by_a_sentence_on_the_question_topic(service):
    """ "how do I print": the follow-me sentence is the second quote; the queue to send the job to follows it."""
    answer = service.ask("how do I print to the office printers?").answer
    assert 'All office printers use secure "follow-me" printing. Send your job to the "Northwind-SecurePrint"' in answer


def test_an_idioms_own_words_are_not_read_literally():
    synonyms = {"used up": "exhausted", "sick days": "sick leave", "pto": "annual leave", "in one go": "consecutive"}
    assert idiom_words("my sick leave is used up", synonyms) == {"used", "up"}
    assert idiom_words("4 weeks in one go, 3 sick days and PTO", synonyms) == {"in", "one", "go"}


def test_an_idiom_counts_as_its_policy_terms_for_confidence(service):
    """ "let go" (knowledge/company.yaml: -> termination) abstained at 0.37: "let" and "go" are in no quote."""
    result = service.ask("when do my accounts get switched off if i'm let go")
    assert not result.abstained and "IT disables all accounts" in result.answer, result.answer


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("what happens after my sick days run out?", "After sick leave is exhausted"),
        ("my sick leave is used up, what now", "After sick leave is exhausted"),  # not "…may also be used to care…"
        ("will I get in trouble for losing my laptop", "You will not be disciplined for honestly reporting a lost device"),
        ("can I plug my own router into the office network", "connect unapproved network devices"),
        ("can I buy a govt official lunch?", "require prior written approval from the General Counsel"),
    ],
)
def test_everyday_idioms_reach_the_policy_words(service, question, clause):
    """Product-default synonyms: "run out" -> exhausted, "losing" -> lost, "in trouble" -> disciplined, "plug" ->
    connect, "lunch" -> hospitality (each abstained or quoted another clause before)."""
    answer = service.ask(question).answer
    assert clause in answer.split(" [", 1)[0], answer  # in the first quote (with its list's lead-in)
