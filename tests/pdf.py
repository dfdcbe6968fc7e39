"""Check what a PDF really draws with: pdffonts lists the fonts and whether each is embedded (pdftotext cannot tell)."""

import subprocess
import tempfile


def pdf_fonts(pdf: bytes) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        output = subprocess.run(["pdffonts", handle.name], check=True, capture_output=True, text=True).stdout
    fonts = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID: the yes/no columns are the 5th–3rd from the end.
        fonts.append({"name": parts[0], "embedded": parts[-5] == "yes", "line": line})
    return fonts


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def assert_cjk_font_embedded(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if f["embedded"] and any(k in f["name"] for k in ("WenQuanYi", "Noto", "CJK", "Hei"))]
    assert cjk, f"no embedded CJK font in the PDF: {fonts}"
