"""Encrypted files on S3 (moto): private, never overwritten, deleted with their row."""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto import mock_aws

from pluform.crypto import files
from pluform.storage import s3_storage
from tests.crypto_support import attach_file, new_master_key, use_ring

pytestmark = pytest.mark.django_db

BUCKET = "pluform-test-private"
MARKER = b"Marker-s3-9c1e: my sleep has been bad since the accident"


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    use_ring(settings, new_master_key("alpha"))
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage(BUCKET, region_name="eu-west-1"),
        }
        yield client


def _objects(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _attach(data):
    return attach_file(data)


def test_a_file_reaches_the_bucket_only_as_ciphertext(bucket):
    attachment = _attach(MARKER * 1000)
    [key] = _objects(bucket)
    stored = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert MARKER not in stored
    assert "verslag" not in key
    assert b"".join(files.iter_decrypted(attachment, "file")) == MARKER * 1000


def test_objects_are_private_and_server_side_encrypted(bucket):
    _attach(b"content")
    [key] = _objects(bucket)
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    assert bucket.head_object(Bucket=BUCKET, Key=key)["ServerSideEncryption"] == "AES256"


def test_two_files_never_share_an_object(bucket):
    first, second = _attach(b"one"), _attach(b"two")
    assert first.file.name != second.file.name
    assert len(_objects(bucket)) == 2


def test_the_storage_never_overwrites_an_existing_object(bucket):
    first = default_storage.save("encrypted/same-name", ContentFile(b"first"))
    second = default_storage.save("encrypted/same-name", ContentFile(b"second"))
    assert first != second
    assert len(_objects(bucket)) == 2


def test_deleting_the_row_deletes_the_object(bucket, django_capture_on_commit_callbacks):
    attachment = _attach(b"to be erased")
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert _objects(bucket) == []
