"""The course secret, and the hidden seed of each submission derived from it.

The secret is 32 random bytes (hex), made once by the instructor (`autograder secret`, or
`autograder release` when there is none) and kept out of everything released or committed.
It is read from $AUTOGRADER_SECRET (the hex itself), else from the file named by
$AUTOGRADER_SECRET_FILE, else from `.autograder-secret` next to course.yaml.

A submission's hidden cases are seeded by HMAC-SHA256(secret, content digest, problem): the
same code always meets the same inputs (and gets the same grade), any change meets new
ones, and inputs leaked by one submission say nothing about the next.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from pathlib import Path

ENV = "AUTOGRADER_SECRET"
ENV_FILE = "AUTOGRADER_SECRET_FILE"
FILE_NAME = ".autograder-secret"
N_BYTES = 32                 # what `autograder secret` writes: 256 bits
MIN_HEX = 32                 # what is accepted: at least 128 bits
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


class SecretError(Exception):
    """The course secret is missing, malformed or cannot be written; one line naming where."""


def secret_file(course_root: Path | str) -> Path:
    """Where the secret file is (or would be): $AUTOGRADER_SECRET_FILE, else next to course.yaml."""
    return Path(os.environ.get(ENV_FILE) or Path(course_root) / FILE_NAME)


def _parse(text: str, source: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_HEX or not _HEX.fullmatch(text):
        raise SecretError(f"{source}: malformed course secret (expected at least {MIN_HEX} hex "
                          "digits, as `autograder secret` writes)")
    return bytes.fromhex(text)


def write_secret(path: Path | str, force: bool = False) -> Path:
    """Write a fresh secret to `path` (mode 0600). An existing one is kept unless `force`:
    SecretError then; without force, of two concurrent writers exactly one wins, and the
    file is never seen half written."""
    path = Path(path)
    if path.exists() and not force:
        raise SecretError(f"{path}: a course secret is already there; --force replaces it "
                          "(every hidden case and grade changes)")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(N_BYTES) + "\n")
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)                  # atomic, and fails if the file exists
    except FileExistsError:
        raise SecretError(f"{path}: a course secret is already there; --force replaces it "
                          "(every hidden case and grade changes)") from None
    except OSError as e:
        raise SecretError(f"{path}: cannot write the course secret ({e.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def load_secret(course_root: Path | str, create: bool = False) -> bytes:
    """The course secret, by the rules above. Where there is none: with `create`, a new one
    is written to the secret file (and said so on stderr); else SecretError."""
    if os.environ.get(ENV):
        return _parse(os.environ[ENV], f"${ENV}")
    path = secret_file(course_root)
    if create and not path.exists():
        try:
            write_secret(path)
            print(f"autograder: created the course secret {path} (hidden cases derive from "
                  "it: keep it, never release or commit it)", file=sys.stderr)
        except SecretError:
            if not path.exists():               # lost a race to another writer: read theirs
                raise
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise SecretError(f"{path}: no course secret; make one with `autograder secret` (or set "
                          f"${ENV} or ${ENV_FILE})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SecretError(f"{path}: cannot read the course secret "
                          f"({getattr(e, 'strerror', None) or e})") from None
    return _parse(text, str(path))


def submission_digest(cells) -> str:
    """SHA-256 of the code that is graded (a Submission's cells: what the sandbox runs)."""
    canonical = json.dumps([[int(i), str(source)] for i, source in cells], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hidden_seed(secret: bytes, digest: str, problem: str) -> int:
    """The 128-bit seed of one problem's hidden cases for one submission."""
    mac = hmac.new(secret, f"hidden-cases\0{digest}\0{problem}".encode("utf-8"), hashlib.sha256)
    return int.from_bytes(mac.digest()[:16], "big")
