"""Files in an S3-compatible bucket (boto3): AWS, MinIO, Ceph RGW. Keys: ``PREFIX/AREA/NAME``."""
from __future__ import annotations

import os
import tempfile

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.storage import Storage, StorageError, check_key

SPOOL_BYTES = 8 * 1024 * 1024        # a download up to this size stays in memory
TIMEOUTS = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2, "mode": "standard"},
                  s3={"addressing_style": "path"})


class S3Storage(Storage):
    def __init__(self, bucket, prefix="", *, endpoint_url=None, access_key=None, secret_key=None, region=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/") + (f" at {endpoint_url}" if endpoint_url else "")
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            region_name=region or "us-east-1", config=TIMEOUTS)

    def _key(self, key):
        key = check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, exc):
        return StorageError(f"{self.url}: {exc}")

    def put(self, key, fileobj):
        try:
            self.client.upload_fileobj(fileobj, self.bucket, self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(exc) from exc

    def put_file(self, key, path):
        try:
            self.client.upload_file(path, self.bucket, self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(exc) from exc
        os.remove(path)

    def open(self, key):
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            self.client.download_fileobj(self.bucket, self._key(key), out)
        except ClientError as exc:
            out.close()
            if _missing(exc):
                raise FileNotFoundError(key) from None
            raise self._fail(exc) from exc
        except BotoCoreError as exc:
            out.close()
            raise self._fail(exc) from exc
        out.seek(0)
        return out

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if _missing(exc):
                return False
            raise self._fail(exc) from exc
        except BotoCoreError as exc:
            raise self._fail(exc) from exc

    def delete(self, key):
        existed = self.exists(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(exc) from exc
        return existed

    def listing(self, area):
        start = self._key(f"{area}/x")[:-1]
        out = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", ()):
                    out.append((f"{area}/{item['Key'][len(start):]}", item["LastModified"].timestamp()))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(exc) from exc
        return out

    def check(self):
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(exc) from exc


def _missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")
