import pytest
from pydantic import ValidationError

from mancrel.core.config import Settings


@pytest.mark.parametrize("secret", ["change-me", "development-only-secret", "short"])
def test_placeholder_secrets_are_refused_outside_development(secret):
    with pytest.raises(ValidationError, match="MANCREL_SECRET_KEY"):
        Settings(env="production", secret_key=secret)


def test_development_runs_with_the_default_secret():
    assert Settings(env="development", _env_file=None).env == "development"


def test_settings_read_the_bare_names_users_know(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/crm")
    monkeypatch.setenv("MANCREL_PORT", "9001")
    settings = Settings(_env_file=None)
    assert settings.async_database_url == "postgresql+asyncpg://db.example/crm"
    assert settings.port == 9001


def test_dotenv_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("MANCREL_PORT", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("MANCREL_PORT=9123\n")
    assert Settings(_env_file=env_file).port == 9123


def test_fetch_allowed_networks_are_read_comma_separated(monkeypatch):
    monkeypatch.setenv("MANCREL_FETCH_ALLOWED_NETWORKS", "10.20.0.5, 192.168.7.0/24,fd00:1::/64,")
    assert [str(n) for n in Settings(_env_file=None).fetch_allowed_networks] == [
        "10.20.0.5/32", "192.168.7.0/24", "fd00:1::/64"]


@pytest.mark.parametrize(("entry", "complaint"), [
    ("10.0.0.300", "'10.0.0.300' does not appear to be an IPv4 or IPv6 network"),
    ("shop.lan", "'shop.lan' does not appear to be an IPv4 or IPv6 network"),
    ("10.20.0.5/24", "10.20.0.5/24 has host bits set"),  # the one host or its /24? Not guessed.
])
def test_an_invalid_fetch_allowed_network_stops_the_start(monkeypatch, entry, complaint):
    monkeypatch.setenv("MANCREL_FETCH_ALLOWED_NETWORKS", f"127.0.0.0/8,{entry}")
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None)
    assert f"MANCREL_FETCH_ALLOWED_NETWORKS: {complaint}" in str(raised.value)


@pytest.mark.parametrize("variable", ["MANCREL_TRUSTED_PROXIES", "MANCREL_METRICS_ALLOWED_NETWORKS"])
def test_proxy_and_metrics_networks_are_read_and_checked_like_fetch_networks(monkeypatch, variable):
    monkeypatch.setenv(variable, "10.0.0.2, fd00:1::/64")
    field = variable.removeprefix("MANCREL_").lower()
    assert [str(n) for n in getattr(Settings(_env_file=None), field)] == ["10.0.0.2/32", "fd00:1::/64"]
    monkeypatch.setenv(variable, "10.0.0.2,proxy.lan")
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None)
    assert f"{variable}: 'proxy.lan' does not appear to be an IPv4 or IPv6 network" in str(raised.value)


def test_no_proxy_is_trusted_and_metrics_stay_on_loopback_by_default(monkeypatch):
    for variable in ("MANCREL_TRUSTED_PROXIES", "MANCREL_METRICS_ALLOWED_NETWORKS", "MANCREL_METRICS_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    settings = Settings(_env_file=None)
    assert settings.trusted_proxies == ()
    assert [str(n) for n in settings.metrics_allowed_networks] == ["127.0.0.0/8", "::1/128"]
    assert settings.metrics_token is None


def test_a_short_metrics_token_stops_the_start(monkeypatch):
    monkeypatch.setenv("MANCREL_METRICS_TOKEN", "secret")
    with pytest.raises(ValidationError, match="MANCREL_METRICS_TOKEN must be at least 24"):
        Settings(_env_file=None)
