"""Deals through the shared import job: upload, run the job, read the report, see the deals."""

import json

from mancrel.core.permissions import Role
from mancrel.dataimport.tasks import import_rows
from tests.deal.factories import make_contact, sales_pipeline
from tests.factories import auth_headers, make_user


async def test_deals_csv_import_creates_skips_and_reports(client, db):
    rep = await make_user(db, role=Role.rep)
    contact = await make_contact(db, owner=rep)
    csv_text = (
        "Deal,Value,Stufe,Kunde\n"
        f"Grinder refit,1800.00,Proposal,{contact.emails[0]}\n"
        f"Grinder refit,1800.00,Proposal,{contact.emails[0]}\n"
        "Mystery,10,Somewhere,\n"
        "=cmd|' /C calc'!A0,5,New,\n"
    )
    mapping = {"Deal": "title", "Value": "amount", "Stufe": "stage", "Kunde": "contact_email"}
    response = await client.post("/api/v1/imports", headers=auth_headers(rep),
                                 data={"object_type": "deals", "mapping": json.dumps(mapping)},
                                 files={"file": ("deals.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 202, response.text
    await import_rows.run_async(db, import_id=response.json()["id"])
    report = (await client.get(f"/api/v1/imports/{response.json()['id']}", headers=auth_headers(rep))).json()
    assert (report["created_count"], report["skipped_count"], report["error_count"]) == (2, 1, 1)
    assert any("stage" in e["message"] for e in report["errors"] if not e.get("skipped"))

    pipeline = await sales_pipeline(db)
    board = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board", headers=auth_headers(rep))).json()
    proposal = next(s for s in board["stages"] if s["name"] == "Proposal")
    assert [c["title"] for c in proposal["cards"]] == ["Grinder refit"]
    assert proposal["cards"][0]["contact_id"] == str(contact.id)
    exported = (await client.get("/api/v1/deals/export.csv", headers=auth_headers(rep))).text
    assert "'=cmd" in exported  # imported as text, exported harmless
