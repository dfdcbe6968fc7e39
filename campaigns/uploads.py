"""Uploads, judged by their content and never by their names.

- :func:`check_image`: photos (rectification before/after), recognised by Pillow, within UPLOAD_IMAGE_MAX_BYTES.
- :func:`check_document`: report attachments — PDF, Word, Excel, plain text, ZIP or an image — whose bytes must be
  what their extension claims.
- :func:`check_xlsx`: spreadsheets to import, within a size limit, refused when the archive would unpack to too much
  (in all, in one member or by its compression ratio) before any parser sees them — a 400 KB file can hold a 400 MB
  string.
- :func:`random_name`: where a checked upload is stored; the person's file name is kept only as a label.
- :func:`store`, :func:`removed_on_rollback`, :func:`delete_files_of`: a file lives as long as its row.
"""

import uuid
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
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


def random_name(folder: str, extension: str) -> str:
    """A storage path nobody can guess or collide with: ``folder/3f2a….pdf``."""
    return f"{folder}/{uuid.uuid4().hex}{extension}"


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain; charset=utf-8",
    ".zip": "application/zip",
}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
ACCEPTED_DOCUMENTS = "PDF、Word、Excel、TXT、ZIP 或图片"


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension in {".doc", ".xls"}:
        return data.startswith(OLE_SIGNATURE)
    if extension in {".docx", ".xlsx"}:
        names = _zip_names(data) or []
        part = "word/" if extension == ".docx" else "xl/"
        return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)
    if extension == ".zip":
        return _zip_names(data) is not None
    if extension == ".txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("gb18030")
            except UnicodeDecodeError:
                return False
        return True
    return False


@dataclass
class CheckedFile:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    extension: str


def check_document(upload, *, max_bytes: int) -> CheckedFile:
    """Read an attachment and make sure its bytes are what its extension says; raise ValidationError otherwise."""
    name = str(getattr(upload, "name", "") or "").replace("\x00", "").rsplit("/", 1)[-1][:200]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    limit_text = f"{max_bytes // (1024 * 1024)} MB"
    if extension in IMAGE_EXTENSIONS:
        image = check_image(upload)
        image_extension = "." + image.content.name.rsplit(".", 1)[-1]
        return CheckedFile(image.content, name, image.content_type, image.size, image_extension)
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(f"不支持“{name}”的文件类型，只能上传 {ACCEPTED_DOCUMENTS}。")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(f"文件“{name}”超过大小限制（{limit_text}）。")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if not data:
        raise ValidationError(f"文件“{name}”是空的。")
    if len(data) > max_bytes:
        raise ValidationError(f"文件“{name}”超过大小限制（{limit_text}）。")
    if not _content_matches(extension, data):
        raise ValidationError(f"文件“{name}”的内容与扩展名不符，请上传真实的 {extension[1:].upper()} 文件。")
    return CheckedFile(
        ContentFile(data, name=f"attachment{extension}"), name, DOCUMENT_TYPES[extension], len(data), extension
    )


# An .xlsx is a zip archive: what it unpacks to, not its size on disk, decides what parsing it costs.
XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
XLSX_MAX_MEMBERS = 1_000
XLSX_MAX_RATIO = 200  # unpacked ÷ packed, per member of more than a megabyte; real sheets stay far below


def check_xlsx(upload, *, max_bytes: int) -> bytes:
    """The upload's bytes if it is an .xlsx archive of sane size once unpacked; raise ValidationError otherwise.

    Only the archive's directory is read: nothing is decompressed here.
    """
    name = str(getattr(upload, "name", "") or "").replace("\x00", "").rsplit("/", 1)[-1][:200]
    limit_text = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(f"文件“{name}”超过大小限制（{limit_text}）。")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"文件“{name}”超过大小限制（{limit_text}）。")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError("无法读取文件：请上传 .xlsx 格式的 Excel 表格。") from None
    if len(members) > XLSX_MAX_MEMBERS:
        raise ValidationError(f"文件“{name}”包含的部件过多，不是正常的 Excel 表格。")
    unpacked = sum(member.file_size for member in members)
    bloated = any(
        member.file_size > 1024 * 1024 and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if unpacked > XLSX_MAX_UNPACKED_BYTES or bloated:
        raise ValidationError(f"文件“{name}”解压后过大或压缩比异常，疑似压缩炸弹，已拒绝。")
    return data


# --- files belong to their rows ------------------------------------------------------------------------------------
#
# A stored file lives exactly as long as its row: it is removed when the row is deleted (after the deleting
# transaction commits, so a rolled-back delete keeps it), and a file stored inside a service whose transaction rolls
# back is removed again. ``transaction.on_commit`` cannot see a rollback, hence :func:`removed_on_rollback`.

_stored_in_block: ContextVar[list | None] = ContextVar("stored_in_block", default=None)


@contextmanager
def removed_on_rollback():
    """Wrap a service (outside its ``transaction.atomic``): the files it stores through :func:`store` are deleted if
    it exits with an exception. Nested blocks hand their files to the enclosing one."""
    stored: list = []
    outer = _stored_in_block.get()
    token = _stored_in_block.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored_in_block.reset(token)
    if outer is not None:
        outer.extend(stored)


def store(field_file, name: str, content) -> None:
    """Save ``content`` into a FileField (without saving the row) and register it with the enclosing
    :func:`removed_on_rollback`."""
    field_file.save(name, content, save=False)
    stored = _stored_in_block.get()
    if stored is not None:
        stored.append((field_file.storage, field_file.name))


def models_with_files() -> list:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if not hasattr(model, "instance_type")  # an edit-history row names a file, it does not own it
        and any(isinstance(field, models.FileField) for field in model._meta.concrete_fields)
    ]


def delete_files_of(sender, instance, **kwargs) -> None:
    """``post_delete`` receiver: the row's files go once the deletion is committed."""
    for model_field in sender._meta.concrete_fields:
        if isinstance(model_field, models.FileField):
            field_file = getattr(instance, model_field.attname)
            if field_file and field_file.name:
                storage, name = field_file.storage, field_file.name
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
