"""Blacking out parts of a released document for real (partial exemption, Perki 1/2021 art. 49; UU 14/2008
art. 22(7)): the content under each region is removed, not covered.

PDF: PyMuPDF's redaction (`apply_redactions`) deletes the text under the rectangle from the page's content
stream, blanks the pixels of images under it and removes the vector graphics it touches, then paints it
black; the copy is written anew without the old objects (`garbage=4`), metadata, annotations, links, embedded
files or scripts, so nothing of the removed content survives in the file. The rest of the page keeps its
text (searchable, read by screen readers).
Images (JPEG, PNG, WebP): the pixels are painted black and the image re-encoded without metadata.

A region is a rectangle on one page in fractions of the page's width and height (0..1, from the top left
corner as the page is displayed), so it does not depend on the page size or the rendering resolution.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
REDACTABLE = frozenset({PDF, *IMAGES})
MAX_REGIONS = 200


@dataclass(frozen=True)
class Region:
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float

    def as_dict(self) -> dict[str, float | int]:
        return {"page": self.page, "x0": self.x0, "y0": self.y0, "x1": self.x1, "y1": self.y1}


def clean_regions(raw: Iterable[Mapping[str, Any]], *, pages: int) -> list[Region]:
    """Regions checked and normalised (corners ordered, inside the page, not empty); ValidationError else."""
    regions: list[Region] = []
    for n, value in enumerate(raw, start=1):
        try:
            page = int(value["page"])
            xs = sorted((float(value["x0"]), float(value["x1"])))
            ys = sorted((float(value["y0"]), float(value["y1"])))
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Region %(n)s is incomplete.") % {"n": n}) from None
        if not 1 <= page <= pages:
            raise ValidationError(_("Region %(n)s: the document has %(pages)s page(s).") % {"n": n, "pages": pages})
        if not all(0.0 <= v <= 1.0 for v in (*xs, *ys)) or xs[1] - xs[0] < 0.001 or ys[1] - ys[0] < 0.001:
            raise ValidationError(_("Region %(n)s: give a rectangle inside the page (0 to 100 %%).") % {"n": n})
        regions.append(Region(page, round(xs[0], 4), round(ys[0], 4), round(xs[1], 4), round(ys[1], 4)))
    if len(regions) > MAX_REGIONS:
        raise ValidationError(_("Too many regions."))
    return regions


def page_count(data: bytes, content_type: str) -> int:
    if content_type == PDF:
        import pymupdf

        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return int(doc.page_count)
    return 1


def redact(data: bytes, content_type: str, regions: Iterable[Region]) -> bytes:
    """The document with every region blacked out (its content removed)."""
    regions = list(regions)
    if content_type == PDF:
        return _redact_pdf(data, regions)
    if content_type in IMAGES:
        return _redact_image(data, IMAGES[content_type], regions)
    raise ValidationError(_("Only a PDF or an image can be blacked out."))


def _redact_pdf(data: bytes, regions: list[Region]) -> bytes:
    import pymupdf  # loaded on first use (a large library)

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        if doc.needs_pass:
            raise ValidationError(_("The PDF is protected by a password."))
        for region in regions:
            page = doc[region.page - 1]
            shown = page.rect  # the page as displayed (after its rotation)
            rect = pymupdf.Rect(shown.x0 + region.x0 * shown.width, shown.y0 + region.y0 * shown.height,
                                shown.x0 + region.x1 * shown.width, shown.y0 + region.y1 * shown.height)
            page.add_redact_annot(rect * page.derotation_matrix, fill=(0, 0, 0))
        for page in doc:
            if page.first_annot is not None:
                # (constants of PyMuPDF's C layer, missing from its type information)
                page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,  # type: ignore[attr-defined]
                                      graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED)  # type: ignore[attr-defined]
        # Whatever else could carry the removed content or the requester's identity goes too.
        doc.scrub(attached_files=True, clean_pages=True, embedded_files=True, hidden_text=True, javascript=True,
                  metadata=True, redactions=False, redact_images=0, remove_links=True, reset_fields=True,
                  reset_responses=True, thumbnails=True, xml_metadata=True)
        for page in doc:
            for annot in list(page.annots() or []):
                page.delete_annot(annot)
        out = io.BytesIO()
        doc.save(out, garbage=4, deflate=True, clean=True)
    return out.getvalue()


def _redact_image(data: bytes, fmt: str, regions: list[Region]) -> bytes:
    from PIL import Image, ImageDraw, ImageOps

    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original)  # regions are given on the image as displayed
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") and fmt != "JPEG" else "RGB")
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for region in regions:
        draw.rectangle((int(region.x0 * width), int(region.y0 * height),
                        max(int(region.x0 * width), int(region.x1 * width + 0.999) - 1),
                        max(int(region.y0 * height), int(region.y1 * height + 0.999) - 1)), fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))  # no EXIF kept
    return out.getvalue()


def page_preview(data: bytes, content_type: str, *, page: int, outline: Iterable[Region] = (),
                 width: int = 800) -> bytes:
    """One page as a PNG about `width` pixels wide, with a labelled grid every 10 % and the regions
    outlined in red: what the officer looks at to give a region's coordinates without JavaScript."""
    from PIL import Image, ImageDraw, ImageOps

    if content_type == PDF:
        import pymupdf

        with pymupdf.open(stream=data, filetype="pdf") as doc:
            if not 1 <= page <= doc.page_count:
                raise ValidationError(_("No such page."))
            shown = doc[page - 1]
            pix = shown.get_pixmap(matrix=pymupdf.Matrix(width / shown.rect.width, width / shown.rect.width),
                                   alpha=False)
            image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    elif content_type in IMAGES:
        if page != 1:
            raise ValidationError(_("No such page."))
        with Image.open(io.BytesIO(data)) as original:
            image = ImageOps.exif_transpose(original).convert("RGB")
        image.thumbnail((width, width * 4))
    else:
        raise ValidationError(_("Only a PDF or an image can be blacked out."))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    for tenth in range(1, 10):
        x, y = w * tenth // 10, h * tenth // 10
        draw.line((x, 0, x, h), fill=(0, 120, 255), width=1)
        draw.line((0, y, w, y), fill=(0, 120, 255), width=1)
        draw.text((x + 2, 2), str(tenth * 10), fill=(0, 80, 200))
        draw.text((2, y + 2), str(tenth * 10), fill=(0, 80, 200))
    for region in outline:
        if region.page == page:
            draw.rectangle((region.x0 * w, region.y0 * h, region.x1 * w, region.y1 * h), outline=(220, 0, 0), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
