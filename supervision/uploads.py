"""Photo uploads: images only, recognised by their content with Pillow, within settings.UPLOAD_IMAGE_MAX_BYTES."""

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

# Formats we accept, by what Pillow finds inside the file, with the stored extension and the served content type.
IMAGE_FORMATS = {
    "JPEG": (".jpg", "image/jpeg"),
    "PNG": (".png", "image/png"),
    "GIF": (".gif", "image/gif"),
    "WEBP": (".webp", "image/webp"),
}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own warning


@dataclass
class CheckedImage:
    content: ContentFile
    original_name: str
    content_type: str
    size: int


def check_image(upload) -> CheckedImage:
    """Read the upload, make sure it is a real image of an accepted format; raise ValidationError otherwise."""
    name = str(getattr(upload, "name", "") or "")[:200].replace("\x00", "")
    size = getattr(upload, "size", None)
    limit = settings.UPLOAD_IMAGE_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(f"图片“{name}”超过大小限制（{limit // (1024 * 1024)} MB）。")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(f"文件“{name}”是空的。")
    if len(data) > limit:
        raise ValidationError(f"图片“{name}”超过大小限制（{limit // (1024 * 1024)} MB）。")
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()  # structure check; the image cannot be used after this, so open it again to decode
        if width * height > MAX_PIXELS:
            raise ValidationError(f"图片“{name}”像素过大。")
        with Image.open(BytesIO(data)) as image:
            image.load()  # decodes the pixels: a truncated or corrupt body fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(f"文件“{name}”不是有效的图片，只能上传 JPG、PNG、GIF 或 WebP 图片。") from error
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(f"文件“{name}”不是可接受的图片格式，只能上传 JPG、PNG、GIF 或 WebP 图片。")
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedImage(
        content=ContentFile(data, name=f"photo{extension}"),
        original_name=name,
        content_type=content_type,
        size=len(data),
    )
