"""The practice seal: a sealed form validates; one flipped byte, an appended edit or another
certificate does not; the self-generated key is stored encrypted and private."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtensionOID
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from backend_server.attachments import crypto
from backend_server.forms.seal import (
    PracticeSealer,
    SealError,
    generate_seal_certificate,
    seal_path,
    verify_seal,
)
from tests.server.forms.conftest import PRACTICE

PRACTICE_ID = "0b6f1d2e-8c1a-4a57-9d0e-3f1c2b4a5d6e"


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def sealer(keys_dir: Path) -> PracticeSealer:
    return PracticeSealer.for_practice(keys_dir, PRACTICE_ID, PRACTICE,
                                       now=datetime.now(UTC))


@pytest.fixture
def sealed(sealer: PracticeSealer, anamnesis_pdf: bytes) -> bytes:
    return sealer.seal_pdf(anamnesis_pdf)


def byte_range(pdf: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match is not None
    return [int(v) for v in match.groups()]


def test_a_sealed_form_validates(sealer: PracticeSealer, sealed: bytes,
                                 anamnesis_pdf: bytes) -> None:
    assert sealed.startswith(anamnesis_pdf)  # an incremental signature: content unchanged
    status = verify_seal(sealed, sealer.certificate)
    assert status.intact, status.problem
    assert status.trusted, status.problem
    assert status.ok
    assert status.signer == f"{PRACTICE} – Praxissiegel"
    assert status.signed_at is not None
    assert abs(status.signed_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert status.sha256 == hashlib.sha256(sealed).hexdigest()
    # The certificate also works as PEM (what a later slice stores or shows).
    assert verify_seal(sealed, sealer.certificate_pem).ok
    # The signature covers the whole file except its own /Contents hole.
    start, _first, second, rest = byte_range(sealed)
    assert start == 0
    assert second + rest == len(sealed)
    # The text is still extractable by an ordinary PDF library.
    assert "Jürgen Größmann" in PdfReader(io.BytesIO(sealed)).pages[0].extract_text()


def test_one_flipped_byte_breaks_the_seal(sealer: PracticeSealer, sealed: bytes) -> None:
    _, first, second, rest = byte_range(sealed)
    # In the page content, in the middle of the first range, and in the trailing range.
    for position in (first // 3, first // 2, first - 200, second + rest // 2):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        status = verify_seal(bytes(damaged), sealer.certificate)
        assert not status.intact, position
        assert not status.ok, position
        assert status.sha256 != hashlib.sha256(sealed).hexdigest()


def test_an_appended_edit_is_detected(sealer: PracticeSealer, sealed: bytes) -> None:
    writer = PdfWriter(io.BytesIO(sealed), incremental=True)
    writer.add_annotation(0, FreeText(text="Nein", rect=(50, 550, 200, 650)))
    out = io.BytesIO()
    writer.write(out)
    edited = out.getvalue()
    assert edited.startswith(sealed)  # the sealed revision itself is untouched
    status = verify_seal(edited, sealer.certificate)
    assert not status.intact
    assert not status.ok
    assert status.trusted  # still the practice's seal, but over an earlier revision
    assert "changed after sealing" in status.problem
    writer = PdfWriter(io.BytesIO(sealed), incremental=True)
    writer.add_metadata({"/Title": "Anderer Titel"})
    out = io.BytesIO()
    writer.write(out)
    assert not verify_seal(out.getvalue(), sealer.certificate).intact
    assert not verify_seal(sealed + b"\n% appended\n", sealer.certificate).intact


def test_another_certificate_is_not_trusted(tmp_path: Path, sealer: PracticeSealer,
                                            sealed: bytes, anamnesis_pdf: bytes) -> None:
    other = PracticeSealer.for_practice(tmp_path / "other", "practice-b", "Praxis B",
                                        now=datetime.now(UTC))
    status = verify_seal(sealed, other.certificate)
    assert status.intact
    assert not status.trusted
    assert not status.ok
    # A forger's certificate with the very same name does not pass either.
    cert, key = generate_seal_certificate(PRACTICE, now=datetime.now(UTC))
    forged = PracticeSealer(cert, key).seal_pdf(anamnesis_pdf)
    forged_status = verify_seal(forged, sealer.certificate)
    assert forged_status.signer == f"{PRACTICE} – Praxissiegel"
    assert not forged_status.trusted
    assert not forged_status.ok


def test_unsealed_and_garbage_documents_are_not_intact(sealer: PracticeSealer,
                                                       anamnesis_pdf: bytes) -> None:
    status = verify_seal(anamnesis_pdf, sealer.certificate)
    assert not status.intact
    assert status.problem == "the document has no seal"
    assert not verify_seal(b"not a pdf at all", sealer.certificate).intact
    assert not verify_seal(b"", sealer.certificate).intact


def test_the_self_generated_seal_is_kept_private_and_encrypted(
        keys_dir: Path, sealer: PracticeSealer) -> None:
    path = seal_path(keys_dir, PRACTICE_ID)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    data = path.read_bytes()
    assert b"PRIVATE KEY" not in data
    assert b"PRAXISDESK ENCRYPTED SEAL KEY" in data
    cert = sealer.certificate
    usage = cert.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert isinstance(usage, x509.KeyUsage)
    assert usage.digital_signature
    assert usage.content_commitment
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3650) <= lifetime <= timedelta(days=3653)
    # Used again, the same certificate comes back, whatever name is passed now.
    again = PracticeSealer.for_practice(keys_dir, PRACTICE_ID, "Umbenannt",
                                        now=datetime.now(UTC))
    assert again.certificate == cert
    # Without the right master key the seal key does not open.
    os.chmod(crypto.master_key_path(keys_dir), 0o600)
    crypto.master_key_path(keys_dir).write_bytes(crypto.new_key())
    with pytest.raises(SealError, match="does not open with this master key"):
        PracticeSealer.for_practice(keys_dir, PRACTICE_ID, PRACTICE, now=datetime.now(UTC))
    with pytest.raises(ValueError, match="not a plain id"):
        seal_path(keys_dir, "../escape")


def test_a_long_practice_name_fits_the_certificate(tmp_path: Path) -> None:
    name = "Gemeinschaftspraxis für Allgemeinmedizin und Innere Medizin Dr. Ä. Übermaß"
    sealer = PracticeSealer.for_practice(tmp_path, "p", name, now=datetime.now(UTC))
    cn = sealer.certificate.subject.rfc4514_string()
    assert "– Praxissiegel" in cn
    assert "…" in cn


def test_a_configured_certificate_is_used(anamnesis_pdf: bytes) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert, _ = generate_seal_certificate("Praxis Konfiguriert", now=datetime.now(UTC))
    # Re-issue the certificate for the RSA key (same builder, different key).
    rsa_cert = (x509.CertificateBuilder().subject_name(cert.subject)
                .issuer_name(cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(cert.not_valid_before_utc)
                .not_valid_after(cert.not_valid_after_utc)
                .add_extension(cert.extensions.get_extension_for_class(x509.KeyUsage).value,
                               critical=True)
                .sign(key, cert.signature_hash_algorithm))  # type: ignore[arg-type]
    p12 = pkcs12.serialize_key_and_certificates(
        b"seal", key, rsa_cert, None, serialization.BestAvailableEncryption(b"geheim"))
    sealer = PracticeSealer.from_pkcs12(p12, b"geheim")
    assert verify_seal(sealer.seal_pdf(anamnesis_pdf), rsa_cert).ok
    with pytest.raises(SealError):
        PracticeSealer.from_pkcs12(p12, b"falsch")
    pem = PracticeSealer.from_pem(
        rsa_cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()))
    assert verify_seal(pem.seal_pdf(anamnesis_pdf), rsa_cert).ok
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SealError, match="does not belong"):
        PracticeSealer(rsa_cert, other_key)


async def test_sealing_and_checking_run_in_a_worker_thread_from_async_code(
        sealer: PracticeSealer, anamnesis_pdf: bytes) -> None:
    sealed = await asyncio.to_thread(sealer.seal_pdf, anamnesis_pdf)
    status = await asyncio.to_thread(verify_seal, sealed, sealer.certificate)
    assert status.ok


def test_checking_a_seal_needs_no_platform_trust_store(tmp_path: Path) -> None:
    """oscrypto (pyHanko's route to the system trust list) breaks on some OpenSSL 3 builds
    and would consult certificates the practice never chose: it must never be loaded."""
    script = (
        "import sys; from datetime import UTC, datetime; from pathlib import Path\n"
        "from fpdf import FPDF\n"
        "from backend_server.forms.seal import PracticeSealer, verify_seal\n"
        "p = FPDF(); p.add_page(); p.set_font('helvetica'); p.cell(0, 10, 'x')\n"
        f"s = PracticeSealer.for_practice(Path({str(tmp_path)!r}), 'p', 'P',"
        " now=datetime.now(UTC))\n"
        "assert verify_seal(s.seal_pdf(bytes(p.output())), s.certificate).ok\n"
        "assert not [m for m in sys.modules if m.startswith('oscrypto')]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60,
                   cwd=Path(__file__).resolve().parents[3])
