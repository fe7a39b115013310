"""A .docx converted to PDF by LibreOffice headless, with `fonts.conf` mapping the office font names to the CJK
fonts Debian has (fonts-noto-cjk). Needs `soffice` (Debian: libreoffice-writer-nogui); without it the caller
hears a DomainError saying so."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def available() -> bool:
    return shutil.which("soffice") is not None


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    if not available():
        raise DomainError(_("PDF conversion is not installed on this server (LibreOffice)."), field="format",
                          code="pdf_unavailable")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="chengguan-pdf-") as tmp:
        src = Path(tmp) / "sheet.docx"
        src.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        try:
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                 "--outdir", tmp, str(src)],
                check=True, capture_output=True, env=env, timeout=timeout,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            raise DomainError(_("The PDF could not be produced; try again or download the Word file."),
                              field="format", code="pdf_failed") from exc  # fmt: skip
        return (Path(tmp) / "sheet.pdf").read_bytes()
