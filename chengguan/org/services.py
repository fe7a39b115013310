"""State changes for people and access: API tokens."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from chengguan.core.errors import NotFound
from chengguan.core.memo import TimedMemo, own_copy
from chengguan.core.tokens import secret_token

from .models import ApiToken, User

TOKEN_PREFIX = "cg_"


def token_create(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    key = TOKEN_PREFIX + secret_token(32)
    now = timezone.now()
    days = settings.API_TOKEN_DAYS if days is None else days
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        key_hash=ApiToken.hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# Tokens memoised per process (core.memo): key hash → (the token with its user, the user's role assignments with
# their region and department). Every API request presents one, and tokens, accounts and roles change rarely. A
# change in this process clears the memo at once (`forget_tokens`, connected to the save and delete of tokens,
# users, role assignments, regions and departments); other processes see a revocation, a lock, a deactivation
# or a role change within TOKEN_CACHE_SECONDS. The expiry, the lock's end and `last_used_at` are checked on every
# request against the clock. An unknown key is never memoised (a new token works at once everywhere).
TOKEN_CACHE_SECONDS = 5
_tokens = TimedMemo(size=10_000)
forget_tokens = _tokens.clear


def _token_with_roles(key_hash: str) -> tuple | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None:
        return None
    return token, list(token.user.role_assignments.select_related("region", "department"))


def token_authenticate(key: str) -> User | None:
    now = timezone.now()
    key_hash = ApiToken.hash_key(key)
    memo = _tokens.get(key_hash, lambda: _token_with_roles(key_hash), TOKEN_CACHE_SECONDS)
    if memo is None:
        return None
    token, assignments = memo
    if not token.is_usable(now) or not token.user.is_active or token.user.is_locked(now):
        return None  # sign-in throttling does not stop tokens; an administrator's lock or deactivation does
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    user = own_copy(token.user)  # the request's own copy: callers may set attributes on it
    user._scope_assignments = assignments  # what chengguan.org.scope would read (one query fewer)
    return user


def token_revoke_by_prefix(*, prefix: str) -> int:
    tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
    if not tokens:
        raise NotFound(f"no active token starts with {prefix!r}", field="prefix")
    for token in tokens:
        token_revoke(token=token)
    return len(tokens)
