"""Media go to S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set, configured by
environment variables alone; without it they stay on the local disk. The object store here is a
real local S3 server (moto's server mode) reached over HTTP, not a mock inside the process."""

import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.process_support import PRODUCTION_ENV, django_shell, free_port, wait_for_http

BUCKET = "newsroom-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

SAVE_A_COVER = (
    "from django.core.files.base import ContentFile; "
    "from django.core.files.storage import storages; s = storages['default']; "
    "name = s.save('covers/harbour.jpg', ContentFile(b'JPEG bytes')); "
    "print('saved', type(s).__name__, name, s.url(name))"
)


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).with_name("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(endpoint, timeout=60, process=server)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_media_are_stored_in_the_bucket_named_by_the_environment(s3_endpoint):
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        **{
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        },
    )
    s3.create_bucket(Bucket=BUCKET)

    result = django_shell(
        SAVE_A_COVER,
        **PRODUCTION_ENV,
        **CREDENTIALS,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="us-east-1",
    )

    assert result.returncode == 0, result.stderr
    _, backend, name, url = result.stdout.splitlines()[-1].split()
    assert backend == "S3Storage"
    stored = s3.get_object(Bucket=BUCKET, Key=name)
    assert stored["Body"].read() == b"JPEG bytes"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert url == f"{s3_endpoint}/{BUCKET}/{name}"  # public, unsigned: a CDN can cache it


def test_without_a_bucket_media_stay_on_the_local_disk(tmp_path):
    result = django_shell(SAVE_A_COVER, **PRODUCTION_ENV, MEDIA_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    _, backend, name, url = result.stdout.splitlines()[-1].split()
    assert backend == "FileSystemStorage"
    assert (tmp_path / name).read_bytes() == b"JPEG bytes"
    assert url == f"/media/{name}"
