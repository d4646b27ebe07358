"""The agenda document in HTML, PDF and DOCX, made from the real seed agenda by the real
renderers (Django templates, typst, python-docx, cairosvg) and read back with poppler, pypdf,
python-docx and LibreOffice. Each format of the published agenda is made once per session."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import make_user
from trechter.agenda.models import Proposal, Theme
from trechter.agenda.queries import overview_table
from trechter.agenda.templatetags.trechter import euros
from trechter.reports import renderers
from trechter.reports.builder import build_document
from trechter.reports.content import load_content
from trechter.reports.document import FALLBACK_MARKER, Document
from trechter.versions import actions as workflow
from trechter.versions.snapshot import draft_values

KIND_ORDER = ("cooperation", "project")


# Every test here reads the database (the session's files are made from it): marked, so that
# pytest-django runs them before the transactional tests, whose flush removes the seed.
pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------- fixtures


def expected_overview(english: bool = False) -> list[tuple[str, str]]:
    """(label, TRL) per row of section 2.1, from overview_table() and the proposals' TRLs."""
    rows = []
    for row in overview_table():
        for kind in KIND_ORDER:
            labels = {
                ("cooperation", False): row.cooperation,
                ("project", False): row.projects,
                ("cooperation", True): row.cooperation_en,
                ("project", True): row.projects_en,
            }[kind, english]
            listed = Proposal.objects.filter(theme__key=row.theme_key, kind=kind, overview_order__isnull=False)
            trls = [p.trl_label or "—" for p in listed.order_by("overview_order")]
            assert len(trls) == len(labels)
            rows.extend(zip(labels, trls, strict=True))
    return rows


def expected_figures() -> list[tuple[str, str, str, str]]:
    """Per theme: its name, cooperation and project counts and the sum of the proposals'
    total budgets, straight from the tables."""
    rows = []
    for theme in Theme.objects.order_by("order"):
        own = list(Proposal.objects.filter(theme=theme))
        ranges = [p.budget_total_range for p in own if p.budget_total_range]
        low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
        budget = "—" if not ranges else euros(low) if low == high else f"{euros(low)} – {euros(high)}"
        counts = [str(sum(1 for p in own if p.kind == kind)) for kind in KIND_ORDER]
        rows.append((theme.name_nl, *counts, budget))
    return rows


@pytest.fixture(scope="session")
def made(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The published agenda in Dutch in all three formats, plus what the tables say it holds."""
    with django_db_blocker.unblock():
        document = build_document(load_content("published"), language="nl")
        english = build_document(load_content("published"), language="en")
        folder = tmp_path_factory.mktemp("report")
        files = {}
        # Through the command line, so the CLI's files are the ones every test reads.
        for fmt in renderers.FORMATS:
            call_command("report", "--format", fmt, "--lang", "nl", "--output", str(folder))
            files[fmt] = folder / f"{document.file_stem}.{fmt}"
        return {
            "document": document,
            "english": english,
            "english_html": renderers.render_html(english),
            "files": files,
            "pdf_text": pdf_text(files["pdf"]),
            "folder": folder,
            "overview": expected_overview(),
            "overview_en": expected_overview(english=True),
            "figures": expected_figures(),
            "themes": [t.name_nl for t in Theme.objects.order_by("order")],
            "listed_themes": [r.theme_nl for r in overview_table() if r.cooperation or r.projects],
        }


@pytest.fixture(scope="session")
def converted(made: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DOCX converted to PDF by LibreOffice, once; its own profile so parallel runs do not clash."""
    out = tmp_path_factory.mktemp("soffice")
    profile = tmp_path_factory.mktemp("soffice-profile")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(made["files"]["docx"]),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={"HOME": str(profile), "PATH": "/usr/bin:/bin"},
    )
    return out / made["files"]["docx"].with_suffix(".pdf").name


# ---------------------------------------------------------------------------- readers


class Tables(HTMLParser):
    """Tables of an HTML page by their data-key: rows of cell texts; also every h3 heading."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headings: list[str] = []
        self._key: str | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._svg += 1
        elif tag == "table":
            self._key = dict(attrs).get("data-key")
            self.tables[self._key or ""] = []
        elif tag == "tr" and self._key is not None:
            self.tables[self._key].append([])
        elif tag in ("td", "th") and self._key is not None:
            self._cell = []
        elif tag == "h3":
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg -= 1
        elif tag == "table":
            self._key = None
        elif tag in ("td", "th") and self._cell is not None and self._key is not None:
            self.tables[self._key][-1].append(re.sub(r"[ \t\r\n]+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "h3" and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._svg:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def html_tables(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def squeeze(text: str) -> str:
    """Text without any whitespace, ligatures unfolded: PDF extraction spaces words freely."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pages(pdf: Path | bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages]


def pdf_text(pdf: Path | bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def docx_text(path: Path) -> str:
    from docx import Document as Docx

    docx = Docx(str(path))
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def docx_table(path: Path, header: tuple[str, ...]) -> list[list[str]]:
    from docx import Document as Docx

    for table in Docx(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if tuple(rows[0]) == header:
            return rows[1:]
    raise AssertionError(f"no table with header {header}")


def pairs_in_order(text: str, rows: list[tuple[str, str]]) -> list[str]:
    """Problems: a label missing (in order), or a row's TRL not between its label and the next."""
    text = squeeze(text)
    problems, position, found = [], 0, []
    for label, _trl in rows:
        at = text.find(squeeze(label), position)
        if at < 0:
            problems.append(f"label not found in order: {label}")
            continue
        found.append((at, label))
        position = at + len(squeeze(label))
    for (at, label), (trl, following) in zip(found, [(r[1], n) for n, r in enumerate(rows)], strict=False):
        end = found[following + 1][0] if following + 1 < len(found) else len(text)
        if squeeze(trl) not in text[at + len(squeeze(label)) : end]:
            problems.append(f"{label}: {trl} not in its row")
    return problems


# ---------------------------------------------------------------------------- PDF


def test_pdf_every_page_renders_to_a_non_blank_image(made: dict[str, Any], tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    pdf = made["files"]["pdf"]
    page_count = len(PdfReader(pdf).pages)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    images = sorted(tmp_path.glob("page-*.png"))

    assert page_count > 10
    assert len(images) == page_count
    blank = [image.name for image in images if Image.open(image).convert("L").getextrema() == (255, 255)]
    assert blank == []


def test_pdf_overview_table_is_the_data(made: dict[str, Any]) -> None:
    text = made["pdf_text"]
    caption = made["document"].table("overview").caption
    start = squeeze(text).find(squeeze(caption))
    assert start >= 0

    assert pairs_in_order(squeeze(text)[start:], made["overview"]) == []


def test_pdf_has_a_funnel_figure_per_theme(made: dict[str, Any]) -> None:
    text = squeeze(made["pdf_text"])
    captions = [squeeze(f.caption.__str__()) for f in made["document"].figures]

    assert len(captions) == len(made["themes"])
    assert all(caption in text for caption in captions)


def test_pdf_chapters_start_a_page_with_their_numbered_heading(made: dict[str, Any]) -> None:
    from pypdf import PdfReader

    document = made["document"]
    pages = [squeeze(text) for text in pdf_pages(made["files"]["pdf"])]
    page_starts = [page[:200] for page in pages]
    chapters = [squeeze(section.heading) for section in document.sections]
    themes = [squeeze(b.heading) for b in document.walk() if getattr(b, "key", "").startswith("theme-")]
    reader = PdfReader(made["files"]["pdf"])

    assert [c for c in chapters if not any(start.startswith(c) for start in page_starts)] == []
    assert len(themes) == len(made["themes"])
    assert [t for t in themes if not any(start.startswith(t) for start in page_starts)] == []
    with translation.override("nl"):
        assert pages[1].startswith(squeeze(translation.gettext("Contents")))
    assert all(c in pages[1] for c in chapters)
    assert reader.metadata.title == document.title
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_pdf_marks_dutch_text_in_an_english_document(made: dict[str, Any]) -> None:
    from pypdf import PdfReader

    pdf = renderers.render_pdf(made["english"])
    fallbacks = [b for b in made["english"].walk() if getattr(b, "text", None) and getattr(b.text, "fallback", False)]

    assert fallbacks  # the seed has no English conclusions
    assert pdf_text(pdf).count(FALLBACK_MARKER) >= len(fallbacks)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


# Everything typst would read as markup or code if the text were pasted into its source.
TYPST_SPECIAL = "#import \"x\": * = $a$ [b] <c> @d \\ // e _f_ `g` ~ -- ... 'h' #{1 + 1}"


@pytest.mark.django_db
def test_pdf_prints_typst_markup_in_content_literally() -> None:
    core = make_user("core", "core_group")
    key = Proposal.objects.order_by("key").values_list("key", flat=True).first()
    _change_title(key, TYPST_SPECIAL, core)
    client = Client()
    client.force_login(core)

    response = client.get("/nl/report/draft.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert squeeze(TYPST_SPECIAL) in squeeze("".join(pages))
    with translation.override("nl"):
        assert squeeze(pages[0]).startswith(translation.gettext("Draft").upper())  # the draft mark


# ---------------------------------------------------------------------------- DOCX


def test_docx_overview_table_is_the_data(made: dict[str, Any]) -> None:
    header = made["document"].table("overview").header
    rows = docx_table(made["files"]["docx"], header)

    assert [(row[2], row[3]) for row in rows] == made["overview"]
    assert [row[0] for row in rows if row[0]] == made["listed_themes"]


def test_docx_theme_chapters_are_the_themes_each_with_its_funnel_picture(made: dict[str, Any]) -> None:
    from docx import Document as Docx

    docx = Docx(str(made["files"]["docx"]))
    pictures: dict[str, int] = {}
    current = None
    for paragraph in docx.paragraphs:
        if paragraph.style.name == "Heading 2":
            match = re.match(r"^2\.(\d+) (.*)$", paragraph.text)
            current = match.group(2) if match and match.group(1) != "1" else None
            if current:
                pictures[current] = 0
        elif current and "pic:pic" in paragraph._p.xml:
            pictures[current] += 1

    assert list(pictures) == made["themes"]
    assert set(pictures.values()) == {1}
    assert all(shape.type is not None for shape in docx.inline_shapes)
    assert len(docx.inline_shapes) == len(made["themes"])


def test_docx_converts_with_libreoffice(converted: Path) -> None:
    from pypdf import PdfReader

    assert len(PdfReader(converted).pages) > 10


# ---------------------------------------------------------------------------- HTML


def test_html_overview_table_is_the_data_in_both_languages(made: dict[str, Any]) -> None:
    dutch = html_tables(made["files"]["html"].read_text(encoding="utf-8")).tables["overview"][1:]
    english = html_tables(made["english_html"]).tables["overview"][1:]

    assert [(row[2], row[3]) for row in dutch] == made["overview"]
    assert [(row[2].removesuffix(" [NL]"), row[3]) for row in english] == made["overview_en"]


def test_html_marks_dutch_text_in_an_english_document(made: dict[str, Any]) -> None:
    html = made["english_html"]

    # The seed has no English conclusions: they are shown in Dutch, marked.
    assert '<abbr class="fallback"' in html
    assert html.count('lang="nl"') > 1
    assert made["english"].language == "en" and '<html lang="en">' in html


def test_same_figures_in_html_pdf_and_docx(made: dict[str, Any]) -> None:
    figures = made["figures"]
    html_rows = html_tables(made["files"]["html"].read_text(encoding="utf-8")).tables["figures"][1:]
    docx_rows = docx_table(made["files"]["docx"], made["document"].table("figures").header)
    pdf = squeeze(made["pdf_text"])

    assert [tuple(row) for row in html_rows[:-1]] == figures
    assert [tuple(row) for row in docx_rows[:-1]] == figures
    assert html_rows[-1] == docx_rows[-1]
    for row in [*figures, tuple(html_rows[-1])]:
        assert squeeze("".join(row)) in pdf, row


@pytest.mark.django_db
def test_document_is_built_without_queries(django_assert_num_queries: Any) -> None:
    content = load_content("published")

    with django_assert_num_queries(0):
        document = build_document(content, language="en")
        renderers.render_html(document)

    assert isinstance(document, Document)


# ---------------------------------------------------------------------------- editions


def _change_title(key: str, title: str, user: Any) -> None:
    proposal = Proposal.objects.get(key=key)
    data = draft_values(proposal) | {"title_nl": title}
    workflow.save_change(proposal=proposal, data=data, token=workflow.NEW_TOKEN, by=user)


@pytest.mark.django_db
def test_draft_shows_the_drafted_change_and_published_does_not() -> None:
    core = make_user("core", "core_group")
    key = Proposal.objects.order_by("key").values_list("key", flat=True).first()
    _change_title(key, "Een gedrafte titel voor het rapport", core)
    client = Client()
    client.force_login(core)

    draft = client.get("/nl/report/draft.html")
    published = client.get("/nl/report/published.html")

    assert draft.status_code == published.status_code == 200
    assert "Een gedrafte titel voor het rapport" in draft.content.decode()
    assert "Een gedrafte titel voor het rapport" not in published.content.decode()
    assert draft["Content-Disposition"] == 'attachment; filename="trechter-agenda-draft-nl.html"'


@pytest.mark.django_db
def test_version_n_shows_its_own_content_after_a_publication() -> None:
    core = make_user("core", "core_group")
    proposal = Proposal.objects.order_by("key").first()
    old_title = proposal.title_nl
    _change_title(proposal.key, "Titel van versie twee", core)
    version = workflow.open_version(agenda=proposal.theme.agenda, by=core)
    workflow.submit_version(version=version, by=core)
    workflow.publish_version(version=version, by=core, note="Tweede versie")
    client = Client()

    first = client.get("/nl/report/1.html").content.decode()
    second = client.get("/nl/report/2.html")
    latest = client.get("/nl/report/published.html")

    assert old_title in first and "Titel van versie twee" not in first
    assert "Titel van versie twee" in second.content.decode()
    assert "Tweede versie" in second.content.decode()  # the release note, in the history
    assert second["Content-Disposition"] == 'attachment; filename="trechter-agenda-v2-nl.html"'
    assert latest["Content-Disposition"] == 'attachment; filename="trechter-agenda-v2-nl.html"'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/nl/report/9.html", "/nl/report/nonsense.html", "/nl/report/1.exe", "/nl/report/0.pdf"]
)
def test_unknown_edition_or_format_is_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_anonymous_gets_published_files_with_content_type(client: Client) -> None:
    response = client.get("/en/report/1.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == renderers.CONTENT_TYPES["docx"]
    assert response["Content-Disposition"] == 'attachment; filename="trechter-agenda-v1-en.docx"'
    assert response.content[:2] == b"PK"


# ---------------------------------------------------------------------------- permissions


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [(None, 403), ("member", 403), ("jury", 403), ("core_group", 200)])
def test_draft_report_only_for_editors(client: Client, role: str | None, status: int) -> None:
    if role:
        client.force_login(make_user("someone", role))

    assert client.get("/nl/report/draft.html").status_code == status


@pytest.mark.django_db
def test_theme_lead_may_download_the_draft(client: Client) -> None:
    client.force_login(make_user("lead", "theme_lead", theme="energy"))

    assert client.get("/nl/report/draft.html").status_code == 200


@pytest.mark.django_db
def test_report_page_lists_versions_and_the_draft_only_for_editors(client: Client) -> None:
    public = client.get("/nl/report/").content.decode()
    client.force_login(make_user("core", "core_group"))
    editor = client.get("/en/report/").content.decode()

    assert 'href="/nl/report/1.pdf"' in public and 'href="/en/report/1.docx"' in public
    assert "draft." not in public
    assert 'href="/en/report/draft.pdf"' in editor
    assert 'href="/nl/report/conclusions/"' in editor or "/en/report/conclusions/" in editor


@pytest.mark.django_db
def test_home_page_offers_the_download(client: Client) -> None:
    html = client.get("/nl/").content.decode()

    assert 'href="/nl/report/published.pdf"' in html
    assert 'href="/nl/report/published.docx"' in html
    assert 'href="/nl/report/"' in html


# ---------------------------------------------------------------------------- CLI


def test_cli_wrote_each_format(made: dict[str, Any]) -> None:
    # The session's files were written by `trechter report --format F --lang nl --output DIR`.
    magic = {"html": b"<!doctype html>", "docx": b"PK", "pdf": b"%PDF"}
    files = made["files"]

    assert sorted(path.name for path in made["folder"].iterdir()) == sorted(
        f"trechter-agenda-v1-nl.{fmt}" for fmt in magic
    )
    assert all(files[fmt].read_bytes().startswith(start) for fmt, start in magic.items())
    assert "Nederlands/Vlaamse high tech samenwerkingsagenda" in docx_text(files["docx"])


@pytest.mark.django_db
def test_cli_writes_a_named_file(tmp_path: Path) -> None:
    target = tmp_path / "agenda.docx"

    call_command("report", "--format", "docx", "--lang", "en", "--version", "1", "--output", str(target))

    assert "Dutch/Flemish high-tech cooperation agenda" in docx_text(target)


@pytest.mark.django_db
def test_cli_html_to_stdout_and_bad_version_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management.base import CommandError

    call_command("report")
    out = capsys.readouterr().out

    assert out.startswith("<!doctype html>") and "Nederlands/Vlaamse high tech samenwerkingsagenda" in out
    with pytest.raises(CommandError, match="--version"):
        call_command("report", "--version", "42")
