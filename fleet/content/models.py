"""Ad files in the content library (section "content").

tortoise-orm models. Every capability's models form one tortoise app, ``models``."""

from tortoise import fields
from tortoise.models import Model


def content_key(sha: str) -> str:
    """Where a file's bytes are in the object store."""
    return f"content/{sha}"


def thumb_key(sha: str) -> str:
    """Where its thumbnail is."""
    return f"content/{sha}.jpg"


class Content(Model):
    """One uploaded file, named by its SHA-256: uploading the same bytes twice gives one row.
    Deleting it removes the bytes and keeps the row (``deleted_at``), so the proof of play
    that names it still says what played."""

    sha256 = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200)
    type = fields.CharField(max_length=16)  # image/jpeg, image/png, video/mp4
    size = fields.BigIntField()
    width = fields.IntField()
    height = fields.IntField()
    seconds = fields.FloatField(null=True)  # a video's length
    codec = fields.CharField(max_length=8, default="")
    uploaded_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "content"
