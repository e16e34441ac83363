"""Where files go: a private local folder by default, a private S3 bucket when configured."""


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
