"""TLS for the gRPC port: a local certificate authority kept on disk and shared by every
sandbox on the machine, and a server certificate it signs at each start (SANs `localhost`
and `127.0.0.1`).

The CA is shared because gRPC reads its trusted roots (`GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`)
once per process: a test process that talks to several sandboxes must trust one file.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_FILE = "ca.pem"
_CA_KEY_FILE = "ca-key.pem"


@dataclass(frozen=True)
class ServerCertificate:
    ca_pem_path: Path
    key_pem: bytes
    chain_pem: bytes


def default_ca_directory() -> Path:
    """`ADS_SANDBOX_TLS_DIR`, else ~/.cache/ads-sandbox/tls."""
    configured = os.environ.get("ADS_SANDBOX_TLS_DIR")
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ads-sandbox" / "tls"


def ca_cert_path(directory: Path | None = None) -> Path:
    """The PEM file to trust; created with its CA when missing."""
    directory = directory or default_ca_directory()
    _ensure_ca(directory)
    return directory / CA_FILE


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ads-sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _ensure_ca(directory: Path) -> None:
    if (directory / CA_FILE).exists() and (directory / _CA_KEY_FILE).exists():
        return
    directory.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(hours=1)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("ads-sandbox local CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    # Written beside the target and renamed into place: two sandboxes starting at once end
    # with one CA (the loser of the rename uses the winner's).
    staging = Path(tempfile.mkdtemp(prefix=".tls-", dir=directory.parent))
    (staging / _CA_KEY_FILE).write_bytes(_pem_key(key))
    os.chmod(staging / _CA_KEY_FILE, 0o600)
    (staging / CA_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    try:
        os.rename(staging, directory)
    except OSError:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()


def make_certificate(directory: Path | None = None) -> ServerCertificate:
    directory = directory or default_ca_directory()
    ca_path = ca_cert_path(directory)
    ca_pem = ca_path.read_bytes()
    ca = x509.load_pem_x509_certificate(ca_pem)
    ca_key = serialization.load_pem_private_key((directory / _CA_KEY_FILE).read_bytes(), None)
    now = datetime.now(UTC) - timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_pem
    return ServerCertificate(ca_path, _pem_key(key), chain)
