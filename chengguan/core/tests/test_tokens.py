from unittest import mock

from chengguan.core.tokens import secret_token


def test_a_secret_never_starts_with_a_character_a_command_line_takes_for_an_option():
    draws = iter(["-abcdefgh", "_ijklmnop", "Qrstuvwx"])
    with mock.patch("chengguan.core.tokens.secrets.token_urlsafe", side_effect=lambda n: next(draws)):
        assert secret_token(6) == "Qrstuvwx"
    assert all(secret_token(6)[0].isalnum() for _ in range(500))
