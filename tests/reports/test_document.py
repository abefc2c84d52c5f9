"""The report base read back with pypdf: pages, frame texts, fonts, metadata, masking, atomicity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pdf_checks import font_problems, fonts_of
from report_samples import CPR, PERSONNUMMER, context, page_texts, read, story
from reportlab.platypus import Flowable, Paragraph, Table

from hemlos_desktop import i18n
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.charts import RadarSeries, radar_chart
from hemlos_desktop.reports.context import ReportContext, identity_text
from hemlos_desktop.reports.document import ReportLayoutError, pdf_bytes
from hemlos_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.reports.styles import report_styles
from hemlos_desktop.storage.files import write_bytes_atomic

# Enough rows that the table flows from page 1 over page 2 onto page 3.
ROWS_FOR_THREE_PAGES = 68


@pytest.fixture(scope="module")
def swedish() -> bytes:
    ctx = context("sv")
    return pdf_bytes(story(ctx, rows=ROWS_FOR_THREE_PAGES, with_charts=False), ctx)


@pytest.fixture(scope="module")
def danish() -> bytes:
    ctx = context("da")
    return pdf_bytes(story(ctx, rows=ROWS_FOR_THREE_PAGES, with_charts=False), ctx)


def test_long_table_flows_over_three_pages_with_header_repeated(swedish: bytes) -> None:
    texts = page_texts(swedish)
    assert len(texts) == 3
    for text in texts:
        assert "Insats Ansvarig Klart senast" in " ".join(text.split())
    # The table starts on the first page right under its heading, not on page 2.
    assert "Insats 1:" in texts[0]
    assert f"Insats {ROWS_FOR_THREE_PAGES}:" in texts[2]


def test_swedish_page_frame(swedish: bytes) -> None:
    texts = page_texts(swedish)
    for number, text in enumerate(texts, start=1):
        assert f"Sida {number} av 3" in text
        assert "Stockholms stad" in text
        assert "Sekretessbelagd handling" in text
        assert "Utskrivet 2026-03-05 14:30 av Åsa Lindqvist" in text
    last = " ".join(texts[-1].split())
    for label in ("Datum", "Underskrift", "Namnförtydligande"):
        assert label in last


def test_danish_page_frame(danish: bytes) -> None:
    texts = page_texts(danish)
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} af 3" in text
        assert "Københavns Kommune" in text
        assert "Fortrolig – indeholder personoplysninger" in text
        assert "Udskrevet 05.03.2026 14.30 af Søren Østergård" in text
    last = " ".join(texts[-1].split())
    for label in ("Dato", "Underskrift", "Navn med blokbogstaver"):
        assert label in last
    assert "Sagsbehandler" in last


def test_document_language_is_independent_of_the_ui_language() -> None:
    i18n.set_language("da")
    ctx = context("sv")
    text = " ".join(page_texts(pdf_bytes(story(ctx, rows=2, with_charts=False), ctx)))
    assert "Sida 1 av 1" in text
    assert "Side 1 af 1" not in text


@pytest.mark.parametrize("fixture", ["swedish", "danish"])
def test_every_font_is_embedded_dejavu(fixture: str, request: pytest.FixtureRequest) -> None:
    reader = read(request.getfixturevalue(fixture))
    names = {str(font["/BaseFont"]).split("+")[-1] for font in fonts_of(reader)}
    assert {REGULAR, BOLD} <= names
    assert font_problems(reader) == []


def test_swedish_and_danish_letters_survive_extraction() -> None:
    ctx = context("da")
    letters = "å ä ö æ ø é ü Å Ä Ö Æ Ø – “citat” …"
    text = page_texts(pdf_bytes([fl.body(ctx, letters)], ctx))[0]
    assert letters in text


def test_metadata_and_language(swedish: bytes, danish: bytes) -> None:
    for data, lang, title, author in (
        (swedish, "sv-SE", "Sammanfattning – Åsa Öberg", "Stockholms stad"),
        (danish, "da-DK", "Sammenfatning – Søren Ærø", "Københavns Kommune"),
    ):
        reader = read(data)
        meta = reader.metadata
        assert meta is not None
        assert meta.title == title
        assert meta.author == author
        assert meta.subject in ("Klient", "Borger")
        assert meta.creator is not None and meta.creator.startswith("Hemlös Desktop")
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_author_falls_back_to_the_program_name() -> None:
    ctx = context("sv", municipality="")
    meta = read(pdf_bytes([fl.body(ctx, "x")], ctx)).metadata
    assert meta is not None and meta.author == "Hemlös Desktop"


def test_identity_numbers_masked_by_default(swedish: bytes, danish: bytes) -> None:
    sv_text = " ".join(page_texts(swedish))
    da_text = " ".join(page_texts(danish))
    assert "19850312-****" in sv_text
    assert PERSONNUMMER not in sv_text and "1237" not in sv_text
    assert "120385-****" in da_text
    assert CPR not in da_text


def test_full_identity_numbers_when_chosen() -> None:
    for lang, number in (("sv", PERSONNUMMER), ("da", CPR)):
        ctx = context(lang, show_full_numbers=True)
        text = page_texts(pdf_bytes(story(ctx, rows=1, with_charts=False), ctx))[0]
        assert number in text


def test_identity_text_kinds() -> None:
    assert identity_text("AB12345", IdKind.RESERVE, show_full=False, language="sv") == "AB****"
    assert identity_text("", IdKind.NONE, show_full=True, language="sv") == "Ej identifierad"
    assert identity_text("", IdKind.NONE, show_full=False, language="da") == "Ikke identificeret"
    ctx = context("sv")
    assert ctx.identity_text(PERSONNUMMER, "personnummer") == "19850312-****"


def test_user_text_is_escaped(swedish: bytes) -> None:
    assert "Lena <Ek> & co" in page_texts(swedish)[0]


def test_draft_marking_on_every_page() -> None:
    ctx = context("da", draft=True)
    texts = page_texts(pdf_bytes(story(ctx, rows=40, with_charts=False), ctx))
    assert len(texts) >= 2
    assert all("KLADDE" in text for text in texts)


def test_large_type_for_clients() -> None:
    assert report_styles(large_type=True).body.fontSize == 14
    assert report_styles(large_type=False).body.fontSize == 10
    ctx = context("sv", large_type=True)
    normal = context("sv")
    big = len(read(pdf_bytes(story(ctx, rows=30, with_charts=False), ctx)).pages)
    small = len(read(pdf_bytes(story(normal, rows=30, with_charts=False), normal)).pages)
    assert big > small


def test_report_languages_are_swedish_danish_and_english() -> None:
    """A document is printed in the language the user works in (English too, for a client
    who reads English); no other language."""
    assert ReportContext(language="en", municipality="x", printed_by="y").pdf_lang == "en-GB"
    with pytest.raises(ValueError):
        ReportContext(language="de", municipality="x", printed_by="y")


class _FailsOnSecondPage(Flowable):  # type: ignore[misc]
    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 10, 10

    def draw(self) -> None:
        if self.canv.getPageNumber() >= 2:
            raise RuntimeError("simulated failure while drawing")


def write_pdf(story: list[Flowable], ctx: ReportContext, path: Path) -> None:
    """Render, then write atomically (as the services do): a failure leaves no file."""
    write_bytes_atomic(path, pdf_bytes(story, ctx))


def test_write_is_atomic(tmp_path: Path) -> None:
    ctx = context("sv")
    target = tmp_path / "out" / "summary.pdf"
    write_pdf(story(ctx, rows=5, with_charts=False), ctx, target)
    good = target.read_bytes()
    assert good.startswith(b"%PDF") and len(read(good).pages) == 1

    broken = [*story(ctx, rows=60, with_charts=False), _FailsOnSecondPage()]
    with pytest.raises(RuntimeError, match="simulated"):
        write_pdf(broken, ctx, target)
    assert target.read_bytes() == good  # the earlier file is untouched
    fresh = tmp_path / "out" / "new.pdf"
    with pytest.raises(RuntimeError):
        write_pdf([*story(ctx, rows=60, with_charts=False), _FailsOnSecondPage()], ctx, fresh)
    assert not fresh.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["summary.pdf"]


def test_content_taller_than_a_page_is_a_known_error(tmp_path: Path) -> None:
    ctx = context("sv")
    huge = Table([["x"]], rowHeights=[2000])
    target = tmp_path / "huge.pdf"
    with pytest.raises(ReportLayoutError) as info:
        write_pdf([huge], ctx, target)
    assert info.value.message()
    assert not target.exists()


def test_heading_does_not_end_a_page_alone() -> None:
    ctx = context("sv")
    filler = [Paragraph(f"Rad {i}", report_styles().body) for i in range(44)]
    parts = [*filler, fl.heading1(ctx, "Rubriken"), fl.body(ctx, "Texten under rubriken")]
    texts = page_texts(pdf_bytes(parts, ctx))
    assert len(texts) == 2
    assert "Rubriken" not in texts[0]
    assert "Rubriken" in texts[1]


def test_fonts_registered_once() -> None:
    from reportlab.pdfbase import pdfmetrics

    assert register_fonts() is register_fonts()
    assert REGULAR in pdfmetrics.getRegisteredFontNames()


def test_sample_documents_have_no_english(swedish: bytes, danish: bytes) -> None:
    assert english_leaks(" ".join(page_texts(swedish)), "sv") == []
    assert english_leaks(" ".join(page_texts(danish)), "da") == []


def test_table_of_35_rows_and_a_chart_make_two_pages() -> None:
    """The document that benchmarks/pdf_base.py times (target 0.2 s): two pages."""
    ctx = context("sv")
    parts = [
        *story(ctx, rows=35, with_charts=False),
        radar_chart(
            ctx,
            ["Boende", "Försörjning", "Missbruk", "ADL", "Sysselsättning"],
            [RadarSeries("Förra", [1, 2, 2, 1, 3]), RadarSeries("Nu", [3, 3, 2, 2, 4])],
        ),
    ]
    assert len(read(pdf_bytes(parts, ctx)).pages) == 2


def test_dates_in_the_documents_locale() -> None:
    assert context("sv").format_date(dt.date(2026, 3, 5)) == "2026-03-05"
    assert context("da").format_date(dt.date(2026, 3, 5)) == "05.03.2026"
    assert context("da").format_date(None) == ""


def test_bullet_and_numbered_lists_use_our_font() -> None:
    ctx = context("sv")
    parts = [
        fl.bullet_list(ctx, ["Eget kontrakt <snart>", "Arbete & fritid"]),
        fl.bullet_list(ctx, ["Första steget", "Andra steget"], numbered=True),
    ]
    data = pdf_bytes(parts, ctx)
    text = " ".join(page_texts(data)[0].split())
    assert "• Eget kontrakt <snart> • Arbete & fritid" in text
    assert "1. Första steget 2. Andra steget" in text
    assert font_problems(read(data)) == []


def test_long_municipality_name_is_shortened_in_the_header() -> None:
    ctx = context("da", municipality="Meget Lang Kommune " * 8)
    text = page_texts(pdf_bytes([fl.body(ctx, "x")], ctx))[0]
    assert "…" in text
    assert "Fortrolig – indeholder personoplysninger" in text


def test_long_words_get_a_wide_enough_column() -> None:
    ctx = context("da", large_type=True)
    table = fl.data_table(
        ctx,
        ["Indsats", "Ansvarlig", "Frist"],
        [["Søge bolig via boligkontoret", "Bostøttemedarbejder", "01.06.2026"]],
        col_widths=(4, 3, 2),
    )
    text = page_texts(pdf_bytes([table], ctx))[0]
    assert "Bostøttemedarbejder" in text
    assert "01.06.2026" in text


def test_empty_document_has_one_framed_page() -> None:
    texts = page_texts(pdf_bytes([], context("sv")))
    assert len(texts) == 1 and "Sida 1 av 1" in texts[0]
