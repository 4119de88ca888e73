import pytest

from tests.reply.llm_standin import ChatStandIn


@pytest.fixture
def llm(monkeypatch):
    """The chat-completions stand-in, with the settings pointing the `openai` provider at it."""
    from mancrel.core.config import get_settings

    with ChatStandIn() as standin:
        monkeypatch.setenv("MANCREL_LLM_BASE_URL", standin.base_url)
        monkeypatch.setenv("MANCREL_LLM_API_KEY", "sk-test-key")
        monkeypatch.setenv("MANCREL_LLM_MODEL", "shop-writer-1")
        monkeypatch.setenv("MANCREL_LLM_MAX_RETRIES", "1")
        get_settings.cache_clear()
        yield standin
    get_settings.cache_clear()  # monkeypatch restores the environment after this


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) that keeps what it is given."""
    from tests.channel.mailservers import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()
