"""Random secrets whose visible prefix can be typed on a command line."""

import secrets


def secret_token(nbytes: int) -> str:
    """`secrets.token_urlsafe(nbytes)`, drawn again until it starts with a letter or digit: a key is revoked by its
    first 8 characters (`chengguan open311 key revoke PREFIX`), and a prefix starting with "-" would be taken for
    an option."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if token[0].isalnum():
            return token
