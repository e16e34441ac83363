"""Where files go: a private local folder by default, a private S3 bucket when configured."""

import io
import sys


def s3_storage(bucket_name, *, endpoint_url=None, region_name=None) -> dict:
    """django-storages S3 settings: private objects, never overwritten, no public URLs."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }


def local_storage(location) -> dict:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location, "base_url": None},
    }


def open_from(storage, name, offset=0, end=None):
    """A binary reader of the stored object ``name`` from byte ``offset``, read as it is used.

    ``storage.open()`` on S3 first downloads the whole object into a temporary file, so the
    first byte waits for the last. Here S3 gets one ranged GetObject (``Range: bytes=offset-``,
    or ``bytes=offset-(end - 1)`` when the caller says it stops at ``end``) whose body streams
    from the socket as it is read. Other storages open the object and seek; ``end`` is then
    only a hint. Close the reader when done; reading past the object's end gives ``b""``.
    """
    s3 = sys.modules.get("storages.backends.s3")  # not imported: not an S3 storage either
    if s3 is not None and isinstance(storage, s3.S3Storage):
        return _s3_open_from(storage, name, offset, end)
    handle = storage.open(name, "rb")
    try:
        handle.seek(offset)
    except BaseException:
        handle.close()
        raise
    return handle


def _s3_open_from(storage, name, offset, end):
    from botocore.exceptions import ClientError
    from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS
    from storages.utils import clean_name

    if end is not None and end <= offset:
        return io.BytesIO()
    key = storage._normalize_name(clean_name(name))
    parameters = {
        option: value
        for option, value in storage.get_object_parameters(name).items()
        if option in ALLOWED_DOWNLOAD_ARGS  # e.g. SSE-C keys, which a GET must repeat
    }
    if offset or end is not None:
        last = "" if end is None else end - 1
        parameters["Range"] = f"bytes={offset}-{last}"
    try:
        answer = storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=key, **parameters
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code == "InvalidRange":  # offset at or past the end of the object
            return io.BytesIO()
        if code in {"NoSuchKey", "404"}:
            raise FileNotFoundError(f"File does not exist: {name}") from error
        raise
    return answer["Body"]


def delete_every_version(storage, name: str) -> None:
    """Removes a stored file for good: on a versioned S3 bucket every version and delete
    marker of the object, not just its newest version. Removing what is gone is no error."""
    s3 = sys.modules.get("storages.backends.s3")
    if s3 is not None and isinstance(storage, s3.S3Storage):
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(name))
        bucket = storage.bucket
        pages = bucket.meta.client.get_paginator("list_object_versions").paginate(
            Bucket=bucket.name, Prefix=key
        )
        for page in pages:
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry["Key"] == key:
                    bucket.meta.client.delete_object(
                        Bucket=bucket.name, Key=key, VersionId=entry["VersionId"]
                    )
    storage.delete(name)
