"""Document numbering (per body, series and year) and .docx generation from the editable templates."""

import hashlib
import io
import re
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from ..audit import file_entry
from ..docxgen import TEMPLATE_DIR, TEMPLATES
from ..models import CaseDocument, DocumentCounter, DocumentKind, DocumentTemplate, EnforcementBody

# Series code per document; documents without one carry the case number instead.
SERIES = {
    "filing_approval": "立",
    "correction_order": "责改",
    "prior_notice": "罚告",
    "hearing_notice": "听告",
    "decision": "罚决",
    "spot_decision": "当罚",
    "urge_notice": "催告",
    "referral_letter": "移送",
    "seizure_decision": "强措",
}
CLUE_SERIES = "线索"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
DIGITS = "零壹贰叁肆伍陆柒捌玖"


def next_number(body: EnforcementBody, series: str, year: int) -> str:
    """The next number, e.g. 汴城管罚决字〔2026〕第0001号. Numbers are never reused: the counter row is locked."""
    with transaction.atomic():
        if not DocumentCounter.objects.filter(body=body, series=series, year=year).exists():
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(body=body, series=series, year=year)
            except IntegrityError:
                pass  # created concurrently
        counter = DocumentCounter.objects.select_for_update().get(body=body, series=series, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    if series == CLUE_SERIES:
        return f"{body.short_name}{series}〔{year}〕{counter.last_number:05d}号"
    return f"{body.short_name}{series}字〔{year}〕第{counter.last_number:04d}号"


def _group(n: int) -> str:
    out, zero = "", False
    for pos, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + DIGITS[d] + unit
            zero = False
    return out


def rmb_upper(value) -> str:
    """Amount in Chinese capital numerals as written on financial documents: 1234.5 → 壹仟贰佰叁拾肆元伍角整."""
    value = Decimal(value).quantize(Decimal("0.01"))
    integer, cents = int(value), int((value - int(value)) * 100)
    if integer == 0 and cents == 0:
        return "零元整"
    text, groups, n = "", [], integer
    while n:
        groups.append(n % 10000)
        n //= 10000
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            continue
        if text and (g < 1000 or groups[i + 1] == 0):
            text += "零"
        text += _group(g) + ("", "万", "亿", "万亿")[i]
    if integer:
        text += "元"
    jiao, fen = divmod(cents, 10)
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and integer:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def template_bytes(kind: str) -> bytes:
    """The newest active uploaded template for `kind`, else the shipped one."""
    uploaded = DocumentTemplate.objects.filter(kind=kind, is_active=True).order_by("-uploaded_at").first()
    if uploaded is not None:
        with uploaded.file.open("rb") as fh:
            return fh.read()
    path = TEMPLATE_DIR / f"{kind}.docx"
    if not path.exists():
        raise ValidationError(_("no template for %(kind)s: upload one in admin") % {"kind": kind}, field="kind")
    return path.read_bytes()


def _fill_paragraph(paragraph, context: dict) -> None:
    text = "".join(run.text for run in paragraph.runs)
    if "{{" not in text:
        return
    new = PLACEHOLDER.sub(lambda m: str(context.get(m[1], "")), text)
    # Placeholders may be split across runs by word processors: put the text in the first run, keep its style.
    paragraph.runs[0].text = new
    for run in paragraph.runs[1:]:
        run.text = ""


def _paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from part.paragraphs


def render(template: bytes, context: dict) -> bytes:
    from docx import Document  # on first use: python-docx takes ~15 MB per process

    doc = Document(io.BytesIO(template))
    for paragraph in _paragraphs(doc):
        _fill_paragraph(paragraph, context)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def validate_template(data: bytes) -> None:
    """An uploaded template must be a .docx that python-docx opens."""
    from docx import Document

    try:
        Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a usable .docx"
        raise ValidationError(_("the file is not a Word (.docx) document"), field="file") from exc


def document_generate(*, case, kind: str, actor, now, context: dict) -> tuple[CaseDocument, dict]:
    """Number (if the kind has a series), render, store and hash one document. Returns the document and the
    file entry for the audit chain (the caller appends it with the act's record)."""
    if kind not in TEMPLATES or kind not in DocumentKind.values:
        raise ValidationError(_("unknown document kind %(kind)s") % {"kind": kind}, field="kind")
    series = SERIES.get(kind)
    number = next_number(case.body, series, timezone.localtime(now).year) if series else ""
    if kind == "filing_approval":
        case.number = number
    template = template_bytes(kind)
    data = render(template, {**context, "number": number, "case_number": case.number or case.clue_number})
    digest = hashlib.sha256(data).hexdigest()
    doc = CaseDocument(
        case=case,
        kind=kind,
        number=number,
        sha256=digest,
        size=len(data),
        template_sha256=hashlib.sha256(template).hexdigest(),
        created_at=now,
        created_by=actor,
    )
    doc.file.save(f"{case.pk}-{kind}-{digest[:12]}.docx", ContentFile(data), save=False)
    doc.save()
    return doc, file_entry(doc.file.name, digest, name=f"{doc.get_kind_display()} {number}".strip())
