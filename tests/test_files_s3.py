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


# -- reading from an offset: a ranged GET whose body streams, never a download first -----------

CHUNK = files.CHUNK_SIZE
RECORD = CHUNK + 28
HEADER = 41


@pytest.fixture
def gets(bucket, monkeypatch):
    """The parameters of every GetObject, and no S3File (which downloads the whole object)."""
    from storages.backends.s3 import S3Storage

    def no_download(self, name, mode="rb"):
        raise AssertionError("storage.open() downloads the whole object")

    monkeypatch.setattr(S3Storage, "_open", no_download)
    seen = []

    def remember(params, **kwargs):
        seen.append({key: params[key] for key in ("Key", "Range") if key in params})

    events = default_storage.connection.meta.client.meta.events
    events.register("provide-client-params.s3.GetObject", remember)
    yield seen
    events.unregister("provide-client-params.s3.GetObject", remember)


def test_open_from_streams_a_ranged_get(bucket, gets):
    from pluform.storage import open_from

    name = default_storage.save("encrypted/ranged", ContentFile(bytes(range(256)) * 4))
    with open_from(default_storage, name, 1000) as body:
        assert body.read(10) == bytes(range(232, 242))
        assert body.read() == bytes(range(242, 256))
    with open_from(default_storage, name, 5, 9) as body:
        assert body.read() == bytes(range(5, 9))
    with open_from(default_storage, name, 1024) as body:  # at the end: nothing, no error
        assert body.read() == b""
    with open_from(default_storage, name) as body:
        assert body.read() == bytes(range(256)) * 4
    assert [get.get("Range") for get in gets] == ["bytes=1000-", "bytes=5-8", "bytes=1024-", None]
    with pytest.raises(FileNotFoundError):
        open_from(default_storage, "encrypted/missing", 3)


def test_a_range_on_s3_gets_only_the_header_and_the_records_it_needs(bucket, gets):
    from django.test import RequestFactory

    from pluform.crypto.streaming import encrypted_file_response

    data = MARKER * 5000  # about 280 kB: five chunks
    attachment = _attach(data)
    start, stop = 2 * CHUNK - 5, 2 * CHUNK + 5
    request = RequestFactory().get("/", headers={"Range": f"bytes={start}-{stop - 1}"})
    response = encrypted_file_response(
        attachment, "file", filename="a.mp4", content_type="video/mp4", request=request
    )
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[start:stop]
    ranges = [get["Range"] for get in gets]
    assert ranges == [f"bytes=0-{HEADER - 1}", f"bytes={HEADER + RECORD}-{HEADER + 3 * RECORD - 1}"]


def test_a_whole_file_on_s3_streams_from_one_get_after_the_header(bucket, gets):
    data = MARKER * 5000
    attachment = _attach(data)
    assert b"".join(files.iter_decrypted(attachment, "file")) == data
    stored = HEADER + len(data) + 5 * 28
    assert [get["Range"] for get in gets] == [
        f"bytes=0-{HEADER - 1}",
        f"bytes={HEADER}-{stored - 1}",
    ]


def test_an_empty_object_on_s3_is_a_short_header(bucket, gets):
    from pluform.crypto.errors import TamperedCiphertext
    from tests.cryptoapp.models import Attachment

    attachment = _attach(b"")
    assert b"".join(files.iter_decrypted(attachment, "file")) == b""
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(b""))
    with pytest.raises(TamperedCiphertext, match="header"):
        files.open_decrypted(Attachment.objects.get(pk=attachment.pk), "file")
