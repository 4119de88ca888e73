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
