"""The referral package (移送材料包) handed to the police with a criminal referral: one zip holding

- `manifest.json` — format `chengguan.referral-package/1`, when and by what it was built, and the SHA-256 of every
  other file in the zip;
- `referral.json` — the referral (offence, report, dates, police unit, reply), the case (numbers, cause of action,
  party, place, facts, power and legal basis, officers with certificate numbers), the timeline of acts and the
  evidence list with each item's SHA-256 as recorded when it was collected (and whether the stored file still
  matches);
- `case-file.docx` and `case-file.pdf` — the same as a document in the GB/T 9704 layout (core/office/docs), the
  PDF rendered by LibreOffice (left out, and said so in the manifest, where `soffice` is not installed);
- `documents/` — the case's generated documents (.docx), `evidence/` — the evidence files.

No 两法衔接 platform exchange format is published for Henan; this documented bundle is what docs/enforcement.md
describes. Who may download it: the officers, legal reviewers and leaders of the case and the police unit's liaison.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.utils import timezone

from chengguan.core import office as office_package

from .models import CriminalReferral
from .services.base import cn_date, cn_datetime, legal_basis_text

FORMAT = "chengguan.referral-package/1"
FONTS_CONF = Path(office_package.__file__).with_name("fonts.conf")


def _sha256_file(field) -> str:
    h = hashlib.sha256()
    with field.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    field.close()
    return h.hexdigest()


def _iso(value):
    return value.isoformat() if value else None


def package_data(referral: CriminalReferral) -> dict:
    case = referral.case
    item = case.power_item
    evidence = []
    for i, e in enumerate(case.evidence.select_related("collected_by").order_by("collected_at", "pk"), start=1):
        stored = _sha256_file(e.file) if e.file else None
        evidence.append({
            "seq": i, "kind": e.kind, "kind_label": str(e.get_kind_display()), "description": e.description,
            "collected_at": _iso(e.collected_at), "collected_by": str(e.collected_by),
            "file": f"evidence/{i:03d}-{PurePosixPath(e.file.name).name}" if e.file else None,
            "size": e.size, "sha256": e.sha256 or None, "file_matches": (stored == e.sha256) if stored else None,
        })
    return {
        "format": FORMAT,
        "referral": {
            "id": referral.pk, "offence": referral.offence, "report": referral.report,
            "reported_at": _iso(referral.reported_at), "decided_at": _iso(referral.decided_at),
            "handed_over_at": _iso(referral.handed_over_at), "police_unit": referral.police_unit,
            "reply_due": _iso(referral.reply_due), "replied_at": _iso(referral.replied_at),
            "police_accepted": referral.police_accepted, "reply_text": referral.reply_text,
            "escalated_at": _iso(referral.escalated_at),
            "procuratorate_records": [
                {"kind": r.kind, "procuratorate": r.procuratorate, "date": r.dated.isoformat(),
                 "document_number": r.document_number, "note": r.note}
                for r in referral.procuratorate_records.all()],
        },
        "case": {
            "clue_number": case.clue_number, "number": case.number, "body": case.body.name,
            "department": case.department.name, "region": case.region.name, "title": case.title,
            "state": case.state, "party_type": case.party_type, "party_name": case.party_name,
            "party_id_number": case.party_id_number, "party_address": case.party_address, "place": case.place,
            "violation_date": _iso(case.violation_date), "facts": case.facts, "filed_at": _iso(case.filed_at),
            "power": {"code": item.code, "name": item.name, "legal_basis": legal_basis_text(item)} if item else None,
            "officers": [{"name": str(o.user), "certificate_number": o.certificate_number, "lead": o.is_lead}
                         for o in case.officers.select_related("user")],
        },
        "events": [
            {"at": _iso(ev.at), "act": ev.act, "act_label": ev.act_label, "from": ev.from_state, "to": ev.to_state,
             "actor": str(ev.actor), "certificate": ev.actor_certificate, "late": ev.late, "audit_seq": ev.audit_seq}
            for ev in case.events.select_related("actor")],
        "evidence": evidence,
        "documents": [
            {"kind": d.kind, "kind_label": str(d.get_kind_display()), "number": d.number, "sha256": d.sha256,
             "file": f"documents/{i:02d}-{d.kind}.docx"}
            for i, d in enumerate(case.documents.all(), start=1)],
    }


def case_file_docx(data: dict) -> bytes:
    """The case file as a document: referral, case particulars, facts and the evidence list with hashes."""
    from chengguan.core.office import docs as office  # python-docx on first use, not when the URLs load (RSS)

    c, r = data["case"], data["referral"]
    doc = office.new_document()
    office.heading(doc, "涉嫌犯罪案件移送材料")
    office.number_line(doc, c["number"] or c["clue_number"])
    office.plain(doc, f"{r['police_unit'] or '公安机关'}：")
    office.paragraph(doc, f"{c['body']}在查处{c['title']}一案中，发现当事人涉嫌{r['offence']}，依据《行政执法机关移送涉嫌"
                          "犯罪案件的规定》，现将案件材料移送你单位。")
    office.table(doc, [
        ("案件编号", c["number"] or c["clue_number"]),
        ("案由", c["title"]),
        ("当事人", c["party_name"] or "—"),
        ("违法地点", c["place"] or "—"),
        ("违法日期", c["violation_date"] or "—"),
        ("执法依据", (c["power"] or {}).get("legal_basis", "") or "—"),
        ("承办人", "、".join(f"{o['name']}（{o['certificate_number']}）" for o in c["officers"]) or "—"),
        ("移送时间", r["handed_over_at"][:16].replace("T", " ") if r["handed_over_at"] else "—"),
        ("答复期限", r["reply_due"][:16].replace("T", " ") if r["reply_due"] else "—"),
    ])
    office.paragraph(doc, c["facts"] or "（无）", bold_lead="一、违法事实：")
    office.paragraph(doc, r["report"], bold_lead="二、涉嫌犯罪情况：")
    office.paragraph(doc, "", bold_lead="三、证据清单（SHA-256 为取证时记录的文件摘要）：")
    rows = [(f"{e['seq']}．{e['kind_label']}", f"{e['description']}\nSHA-256：{e['sha256'] or '（无电子文件）'}")
            for e in data["evidence"]]
    if rows:
        office.table(doc, rows, label_mm=40)
    else:
        office.plain(doc, "（无）")
    office.signature(doc, c["body"], cn_date(timezone.now()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_to_pdf(data: bytes, *, timeout: int = 180) -> bytes | None:
    """Render a .docx to PDF with LibreOffice headless (fonts mapped by core/office/fonts.conf); None without it."""
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "case-file.docx"
        src.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        try:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                            "--outdir", tmp, str(src)], check=True, capture_output=True, env=env, timeout=timeout)
        except (subprocess.SubprocessError, OSError):
            return None
        pdf = Path(tmp) / "case-file.pdf"
        return pdf.read_bytes() if pdf.exists() else None


def build_package(referral: CriminalReferral, *, pdf: bool = True) -> bytes:
    data = package_data(referral)
    files: dict[str, bytes] = {"referral.json": json.dumps(data, ensure_ascii=False, indent=2).encode()}
    docx = case_file_docx(data)
    files["case-file.docx"] = docx
    rendered = docx_to_pdf(docx) if pdf else None
    if rendered:
        files["case-file.pdf"] = rendered
    case = referral.case
    for entry, d in zip(data["documents"], case.documents.all(), strict=True):
        with d.file.open("rb") as f:
            files[entry["file"]] = f.read()
    for entry, e in zip(data["evidence"], case.evidence.order_by("collected_at", "pk"), strict=True):
        if e.file:
            with e.file.open("rb") as f:
                files[entry["file"]] = f.read()
    manifest = {
        "format": FORMAT, "built_at": timezone.now().isoformat(), "case": case.number or case.clue_number,
        "built_on": cn_datetime(timezone.now()),
        "pdf": "case-file.pdf" if rendered else None,
        "pdf_missing_reason": None if rendered else ("not requested" if not pdf else "LibreOffice (soffice) unavailable"),
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(files.items())},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, body in files.items():
            z.writestr(name, body)
    return out.getvalue()
