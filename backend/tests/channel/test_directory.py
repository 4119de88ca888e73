"""Every signed-in user may list channel names (the inbox's channel filter), and nothing more of them."""

from mancrel.core.permissions import Role
from tests.channel.factories import make_channel
from tests.factories import auth_headers, make_user


async def test_a_manager_lists_channel_names_without_settings_or_secrets(client, db):
    manager = await make_user(db, role=Role.manager)
    shop = await make_channel(db, name="Shop mail")
    listed = await client.get("/api/v1/channels/directory", headers=auth_headers(manager))
    assert listed.status_code == 200
    mine = next(c for c in listed.json() if c["id"] == str(shop.id))
    assert mine == {"id": str(shop.id), "kind": "email", "name": "Shop mail"}
    # The full channel (settings, which secrets are set) stays with admins.
    assert (await client.get("/api/v1/channels", headers=auth_headers(manager))).status_code == 403
    assert (await client.get("/api/v1/channels/directory")).status_code == 401
