"""A real S3-compatible server for tests: moto's standalone server over HTTP on loopback."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest

KEYS = {"AWS_ACCESS_KEY_ID": "onehall-test", "AWS_SECRET_ACCESS_KEY": "onehall-test-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"])


@contextlib.contextmanager
def moto_server():
    """moto_server on a free loopback port; yields its endpoint URL; stopped on exit."""
    port = free_port()
    moto = os.path.join(os.path.dirname(sys.executable), "moto_server")
    proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint):
    """A fresh bucket; (name, boto3 client)."""
    name = f"onehall-{uuid.uuid4().hex[:12]}"
    s3 = client(s3_endpoint)
    s3.create_bucket(Bucket=name)
    return name, s3


def s3_config(endpoint, bucket_name, prefix="onehall") -> dict:
    return {"STORAGE_URL": f"s3://{bucket_name}/{prefix}", "S3_ENDPOINT_URL": endpoint, **KEYS}


def keys(s3, bucket_name) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_name).get("Contents", [])]
