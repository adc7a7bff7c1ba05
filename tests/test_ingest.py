"""Ingestion against the real embedding model and a real on-disk Chroma store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.ingest.pipeline import CountingEmbeddings, Ingestor
from bot.retrieval.embeddings import load_embeddings
from bot.retrieval.vectorstore import open_collection

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE_FILES = sorted(
    p.relative_to(REPO / "knowledge").as_posix()
    for p in (REPO / "knowledge").rglob("*")
    if p.suffix in {".md", ".html", ".pdf", ".docx", ".txt"} and p.name != "README.md" and "eval" not in p.parts
)


class ExplodingEmbeddings(CountingEmbeddings):
    """Fails after `allowed` texts, like a process killed in the middle of embedding."""

    def __init__(self, inner, allowed: int) -> None:
        super().__init__(inner)
        self.allowed = allowed

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.texts_embedded + len(texts) > self.allowed:
            raise KeyboardInterrupt("simulated interruption")
        return super().embed_documents(texts)


@pytest.fixture(scope="module")
def model():
    return load_embeddings(None, 1, 16)


@pytest.fixture(scope="module")
def kb(tmp_path_factory, model):
    """A copy of knowledge/ ingested once; tests that change it work on their own copy."""
    root = tmp_path_factory.mktemp("kb")
    shutil.copytree(REPO / "knowledge", root / "knowledge", symlinks=True)
    names = root / "directory-names.txt"  # as exported from the Slack directory
    names.write_text("Maria Gonzalez\nDaniel Whitaker\n")
    settings = Settings(data_dir=root / "data", knowledge_dir=root / "knowledge", pii_names_file=names)
    counter = CountingEmbeddings(model)
    report = Ingestor(settings, embeddings=counter).ingest_folder()
    return settings, report, counter


def _chunks(settings: Settings, model, **where) -> list[tuple[str, dict]]:
    data = open_collection(settings).get(where=where or None, include=["documents", "metadatas"])
    return list(zip(data["documents"], data["metadatas"]))


def _copy_kb(tmp_path: Path, kb_settings: Settings) -> Settings:
    """An independent copy of an ingested knowledge base (files and index)."""
    shutil.copytree(kb_settings.knowledge_dir, tmp_path / "knowledge", symlinks=True)
    shutil.copytree(kb_settings.data_dir, tmp_path / "data")
    return kb_settings.model_copy(update={"data_dir": tmp_path / "data", "knowledge_dir": tmp_path / "knowledge"})


def test_ingests_every_document_of_the_knowledge_base(kb):
    _settings, report, counter = kb
    assert sorted(report.added) == KNOWLEDGE_FILES
    assert report.skipped == [] and report.deleted == []
    assert report.chunks_total == counter.texts_embedded == report.chunks_embedded
    assert report.chunks_total > 150
    assert ("hr/remote-work-2024.md", "hr/remote-work.md") in report.superseded


def test_chunks_carry_title_section_page_and_audience(kb, model):
    settings, _, _ = kb
    leave = _chunks(settings, model, doc_id="hr/annual-leave.md")
    sections = {m["section"] for _, m in leave}
    assert any("Entitlement" in s and "›" in s for s in sections), sections
    meta = leave[0][1]
    assert meta["title"] == "Annual Leave Policy" and meta["owner_channel"].startswith("#")
    assert meta["effective_date"] and meta["review_by"] and meta["url"].startswith("https://")
    assert all(text.startswith("Annual Leave Policy") for text, _ in leave)

    pdf = _chunks(settings, model, doc_id="finance/travel-insurance.pdf")
    assert {m["page"] for _, m in pdf} >= {1, 2, 3}
    assert not any("Confidential" in t or "Page 1 of" in t for t, _ in pdf), "PDF page furniture must be dropped"

    managers = _chunks(settings, model, doc_id="hr/manager-compensation-guidelines.md")
    assert {tuple(m["audience"]) for _, m in managers} == {("managers",)}
    old = _chunks(settings, model, doc_id="hr/remote-work-2024.md")  # replaced from 2026-02-01, decided when asked
    assert old and all((m["valid_until"], m["superseded_by"]) == (20260201, "hr/remote-work.md") for _, m in old)
    new = _chunks(settings, model, doc_id="hr/remote-work.md")
    assert all((m["valid_from"], m["valid_until"]) == (20260201, 99991231) for _, m in new)


def test_html_docx_and_plain_documents(kb, model):
    settings, _, _ = kb
    html = " ".join(t for t, _ in _chunks(settings, model, doc_id="hr/public-holidays-2026.html"))
    assert "Independence Day" in html and "| Holiday | Date | Day |" in html
    assert "intranetConfig" not in html and "Search the intranet" not in html and "Intranet help" not in html
    docx = _chunks(settings, model, doc_id="hr/learning-budget.docx")
    assert any(m["section"] for _, m in docx) and any("|" in t for t, _ in docx)
    plain = _chunks(settings, model, doc_id="it/printing-guidelines.md")
    assert plain[0][1]["title"] == "Printing and Office Equipment"  # no front matter: first heading
    assert plain[0][1]["audience"] == ["everyone"]


def test_a_sentence_introducing_a_list_starts_a_chunk_rather_than_be_cut_from_its_items():
    from bot.ingest.chunking import chunk_document

    words = lambda text: len(text.split())  # noqa: E731 - a token counter in words: easy to reason about
    filler = "Vacation is booked in the HR system and approved by your manager before it is taken."
    text = "## Vacation\n\n" + "\n\n".join(
        [
            filler,
            filler,
            "Each employee takes vacation per the following:",
            "- after one year: 10 days;",
            "- after five years: 15 days.",
        ]
    )
    chunks = chunk_document([(None, text)], {"title": "Handbook", "doc_id": "h.md"}, count_tokens=words, max_tokens=48)
    bodies = [c.page_content.split("\n", 1)[1] for c in chunks]
    assert len(bodies) == 2 and bodies[1].startswith("Each employee takes vacation per the following:")
    assert "after five years: 15 days." in bodies[1], bodies


def test_chunks_fit_the_model_window(kb, model):
    from bot.retrieval.embeddings import MAX_SEQ_TOKENS, token_counter

    settings, _, _ = kb
    count = token_counter(None)
    sizes = [count(t) for t, _ in _chunks(settings, model)]
    assert max(sizes) <= MAX_SEQ_TOKENS - 2, max(sizes)


def test_personal_data_is_masked_before_indexing(kb, model):
    settings, _, _ = kb
    text = " ".join(t for t, _ in _chunks(settings, model))
    assert "maria.gonzalez@northwind.example" not in text and "Maria Gonzalez" not in text
    assert "hr@northwind.example" in text or "security@northwind.example" in text  # allowlisted contacts stay


def test_reingest_unchanged_embeds_nothing(kb, model, tmp_path):
    settings = _copy_kb(tmp_path, kb[0])
    counter = CountingEmbeddings(model)
    report = Ingestor(settings, embeddings=counter).ingest_folder()
    assert counter.texts_embedded == 0
    assert report.added == report.updated == report.deleted == []
    assert sorted(report.unchanged) == KNOWLEDGE_FILES
    assert report.chunks_total == kb[1].chunks_total


def test_changed_document_reembeds_only_its_chunks_and_deleted_is_removed(kb, model, tmp_path):
    settings = _copy_kb(tmp_path, kb[0])
    leave = settings.knowledge_dir / "hr/annual-leave.md"
    leave.write_text(leave.read_text().replace("25 days of paid annual leave", "27 days of paid annual leave"))
    (settings.knowledge_dir / "it/byod.md").unlink()
    before = len(_chunks(settings, model, doc_id="hr/annual-leave.md"))
    counter = CountingEmbeddings(model)
    report = Ingestor(settings, embeddings=counter).ingest_folder()
    assert report.updated == ["hr/annual-leave.md"] and report.deleted == ["it/byod.md"]
    assert 1 <= counter.texts_embedded <= 2, "only the edited chunk(s) are embedded again"
    after = _chunks(settings, model, doc_id="hr/annual-leave.md")
    assert len(after) == before
    assert any("27 days" in t for t, _ in after) and not any("25 days of paid" in t for t, _ in after)
    assert _chunks(settings, model, doc_id="it/byod.md") == []
    answer = PolicyService(settings).ask("How many days of annual leave do full-time employees accrue?")
    assert "27" in answer.answer


def test_bad_input_is_reported_and_skipped_while_the_rest_ingests(tmp_path, model):
    from pypdf import PdfWriter

    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: Good Policy\n---\n# Good Policy\n\nDesks are cleaned every Friday.\n")
    (folder / "empty.md").write_text("   \n")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04 definitely not a zip")
    (folder / "long.txt").write_text("x" * 50_000)
    (folder / "bad-front-matter.md").write_text("---\ntitle: [unclosed\n---\n# Hi\n\ntext\n")
    (folder / "latin1.txt").write_bytes("caf\xe9 policy".encode("latin-1"))
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    with (folder / "encrypted.pdf").open("wb") as fh:
        writer.write(fh)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder)
    report = Ingestor(settings, embeddings=model).ingest_folder()
    reasons = dict(report.skipped)
    assert report.added == ["good.md"]
    assert set(reasons) == {
        "empty.md",
        "binary.md",
        "corrupt.pdf",
        "corrupt.docx",
        "long.txt",
        "bad-front-matter.md",
        "latin1.txt",
        "encrypted.pdf",
    }
    assert "empty" in reasons["empty.md"] and "binary" in reasons["binary.md"]
    assert "encrypted" in reasons["encrypted.pdf"] and "corrupt" in reasons["corrupt.pdf"]
    assert "line of 50,000" in reasons["long.txt"] and "front matter" in reasons["bad-front-matter.md"]

    from bot.cli.app import app

    runner = CliRunner()
    env = {"POLICYBOT_DATA_DIR": str(tmp_path / "data"), "KNOWLEDGE_DIR": str(folder)}
    assert runner.invoke(app, ["ingest", "--json"], env=env).exit_code == 0
    strict = runner.invoke(app, ["ingest", "--strict", "--json"], env=env)
    assert strict.exit_code == 2 and '"encrypted.pdf"' in strict.stdout


def test_duplicates_are_reported_and_the_copy_not_indexed(tmp_path, model):
    folder = tmp_path / "kb"
    folder.mkdir()
    body = "# Parking\n\n" + " ".join(f"Rule {i}: park only in bay {i} on weekdays between 8 and 6." for i in range(30))
    (folder / "parking.md").write_text(body)
    (folder / "parking-copy.md").write_text(body)
    (folder / "parking-v2.md").write_text(body.replace("Rule 29", "Rule twenty-nine"))
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder)
    report = Ingestor(settings, embeddings=model).ingest_folder()
    assert report.duplicates == [{"kept": "parking-copy.md", "duplicate": "parking.md", "similarity": 1.0}]
    assert {(d["a"], d["b"]) for d in report.near_duplicates} == {("parking-copy.md", "parking-v2.md")}
    assert _chunks(settings, model, doc_id="parking.md") == []


def test_interrupted_ingest_leaves_the_previous_index_usable(kb, model, tmp_path):
    settings = _copy_kb(tmp_path, kb[0])
    for path in (settings.knowledge_dir / "hr").glob("*.md"):
        path.write_text(path.read_text() + "\n\n## Addendum\n\nThis section was added in a later revision.\n")
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, embeddings=ExplodingEmbeddings(model, allowed=4)).ingest_folder()
    result = PolicyService(settings).ask("How many days of annual leave do I get?")
    assert result.kind == "answer" and "25" in result.answer
    report = Ingestor(settings, embeddings=model).ingest_folder()  # the next run finishes the job
    assert not report.skipped and len(report.updated) >= 10


def _sections_doc(n: int, marker: str = "") -> str:
    body = "\n\n".join(
        f"## Section {i}\n\nRule {i}{marker}: badge holders may use meeting room {i} for up to {i % 9 + 1} hours a day."
        for i in range(1, n + 1)
    )
    return f"---\ntitle: Room Booking Rules\n---\n# Room Booking Rules\n\n{body}\n"


def test_one_edit_in_a_document_larger_than_a_batch_reembeds_one_chunk(tmp_path, model):
    folder = tmp_path / "kb"
    folder.mkdir()
    rules = folder / "rooms.md"
    rules.write_text(_sections_doc(600))  # 600 chunks: more than one indexing batch of 512
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, pii_enabled=False)
    first = Ingestor(settings, embeddings=CountingEmbeddings(model)).ingest_folder()
    assert first.chunks_total == 600
    rules.write_text(rules.read_text().replace("Rule 7: badge holders", "Rule 7: all staff"))
    counter = CountingEmbeddings(model)
    report = Ingestor(settings, embeddings=counter).ingest_folder()
    assert (counter.texts_embedded, report.chunks_deleted, report.chunks_total) == (1, 1, 600)


def test_interrupted_ingest_never_leaves_a_large_document_half_indexed(tmp_path, model):
    folder = tmp_path / "kb"
    folder.mkdir()
    rules = folder / "rooms.md"
    rules.write_text(_sections_doc(600, marker=" (v1)"))
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, pii_enabled=False)
    Ingestor(settings, embeddings=model).ingest_folder()
    rules.write_text(_sections_doc(600, marker=" (v2)"))  # every chunk changes
    with pytest.raises(KeyboardInterrupt):  # killed after 512 embeddings
        Ingestor(settings, embeddings=ExplodingEmbeddings(model, allowed=512)).ingest_folder()
    texts = [t for t, _ in _chunks(settings, model, doc_id="rooms.md")]
    assert len(texts) == 600 and all("(v1)" in t for t in texts), "the old version stays whole until the new one is"


def _pdf(path: Path, title: str, blocks: list[tuple[str, object]], cover: str | None = None) -> None:
    """A PDF with `title` in its metadata and `cover` (default: the title) set large on its first line."""
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, cover or title, new_x="LMARGIN", new_y="NEXT")
    for kind, value in blocks:
        if kind == "h":
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 8, str(value), new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", "", 10)
            with pdf.table(line_height=6, first_row_as_headings=True) as table:
                for row in value:  # type: ignore[attr-defined]
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
    path.write_bytes(bytes(pdf.output()))


def test_pdf_table_rows_are_quoted_with_their_column_headers(tmp_path, model):
    folder = tmp_path / "kb"
    folder.mkdir()
    rows = [
        ["Benefit", "Maximum per trip", "Excess"],
        ["Emergency medical expenses", "$1,000,000", "None"],
        ["Lost or stolen baggage", "$2,500", "$100"],
        ["Missed connection", "$750", "$50"],
    ]
    blocks = [("h", "1. Benefits and excess"), ("p", "The table lists each benefit."), ("t", rows)]
    _pdf(folder / "cover.pdf", "Trip Cover Summary", blocks)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, pii_enabled=False)
    Ingestor(settings, embeddings=model).ingest_folder()
    chunks = _chunks(settings, model, doc_id="cover.pdf")
    assert {m["section"] for _, m in chunks} == {"1. Benefits and excess"}, "the heading is not glued to the title"
    answer = PolicyService(settings).ask("What is the excess for lost or stolen baggage?").answer
    assert "Benefit: Lost or stolen baggage · Maximum per trip: $2,500 · Excess: $100" in answer


def test_pdf_headings_are_found_by_font_size_and_a_numbered_body_line_is_not_one(tmp_path, model):
    """A handbook's headings are unnumbered and set larger ("Hours of Work"); its numbered list items ("5. Meetings"
    at body size) used to become the section of every later chunk."""
    folder = tmp_path / "kb"
    folder.mkdir()
    blocks = [
        ("h", "Hours of Work"),
        ("p", "The office is open Monday through Friday from 9am to 5pm."),
        ("p", "5. Meetings"),
        ("p", "Team meetings are held every Tuesday morning."),
        ("h", "Dress Code"),
        ("p", "Business casual attire is expected at client meetings."),
    ]
    _pdf(folder / "handbook.pdf", "Northwind HR: Staff Handbook", blocks, cover="Staff Handbook")  # cover: part of the title
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, pii_enabled=False)
    Ingestor(settings, embeddings=model).ingest_folder()
    sections = {m["section"] for _, m in _chunks(settings, model, doc_id="handbook.pdf")}
    assert sections == {"Hours of Work", "Dress Code"}
    result = PolicyService(settings).ask("what should I wear to meet a client?")
    assert result.sources[0].section == "Dress Code" and "Business casual" in result.answer


def test_bundled_pdf_baggage_excess_is_labelled(kb):
    answer = PolicyService(kb[0]).ask("What is the excess for lost or stolen baggage?").answer
    assert "Maximum per person per trip: $2,500 ($500 per item) · Excess: $100" in answer


def test_bad_front_matter_names_the_file_field_and_expected_form(tmp_path, model):
    folder = tmp_path / "kb"
    folder.mkdir()
    body = "# Lockers\n\nLockers are emptied every Friday evening.\n"
    (folder / "good.md").write_text("---\ntitle: Lockers\neffective_date: 2026-01-01\n---\n" + body)
    (folder / "bad-date.md").write_text("---\ntitle: Lockers\neffective_date: 2026-13-01\n---\n" + body)
    (folder / "vague-review.md").write_text("---\ntitle: Lockers\nreview_by: next year\n---\n" + body)
    (folder / "broken-yaml.md").write_text("---\ntitle: Lockers\nowner: [People Ops\n---\n" + body)
    (folder / "guide.docx").write_bytes((REPO / "knowledge/hr/learning-budget.docx").read_bytes())
    (folder / "guide.docx.meta.yaml").write_text("title: Guide\nexpires: soon\n")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=folder, pii_enabled=False)
    report = Ingestor(settings, embeddings=model).ingest_folder()
    reasons = dict(report.skipped)
    assert report.added == ["good.md"]
    assert reasons["bad-date.md"].startswith("bad-date.md: invalid front matter: field 'effective_date'")
    assert "YYYY-MM-DD" in reasons["bad-date.md"] and "'2026-13-01'" in reasons["bad-date.md"]
    assert "field 'review_by'" in reasons["vague-review.md"] and "'next year'" in reasons["vague-review.md"]
    assert reasons["broken-yaml.md"].startswith("broken-yaml.md: broken YAML front matter at line ")
    assert reasons["guide.docx"].startswith("guide.docx.meta.yaml: invalid front matter: field 'expires'")
    assert not any("Traceback" in r or "ValueError" in r or "\n" in r for r in reasons.values())

    from bot.cli.app import app
    from bot.config import get_settings

    get_settings.cache_clear()  # read the environment below, not an earlier test's
    env = {"POLICYBOT_DATA_DIR": str(tmp_path / "data"), "KNOWLEDGE_DIR": str(folder), "PII_ENABLED": "false"}
    shown = CliRunner().invoke(app, ["ingest"], env=env)
    assert shown.exit_code == 0 and "vague-review.md" in shown.stdout and "Traceback" not in shown.stdout
    as_json = CliRunner().invoke(app, ["ingest", "--json"], env=env)
    assert "field 'review_by'" in as_json.stdout


def test_pdf_words_set_closer_than_a_space_are_not_glued_together():
    """A tightly set PDF (words 2.5 pt apart, no space characters) reads as words: "ascanned", "allowed10" made
    quotes miss the words a question asks about (handbook must-contain 0.27 -> 0.42 with the narrower gap)."""
    from fpdf import FPDF

    from bot.ingest.loaders import markdown_table
    from bot.ingest.pdf import read_pdf

    pdf = FPDF(format="Letter", unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    x = 72.0
    for word in ["A", "scanned", "copy", "is", "saved", "on", "the", "server", "within", "10", "working", "days."]:
        pdf.text(x, 100, word)
        x += pdf.get_string_width(word) + 2.5
    pages, _ = read_pdf(bytes(pdf.output()), markdown_table)
    assert pages == [(1, "A scanned copy is saved on the server within 10 working days.")]


@pytest.mark.parametrize("repeat_header", [1, 0])
def test_a_pdf_table_cut_by_a_page_break_is_one_table_on_the_page_where_it_starts(repeat_header):
    """The travel-insurance coverage table was two tables in two chunks (p. 1 and p. 2), so it was never quoted whole
    and its rows after the break lost their lead-in; "my bag didn't show up for 15 hours" missed its $300 row."""
    from fpdf import FPDF

    from bot.ingest.loaders import markdown_table
    from bot.ingest.pdf import read_pdf

    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "The table below shows each office's opening hours.", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(line_height=6, first_row_as_headings=True, repeat_headings=repeat_header) as table:
        for row in [["Office", "Opens"], *[[f"Office {n}", f"{7 + n % 3}:00"] for n in range(60)]]:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.multi_cell(0, 6, "Opening hours change on public holidays.", new_x="LMARGIN", new_y="NEXT")
    pages, _ = read_pdf(bytes(pdf.output()), markdown_table)
    assert len(pages) == 2, "the table needs a page break to test anything"
    (_, first), (_, second) = pages
    assert first.count("| Office | Opens |") == 1 and "| Office 0 | 7:00 |" in first and "| Office 59 | 9:00 |" in first
    assert "|" not in second and "Opening hours change on public holidays." in second


def test_a_sentence_cut_by_a_page_break_is_put_together_on_the_page_where_it_starts():
    """The handbook's "If an intermittent or reduced leave is" / (footer, page break) "requested on this basis, the
    Foundation may require…" were two chunks, each quoting half a clause."""
    from bot.ingest.cleaning import join_cut_sentences, join_wrapped_lines

    pages = [
        (22, "Personal Leave: This leave will be unpaid. If an intermittent or reduced leave is"),
        (
            23,
            "requested on this basis, the Foundation may require a transfer to an alternative\nposition with equal pay.\n"
            "Medical Leave: An employee may be granted a medical leave.",
        ),
        (24, "# Benefits\nThe Foundation pays the premiums."),
    ]
    joined = join_cut_sentences(pages)
    assert [p for p, _ in joined] == [22, 23, 24]
    assert join_wrapped_lines(joined[0][1]).endswith(
        "If an intermittent or reduced leave is requested on this basis, the Foundation may require a transfer to an "
        "alternative position with equal pay."
    )
    assert joined[1][1] == "Medical Leave: An employee may be granted a medical leave."
    assert joined[2] == pages[2], "a page opening with a heading continues nothing"


def test_a_pdf_line_ending_mid_clause_is_joined_to_the_next_even_when_it_starts_with_a_capital():
    from bot.ingest.cleaning import join_wrapped_lines

    text = (
        "The ED/CEO will be responsible for the implementation and monitoring of the Human Resource Policies and\n"
        "Procedures.\n"
        "File Management and Amendments to the Manual\n"
        "Employees are requested to assist."
    )
    assert join_wrapped_lines(text).splitlines() == [
        "The ED/CEO will be responsible for the implementation and monitoring of the Human Resource Policies and Procedures.",
        "File Management and Amendments to the Manual",
        "Employees are requested to assist.",
    ]
