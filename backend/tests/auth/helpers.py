"""Clients that call the app from a chosen address, as uvicorn reports a TCP peer."""

from httpx import ASGITransport, AsyncClient

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


def client_from(app, address: str) -> AsyncClient:
    """Shares the `client` fixture's session override while that fixture is active."""
    transport = ASGITransport(app=app, client=(address, 40000), raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://test")


async def sign_in(http: AsyncClient, email: str, password: str, **headers: str):
    return await http.post(LOGIN, json={"email": email, "password": password}, headers=headers)
