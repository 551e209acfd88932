"""Codes an authenticator app would show, computed in the test (RFC 6238: TOTP, HMAC-SHA1, six
digits, 30-second steps, as allauth's defaults), and the key read off the set-up page."""

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret, at=None, step=0):
    """The six digits an app holding `secret` (base32) shows at `at` (a Unix time, default now),
    `step` periods later."""
    counter = int((time.time() if at is None else at) // 30) + step
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def wrong_code(secret):
    """Six digits that are not the code now, nor the one just before or after."""
    taken = {totp_code(secret, step=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in taken)


def code_now(secret):
    """The code now, after waiting out the last seconds of a period, so it is still the code
    when the server reads it."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp_code(secret)


def next_code(secret, used):
    """The first code after `used`: an app's code signs in once (allauth refuses it again), so
    a second log-in within the same 30 seconds waits for the next one, as a person would."""
    deadline = time.time() + 35
    while (code := code_now(secret)) == used and time.time() < deadline:
        time.sleep(0.5)
    return code
