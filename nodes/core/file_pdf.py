"""PDF report: a title, the period, a table of the items and a bar chart, in a Unicode font
(DejaVu Sans, bundled), stored with the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from nodes.core.paths import get_path
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node
from server.engine.filters import format_date, money, number_format, to_number

FONTS = Path(__file__).parent / "fonts"
FORMATS = ["text", "number", "money", "percent", "date"]


@node(
    type="core.file.pdf",
    title="PDF report",
    group="Files",
    description="A PDF with a title, the period, a table of the items and a bar chart.",
    icon="file-pdf",
    params={
        "type": "object",
        "required": ["title"],
        "properties": {
            "title": {"title": "Title", "type": "string", "minLength": 1},
            "period": {"title": "Period", "type": "string",
                       "description": "A line under the title, e.g. 1 to 7 Dec 2026."},
            "filename": {"title": "File name", "type": "string",
                         "default": "{{ run.workflow }} {{ today() }}.pdf"},
            "columns": {
                "title": "Table columns", "type": "array", "minItems": 1,
                "items": {"type": "object", "required": ["field"], "properties": {
                    "field": {"type": "string", "minLength": 1},
                    "label": {"type": "string"},
                    "format": {"enum": FORMATS, "default": "text"}}}},
            "chart_label": {"title": "Chart: label field", "type": "string",
                            "description": "Leave empty for no chart."},
            "chart_value": {"title": "Chart: value field", "type": "string"},
            "chart_title": {"title": "Chart title", "type": "string"},
            "currency": {"title": "Currency", "type": "string", "default": "USD"},
            "totals": {"title": "Total the number columns", "type": "boolean", "default": True},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    rendered = params.render(items[0] if items else None)
    columns = rendered.get("columns") or [{"field": key} for key in (items[0] if items else {})]
    if not columns:
        raise NodeError("The report has no columns: add some, or give it items.")
    pdf = _document()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, str(rendered["title"]), new_x="LMARGIN", new_y="NEXT")
    if rendered.get("period"):
        pdf.set_font("DejaVu", "", 11)
        pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(0, 7, str(rendered["period"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    currency = str(rendered.get("currency") or "USD")
    _table(pdf, items, columns, currency, bool(rendered.get("totals", True)))
    if rendered.get("chart_label") and rendered.get("chart_value"):
        _bar_chart(pdf, items, str(rendered["chart_label"]), str(rendered["chart_value"]),
                   str(rendered.get("chart_title") or ""), currency)
    name = str(rendered.get("filename") or "report.pdf")
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    file = ctx.service("files").save(name, bytes(pdf.output()), "application/pdf")
    return {"main": [{"file": file, "rows": len(items)}]}


def _document() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    return pdf


def _format(value: Any, kind: str, currency: str) -> str:
    if value in (None, ""):
        return ""
    try:
        if kind == "money":
            return money(value, currency)
        if kind == "number":
            number = to_number(value)
            return number_format(number, 0 if float(number).is_integer() else 2)
        if kind == "percent":
            return f"{number_format(value, 1)} %"
        if kind == "date":
            return format_date(value, "%d %b %Y")
    except ValueError:
        return str(value)
    return str(value)


def _table(pdf: FPDF, items: Items, columns: list[dict[str, Any]], currency: str,
           totals: bool) -> None:
    pdf.set_font("DejaVu", "", 9)
    numeric = [c.get("format") in ("number", "money") for c in columns]
    rows = [[_format(get_path(item, c["field"]), c.get("format", "text"), currency)
             for c in columns] for item in items]
    if totals and any(numeric) and items:
        total_row = []
        for index, column in enumerate(columns):
            if numeric[index]:
                total = sum(float(to_number(get_path(i, column["field"]) or 0)) for i in items)
                total_row.append(_format(total, column.get("format", "number"), currency))
            else:
                total_row.append("Total" if index == 0 else "")
        rows.append(total_row)
    alignments = tuple("RIGHT" if n else "LEFT" for n in numeric)
    with pdf.table(text_align=alignments, line_height=6,
                   headings_style=_headings()) as table:
        table.row([c.get("label") or c["field"] for c in columns])
        for row in rows:
            table.row(row)


def _headings() -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(230, 234, 242))


def _bar_chart(pdf: FPDF, items: Items, label_field: str, value_field: str, title: str,
               currency: str) -> None:
    bars: list[tuple[str, float]] = []
    for item in items:
        bars.append((str(get_path(item, label_field) or "-"), _number(item, value_field)))
    if not bars:
        return
    pdf.ln(6)
    if pdf.get_y() > 200:
        pdf.add_page()
    if title:
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    largest = max((value for _, value in bars), default=0) or 1
    left, label_width, bar_room, height = pdf.l_margin, 45, 110, 6
    for label, value in bars:
        y = pdf.get_y()
        pdf.set_xy(left, y)
        pdf.cell(label_width, height, label[:28])
        width = max(bar_room * value / largest, 0.5)
        pdf.set_fill_color(79, 70, 229)
        pdf.rect(left + label_width, y + 1, width, height - 2, style="F")
        pdf.set_xy(left + label_width + width + 2, y)
        pdf.cell(30, height, money(value, currency))
        pdf.ln(height + 1)


def _number(item: Item, field: str) -> float:
    value = get_path(item, field)
    try:
        return float(to_number(value)) if value not in (None, "") else 0.0
    except ValueError:
        raise NodeError(f"{field} is not a number: {value!r}.") from None
