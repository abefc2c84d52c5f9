"""Documents assembled from plain data for the report-base tests (no database)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pypdf import PdfReader
from reportlab.platypus import Flowable

from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.bar_chart import BarSeries, grouped_bar_chart
from hemlos_desktop.reports.charts import HousingPeriod, RadarSeries, housing_timeline, radar_chart
from hemlos_desktop.reports.context import ReportContext

PRINTED_AT = dt.datetime(2026, 3, 5, 14, 30)
PERSONNUMMER = "19850312-1237"
CPR = "120385-1234"

AREAS = {
    "sv": ["Boende", "Försörjning", "Missbruk", "ADL", "Sysselsättning"],
    "da": ["Bolig", "Forsørgelse", "Misbrug", "ADL", "Beskæftigelse"],
}
HOUSING = {
    "sv": {
        1: "Hemlös",
        2: "Stödboende",
        3: "Träningsboende",
        4: "Inneboende",
        5: "Eget kontrakt",
        6: "Avslutat",
    },
    "da": {
        1: "Hjemløs",
        2: "Herberg",
        3: "Træningsbolig",
        4: "Fremlejer",
        5: "Egen bolig",
        6: "Afsluttet",
    },
}
WORDS = {
    "sv": {
        "title": "Sammanfattning – Åsa Öberg",
        "client": "Klient",
        "number": "Personnummer",
        "actions": "Insatser",
        "action": "Insats",
        "who": "Ansvarig",
        "due": "Klart senast",
        "first": "Första",
        "previous": "Föregående",
        "latest": "Senaste",
        "women": "Kvinnor",
        "men": "Män",
        "kept": "Behöll kontraktet",
        "housed": "Fick bostad",
        "caseworker": "Handläggare",
    },
    "da": {
        "title": "Sammenfatning – Søren Ærø",
        "client": "Borger",
        "number": "CPR-nummer",
        "actions": "Indsatser",
        "action": "Indsats",
        "who": "Ansvarlig",
        "due": "Frist",
        "first": "Første",
        "previous": "Forrige",
        "latest": "Seneste",
        "women": "Kvinder",
        "men": "Mænd",
        "kept": "Beholdt lejemålet",
        "housed": "Fik bolig",
        "caseworker": "Sagsbehandler",
    },
}


def context(lang: str, **changes: Any) -> ReportContext:
    values: dict[str, Any] = {
        "language": lang,
        "municipality": "Stockholms stad" if lang == "sv" else "Københavns Kommune",
        "printed_by": "Åsa Lindqvist" if lang == "sv" else "Søren Østergård",
        "printed_at": PRINTED_AT,
        "title": WORDS[lang]["title"],
        "subject": WORDS[lang]["client"],
    }
    values.update(changes)
    return ReportContext(**values)


def charts(ctx: ReportContext) -> list[Flowable]:
    words = WORDS[ctx.language]
    radar = radar_chart(
        ctx,
        AREAS[ctx.language],
        [
            RadarSeries(words["first"], [1, 1, 2, 1, 1]),
            RadarSeries(words["previous"], [2, 2, 3, 2, 1]),
            RadarSeries(words["latest"], [4, 3, 3, None, 2]),
        ],
    )
    timeline = housing_timeline(
        ctx,
        [
            HousingPeriod(dt.date(2024, 11, 3), dt.date(2025, 2, 14), 1),
            HousingPeriod(dt.date(2025, 2, 14), dt.date(2025, 7, 1), 2),
            HousingPeriod(dt.date(2025, 7, 1), dt.date(2025, 12, 20), 3),
            HousingPeriod(dt.date(2025, 12, 20), None, 5),
        ],
        code_labels=HOUSING[ctx.language],
    )
    bars = grouped_bar_chart(
        ctx,
        [words["kept"], words["housed"]],
        [BarSeries(words["women"], [12, 7]), BarSeries(words["men"], [9, 11])],
    )
    return [radar, timeline, bars]


def story(ctx: ReportContext, *, rows: int = 20, with_charts: bool = True) -> list[Flowable]:
    words = WORDS[ctx.language]
    kind = IdKind.PERSONNUMMER if ctx.language == "sv" else IdKind.CPR
    number = PERSONNUMMER if ctx.language == "sv" else CPR
    parts: list[Flowable] = [
        fl.title(ctx, words["title"]),
        fl.facts_table(
            ctx,
            [
                (words["client"], "Åsa Öberg" if ctx.language == "sv" else "Søren Ærø"),
                (words["number"], ctx.identity_text(number, kind)),
                (words["caseworker"], "Lena <Ek> & co"),
            ],
        ),
        fl.heading1(ctx, words["actions"]),
        fl.data_table(
            ctx,
            [words["action"], words["who"], words["due"]],
            [
                [
                    f"{words['action']} {i + 1}: bostadssökande, “egna ord” …",
                    "Boendelots",
                    ctx.format_date(dt.date(2026, 4, 1) + dt.timedelta(days=i)),
                ]
                for i in range(rows)
            ],
            col_widths=(5, 2, 2),
        ),
    ]
    if with_charts:
        parts.extend(charts(ctx))
    parts.append(fl.signature_lines(ctx, [words["client"], words["caseworker"]]))
    return parts


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]
