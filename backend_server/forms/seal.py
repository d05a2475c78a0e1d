"""The practice seal: a PAdES signature (pyHanko) over a filled form's PDF.

The seal is a certifying signature (DocMDP "no changes") over the whole file, so any later
change is detectable: a flipped byte breaks the digest, an appended incremental update
leaves the signature covering only an earlier revision. The sealed document cannot be
edited, only superseded by a new one.

Where the certificate comes from:
- configured: :meth:`PracticeSealer.from_pkcs12` / :meth:`PracticeSealer.from_pem`
  (a certificate from a trust service, with its chain);
- otherwise self-generated on first use by :meth:`PracticeSealer.for_practice`: EC P-256,
  CN "<practice name> – Praxissiegel", 10 years, keyUsage digitalSignature +
  nonRepudiation, kept in ``<keys_dir>/seals/<practice_id>.pem`` (0600, directory 0700).
  That file holds the certificate in clear and the private key encrypted with AES-256-GCM
  under a key derived (HKDF-SHA256) from the server's master key
  (``<keys_dir>/master.key``), the practice id and the certificate's hash as associated
  data, so neither a copied seal file alone nor a key swapped under another certificate is
  of use.

All functions are synchronous and CPU-bound (pyHanko runs its own event loop inside); from
async code call them through ``asyncio.to_thread`` / ``anyio.to_thread.run_sync``.
Verification never goes to the network: the practice certificate is the only trust root,
no OCSP/CRL is fetched (a self-issued seal has none) and the system trust list, which
pyHanko would read through oscrypto, is never consulted.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from backend_server.attachments import crypto

SEAL_DIRNAME = "seals"
SEAL_FIELD_NAME = "Praxissiegel"
SEAL_VALIDITY = timedelta(days=3652)
_KEY_PEM_LABEL = "PRAXISDESK ENCRYPTED SEAL KEY"
_KEY_INFO = b"praxisdesk practice seal key v1:"
_NONCE_BYTES = 12
_PRACTICE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CN_MAX = 64  # X.520 upper bound for commonName
_CN_SUFFIX = " – Praxissiegel"

SealKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
# pyHanko's difference analysis logs a traceback that may quote parts of a modified
# document; the outcome reaches the caller through SealStatus instead.
logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.CRITICAL)


class SealError(RuntimeError):
    """The seal certificate or key cannot be loaded or does not fit."""


@dataclass(frozen=True)
class SealStatus:
    """What :func:`verify_seal` found. ``intact``: the sealed bytes are unchanged and
    nothing was added after sealing. ``trusted``: the seal was made with the given
    practice certificate (or a certificate issued under it). ``problem`` is a short
    English reason without any document content (fine for logs)."""

    intact: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    sha256: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _fit(text: str, limit: int) -> str:
    """``text`` shortened with "…" to at most ``limit`` UTF-8 bytes (the X.520 upper bounds
    are checked on the encoded length)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    while len((text + "…").encode("utf-8")) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def seal_common_name(practice_name: str) -> str:
    """"<practice name> – Praxissiegel", the name shortened to fit the 64-byte limit."""
    name = " ".join(practice_name.split()) or "Praxis"
    return _fit(name, _CN_MAX - len(_CN_SUFFIX.encode("utf-8"))) + _CN_SUFFIX


def generate_seal_certificate(practice_name: str, *, now: datetime
                              ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A self-signed practice seal certificate (EC P-256, 10 years)."""
    key = ec.generate_private_key(ec.SECP256R1())
    org = _fit(" ".join(practice_name.split()) or "Praxis", _CN_MAX)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, seal_common_name(practice_name)),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
    ])
    start = now.astimezone(UTC) - timedelta(minutes=5)  # a little slack for clock skew
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + SEAL_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


class PracticeSealer:
    """Seals PDFs with one practice's certificate and key."""

    def __init__(self, certificate: x509.Certificate, private_key: SealKey,
                 chain: Sequence[x509.Certificate] = ()) -> None:
        if certificate.public_key() != private_key.public_key():
            raise SealError("the private key does not belong to the seal certificate")
        self.certificate = certificate
        self._key = private_key
        signing_cert = _to_asn1_cert(certificate)
        self._signer = signers.SimpleSigner(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())),
            cert_registry=_certificate_store([signing_cert,
                                              *(_to_asn1_cert(c) for c in chain)]),
        )

    # --- where the certificate comes from -------------------------------------------------

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes | None) -> PracticeSealer:
        try:
            key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError as exc:
            raise SealError(f"the PKCS#12 file cannot be opened: {exc}") from None
        if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SealError("the PKCS#12 file needs a certificate with an RSA or EC key")
        return cls(cert, key, chain)

    @classmethod
    def from_pem(cls, cert_pem: bytes, key_pem: bytes,
                 passphrase: bytes | None = None) -> PracticeSealer:
        """``cert_pem``: the seal certificate first, then its chain."""
        try:
            certs = x509.load_pem_x509_certificates(cert_pem)
            key = serialization.load_pem_private_key(key_pem, passphrase)
        except (ValueError, TypeError) as exc:
            raise SealError(f"the PEM files cannot be read: {exc}") from None
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SealError("the seal key must be an RSA or EC key")
        return cls(certs[0], key, certs[1:])

    @classmethod
    def for_practice(cls, keys_dir: Path, practice_id: str, practice_name: str, *,
                     now: datetime) -> PracticeSealer:
        """The practice's self-generated seal, made and stored on first use."""
        path = seal_path(keys_dir, practice_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            master = crypto.load_master_key(keys_dir, create=True)
            new_cert, new_key = generate_seal_certificate(practice_name, now=now)
            data = _seal_file(master, practice_id, new_cert, new_key)
            if not _write_once(path, data):
                data = path.read_bytes()  # another process made it first: use that one
        master = crypto.load_master_key(keys_dir, create=False)
        cert, key = _open_seal_file(master, practice_id, data)
        return cls(cert, key)

    # --- sealing ---------------------------------------------------------------------------

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def seal_pdf(self, pdf_bytes: bytes) -> bytes:
        """``pdf_bytes`` with a certifying PAdES B-B signature appended."""
        meta = signers.PdfSignatureMetadata(
            field_name=SEAL_FIELD_NAME,
            subfilter=SigSeedSubFilter.PADES,
            certify=True,
            docmdp_permissions=MDPPerm.NO_CHANGES,
            md_algorithm="sha256",
            reason="Versiegelt nach dem Unterschreiben; spätere Änderungen sind erkennbar.",
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        out = signers.PdfSigner(meta, signer=self._signer).sign_pdf(writer)
        return bytes(out.getvalue())


def verify_seal(pdf_bytes: bytes, trust_cert: x509.Certificate | bytes) -> SealStatus:
    """Checks the seal of ``pdf_bytes`` against ``trust_cert`` (the practice certificate,
    object or PEM/DER bytes) as the only trust root. Never raises for a damaged document:
    anything unreadable is "not intact"."""
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    root = _to_asn1_cert(_load_cert(trust_cert))

    def failed(problem: str, signer: str = "", signed_at: datetime | None = None
               ) -> SealStatus:
        return SealStatus(False, False, signer, signed_at, digest, problem)

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_signatures
    except Exception:
        return failed("the document cannot be read")
    if not embedded:
        return failed("the document has no seal")
    sig = embedded[0]
    context = ValidationContext(trust_roots=[root], allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        return failed(f"the seal cannot be checked ({type(exc).__name__})")
    except Exception:
        return failed("the seal cannot be checked")
    signer = str(status.signing_cert.subject.native.get("common_name", ""))
    signed_at = status.signer_reported_dt
    problems = []
    if not (status.intact and status.valid):
        problems.append("the signed content was changed")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or len(embedded) != 1:
        problems.append("the document was changed after sealing")
    if status.docmdp_ok is False:
        problems.append("a change forbidden by the seal was made")
    intact = not problems
    if intact and not status.trusted:
        problems.append("the seal was not made with the practice certificate")
    return SealStatus(intact=intact, trusted=bool(status.trusted), signer=signer,
                      signed_at=signed_at, sha256=digest, problem="; ".join(problems))


# --- helpers --------------------------------------------------------------------------

def _load_cert(value: x509.Certificate | bytes) -> x509.Certificate:
    if isinstance(value, x509.Certificate):
        return value
    if value.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(value)
    return x509.load_der_x509_certificate(value)


def _certificate_store(certs: list[asn1_x509.Certificate]) -> SimpleCertificateStore:
    # pyhanko-certvalidator leaves this constructor unannotated.
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    for cert in certs:
        store.register(cert)
    return store


def _to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def seal_path(keys_dir: Path, practice_id: str) -> Path:
    if not _PRACTICE_ID.match(practice_id):
        raise ValueError("practice_id is not a plain id")
    return keys_dir / SEAL_DIRNAME / f"{practice_id}.pem"


def _file_key(master: bytes, practice_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_KEY_INFO + practice_id.encode("ascii")).derive(master)


def _aad(practice_id: str, cert: x509.Certificate) -> bytes:
    cert_hash = cert.fingerprint(hashes.SHA256())
    return _KEY_INFO + practice_id.encode("ascii") + b":" + cert_hash


def _seal_file(master: bytes, practice_id: str, cert: x509.Certificate,
               key: SealKey) -> bytes:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = nonce + AESGCM(_file_key(master, practice_id)).encrypt(
        nonce, der, _aad(practice_id, cert))
    body = base64.encodebytes(sealed).decode("ascii")
    return (cert.public_bytes(serialization.Encoding.PEM)
            + f"-----BEGIN {_KEY_PEM_LABEL}-----\n{body}-----END {_KEY_PEM_LABEL}-----\n"
            .encode("ascii"))


def _open_seal_file(master: bytes, practice_id: str, data: bytes
                    ) -> tuple[x509.Certificate, SealKey]:
    begin = f"-----BEGIN {_KEY_PEM_LABEL}-----".encode("ascii")
    end = f"-----END {_KEY_PEM_LABEL}-----".encode("ascii")
    try:
        cert = x509.load_pem_x509_certificate(data)
        body = data[data.index(begin) + len(begin):data.index(end)]
        sealed = base64.decodebytes(body)
        der = AESGCM(_file_key(master, practice_id)).decrypt(
            sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _aad(practice_id, cert))
        key = serialization.load_der_private_key(der, None)
    except (ValueError, InvalidTag):
        raise SealError("the practice seal file is damaged or does not open with this "
                        "master key") from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SealError("the practice seal key has an unsupported type")
    return cert, key


def _write_once(path: Path, data: bytes) -> bool:
    """Writes ``path`` (0600, directory 0700) unless it exists; False if it did. A private
    temporary name linked into place: a concurrent reader sees all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    temp = path.parent / f".{path.name}.{secrets.token_hex(8)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
    finally:
        temp.unlink(missing_ok=True)
    return True
