#!/usr/bin/env python3
"""Regenerate the binary documents of the sample knowledge base.

Produces, deterministically (fixed dates and metadata, so re-running yields
byte-identical files):

  finance/travel-insurance.pdf            (+ finance/travel-insurance.pdf.meta.yaml)
  hr/learning-budget.docx                 (+ hr/learning-budget.docx.meta.yaml)

The document text lives in this file (PDF_DOC / DOCX_DOC below); edit it here
and re-run, never edit the binaries by hand.

Requires fpdf2 and python-docx:

    .venv/bin/python knowledge/make_binary_docs.py
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_DATE = dt.datetime(2026, 1, 1, 9, 0, 0, tzinfo=dt.UTC)
ZIP_DATE = (2026, 1, 1, 9, 0, 0)

PDF_HEADER = "Northwind Analytics \u2014 Confidential \u2014 Internal Use"

# ---------------------------------------------------------------------------
# Content: finance/travel-insurance.pdf
# Blocks: ("h1", text) numbered section heading, ("h2", text) sub-heading,
# ("p", text) paragraph, ("ul", [items]) bullet list, ("table", [rows]) with
# the first row as header, ("pagebreak", None).
# ---------------------------------------------------------------------------
PDF_META = {
    "title": "Business Travel Insurance Policy",
    "owner": {"team": "Finance", "channel": "#ask-finance"},
    "effective_date": "2026-01-01",
    "review_by": "2027-01-01",
    "version": "1.2",
    "audience": "everyone",
    "url": "https://intranet.northwind.example/policies/finance/travel-insurance",
}

PDF_DOC = [
    ("title", "Business Travel Insurance Policy"),
    ("p", "Version 1.2. Effective date: January 1, 2026. Owner: Finance (#ask-finance)."),
    ("h1", "1. Purpose"),
    (
        "p",
        "Northwind Analytics insures every employee who travels on company business. "
        "This policy summarises what the group business travel insurance covers, what "
        "it does not cover, and what to do in an emergency or when making a claim. "
        "The insurer's policy wording is the final authority; this document is a summary.",
    ),
    (
        "p",
        "The group policy is underwritten by Harbor Mutual Insurance under policy number "
        "NWA-BT-2026-0415. Emergency assistance is provided by Meridian Assist on behalf "
        "of the insurer.",
    ),
    ("h1", "2. Scope"),
    (
        "p",
        "The policy covers all employees, interns and board members while travelling on "
        "company business, from the moment they leave home or the office until they "
        "return. Contractors are not covered and must arrange their own insurance.",
    ),
    (
        "p",
        "A business trip is covered for up to 90 consecutive days. Trips longer than 90 "
        "days must be notified to Finance at least 2 weeks before departure so that "
        "cover can be extended.",
    ),
    (
        "p",
        "Business trips within your home country are covered only if they include an "
        "overnight stay or are more than 100 miles from your normal place of work.",
    ),
    ("h2", "2.1 Personal days added to a business trip"),
    (
        "p",
        "If you add personal days to a business trip, you remain covered for up to 7 "
        "personal days, provided the business part of the trip is longer than the "
        "personal part. Family members travelling with you are not covered.",
    ),
    ("h1", "3. Coverage summary"),
    ("p", "The table below shows the maximum benefit per person per trip. Amounts are in US dollars."),
    (
        "table",
        [
            ["Benefit", "Maximum per person per trip", "Excess"],
            ["Emergency medical expenses", "$1,000,000", "None"],
            ["Emergency medical evacuation and repatriation", "$500,000", "None"],
            ["Trip cancellation or curtailment", "$5,000", "$100"],
            ["Lost, stolen or damaged baggage", "$2,500 ($500 per item)", "$100"],
            ["Baggage delay of more than 12 hours", "$300", "None"],
            ["Personal accident (death or permanent disability)", "$250,000", "None"],
            ["Personal liability", "$2,000,000", "$250"],
            ["Kidnap and ransom response", "Included", "None"],
        ],
    ),
    (
        "p",
        "Company laptops and phones are not covered under the baggage benefit; they are "
        "insured under Northwind's equipment policy. Report their loss to "
        "security@northwind.example as a security incident.",
    ),
    ("h1", "4. Exclusions"),
    ("p", "The policy does not cover:"),
    (
        "ul",
        [
            "travel to a country or region where the US State Department or the UK Foreign Office "
            "advises against all travel, unless approved in advance by the CFO;",
            "pre-existing medical conditions for which you are on a waiting list for treatment;",
            "injury while taking part in hazardous activities such as skydiving, mountaineering "
            "above 4,000 metres or motor racing;",
            "losses arising from alcohol or drug misuse;",
            "cash, unless it is stolen from your person, up to a limit of $500;",
            "valuables left unattended in a public place or in a vehicle.",
        ],
    ),
    ("h1", "5. Before you travel"),
    (
        "p",
        "Cover is automatic for trips booked through Navan; you do not need to register "
        "each trip. For trips booked outside Navan, send the itinerary to "
        "travel@northwind.example at least 3 days before departure.",
    ),
    (
        "p",
        "Download the Meridian Assist app and save the emergency assistance number before "
        "you leave. Your digital insurance card is in the app; log in with your Northwind "
        "email address. Check vaccination requirements for your destination at least 6 "
        "weeks before departure; travel vaccinations are reimbursed through Expensify.",
    ),
    ("h1", "6. Emergencies while travelling"),
    (
        "p",
        "In a medical emergency, go to the nearest hospital first. Then call Meridian Assist "
        "on +1 555 0177, 24 hours a day, 7 days a week, or use the call button in the app. "
        "Meridian Assist can guarantee payment directly to the hospital so that you do not "
        "have to pay large medical bills yourself.",
    ),
    (
        "p",
        "You must contact Meridian Assist before any hospital admission longer than 24 hours "
        "and before any medical evacuation; otherwise costs may not be covered. Also tell "
        "your manager and People Ops at hr@northwind.example as soon as you can.",
    ),
    ("h2", "6.1 Security emergencies"),
    (
        "p",
        "If you are caught up in civil unrest, a natural disaster or a terrorist incident, "
        "move to a safe place, call Meridian Assist for security advice, and check in with "
        "your manager. Meridian Assist arranges evacuation when the situation requires it.",
    ),
    ("h1", "7. Making a claim"),
    (
        "p",
        "Submit claims through the Harbor Mutual claims portal within 30 days of returning "
        "from your trip. Claims submitted more than 180 days after the incident cannot be "
        "accepted by the insurer.",
    ),
    ("p", "Include the following with your claim:"),
    (
        "ul",
        [
            "the policy number NWA-BT-2026-0415;",
            "original receipts and invoices for all costs claimed;",
            "for theft, a police report obtained within 24 hours of discovering the loss;",
            "for lost or delayed baggage, the airline's Property Irregularity Report;",
            "for medical claims, the medical report from the treating doctor.",
        ],
    ),
    (
        "p",
        "Claims are normally settled within 15 business days of receipt of all documents. "
        "Payments are made to the employee's bank account. If you paid an expense with "
        "your corporate card, Finance will apply the claim payment to the card account.",
    ),
    ("h1", "8. Contacts"),
    (
        "table",
        [
            ["Need", "Contact"],
            ["24/7 emergency assistance", "Meridian Assist, +1 555 0177"],
            ["Questions about cover", "Finance, #ask-finance or travel@northwind.example"],
            ["Claims", "Harbor Mutual claims portal"],
            ["Lost company laptop or phone", "security@northwind.example"],
        ],
    ),
]

# ---------------------------------------------------------------------------
# Content: hr/learning-budget.docx
# ---------------------------------------------------------------------------
DOCX_META = {
    "title": "Learning and Development Budget",
    "owner": {"team": "People Ops", "channel": "#ask-people-ops"},
    "effective_date": "2026-01-01",
    "review_by": "2027-01-01",
    "version": "1.3",
    "audience": "everyone",
    "url": "https://intranet.northwind.example/policies/hr/learning-budget",
}

DOCX_DOC = [
    ("title", "Learning and Development Budget"),
    ("h1", "1. Purpose"),
    (
        "p",
        "Northwind Analytics invests in the growth of every employee. This policy explains "
        "the annual learning budget, what it can be spent on, and how to request it.",
    ),
    ("h1", "2. Annual learning budget"),
    (
        "p",
        "Every employee receives an annual learning budget of $1,500 per calendar year. "
        "Employees who join part-way through the year receive a pro-rated budget for that "
        "year. Unused budget does not carry over to the next year.",
    ),
    (
        "p",
        "In addition to the budget, every employee may take up to 3 paid learning days per "
        "year to attend courses, conferences or dedicated study time. Learning days are "
        "recorded in Workday under Time Off > Learning Day.",
    ),
    ("h1", "3. What the budget covers"),
    ("p", "The table below shows which learning expenses are eligible."),
    (
        "table",
        [
            ["Expense", "Eligible", "Notes"],
            ["Online courses and subscriptions", "Yes", "For example Coursera, O'Reilly, Udemy"],
            ["Conference tickets", "Yes", "Travel to the conference is paid from your team's travel budget"],
            ["Professional certification exams", "Yes", "One retake per certification is covered"],
            ["Books and e-books", "Yes", "Up to $300 per year"],
            ["Language classes", "Yes", "Only for a language used in your role"],
            ["University degree programs", "No", "Not covered by the learning budget"],
            ["Hardware and software licences", "No", "Request these through IT"],
        ],
    ),
    ("h1", "4. How to request"),
    ("h2", "4.1 Pre-approval"),
    (
        "p",
        "Any single learning expense over $500 requires pre-approval from your manager "
        "before you book or pay. Submit the request in Workday under Learning > Request "
        "Budget with a short note on how it relates to your development goals.",
    ),
    ("h2", "4.2 Paying and reimbursement"),
    (
        "p",
        "Pay with your corporate card if you have one; otherwise pay personally and claim "
        'the cost in Expensify under the category "Learning" within 30 days, with the '
        "receipt and the approval reference.",
    ),
    ("h1", "5. Repayment"),
    (
        "p",
        "If you resign within 6 months of completing a course or certification that cost "
        "more than $1,000, you must repay 50% of its cost. Repayment is not required if "
        "your employment ends for any other reason.",
    ),
    ("h1", "6. Sharing what you learn"),
    (
        "p",
        "After a conference, share your key takeaways with your team within 2 weeks, for "
        "example in a short Slack post or a lunch-and-learn session.",
    ),
    ("h1", "7. Questions"),
    ("p", "Ask in #ask-people-ops or email learning@northwind.example."),
]


def source_text(doc: list) -> str:
    """All text of a document definition (used by checks and for debugging)."""
    parts: list[str] = []
    for kind, value in doc:
        if kind in ("title", "h1", "h2", "p"):
            parts.append(value)
        elif kind == "ul":
            parts.extend(value)
        elif kind == "table":
            for row in value:
                parts.append(" | ".join(row))
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# Sidecar metadata
# ---------------------------------------------------------------------------
def write_sidecar(target: Path, meta: dict) -> None:
    owner = meta["owner"]
    lines = [
        f'title: "{meta["title"]}"',
        f'owner: {{team: "{owner["team"]}", channel: "{owner["channel"]}"}}',
        f"effective_date: {meta['effective_date']}",
        f"review_by: {meta['review_by']}",
        f'version: "{meta["version"]}"',
        f"audience: {meta['audience']}",
        f"url: {meta['url']}",
    ]
    Path(str(target) + ".meta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def keywords(meta: dict) -> str:
    return "; ".join(
        [
            f"owner-team={meta['owner']['team']}",
            f"owner-channel={meta['owner']['channel']}",
            f"effective_date={meta['effective_date']}",
            f"review_by={meta['review_by']}",
            f"version={meta['version']}",
            f"audience={meta['audience']}",
            f"url={meta['url']}",
        ]
    )


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------
def build_pdf(path: Path) -> None:
    from fpdf import FPDF

    class PolicyPDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, PDF_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = PolicyPDF(format="Letter")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_compression(False)  # plain content streams: easier to diff and inspect
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(PDF_META["title"])
    pdf.set_subject("Finance policy: business travel insurance cover, emergencies and claims")
    pdf.set_author(f"Northwind Analytics {PDF_META['owner']['team']}")
    pdf.set_keywords(keywords(PDF_META))
    pdf.set_creator("knowledge/make_binary_docs.py")
    pdf.set_producer("fpdf2")
    pdf.set_lang("en-US")
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_margins(22, 18, 22)
    pdf.add_page()

    for kind, value in PDF_DOC:
        if kind == "title":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(0, 10, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "h1":
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h2":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "ul":
            pdf.set_font("Helvetica", "", 11)
            for item in value:
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(0, 6, "\u2022 " + item, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "table":
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(line_height=6, first_row_as_headings=True) as table:
                for row in value:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
        elif kind == "pagebreak":
            pdf.add_page()
        else:
            raise ValueError(kind)

    path.write_bytes(bytes(pdf.output()))


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------
def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the output is byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def build_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    cp = d.core_properties
    naive = FIXED_DATE.replace(tzinfo=None)
    cp.title = DOCX_META["title"]
    cp.subject = "HR policy: annual learning budget, eligible expenses and approvals"
    cp.author = f"Northwind Analytics {DOCX_META['owner']['team']}"
    cp.last_modified_by = "knowledge/make_binary_docs.py"
    cp.category = DOCX_META["owner"]["team"]
    cp.keywords = keywords(DOCX_META)
    cp.comments = keywords(DOCX_META)
    cp.identifier = DOCX_META["url"]
    cp.version = DOCX_META["version"]
    cp.content_status = "Published"
    cp.language = "en-US"
    cp.revision = 1
    cp.created = naive
    cp.modified = naive
    cp.last_printed = naive

    for kind, value in DOCX_DOC:
        if kind == "title":
            d.add_heading(value, level=0)
        elif kind == "h1":
            d.add_heading(value, level=1)
        elif kind == "h2":
            d.add_heading(value, level=2)
        elif kind == "p":
            d.add_paragraph(value)
        elif kind == "ul":
            for item in value:
                d.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = d.add_table(rows=len(value), cols=len(value[0]))
            table.style = "Table Grid"
            for i, row in enumerate(value):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
                    if i == 0:
                        for run in table.cell(i, j).paragraphs[0].runs:
                            run.bold = True
        else:
            raise ValueError(kind)

    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def main() -> None:
    pdf_path = HERE / "finance" / "travel-insurance.pdf"
    docx_path = HERE / "hr" / "learning-budget.docx"
    build_pdf(pdf_path)
    write_sidecar(pdf_path, PDF_META)
    build_docx(docx_path)
    write_sidecar(docx_path, DOCX_META)
    for p in (pdf_path, docx_path):
        print(f"wrote {p.relative_to(HERE)}")


if __name__ == "__main__":
    main()
