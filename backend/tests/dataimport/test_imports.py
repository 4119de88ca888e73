import json
import uuid

from sqlalchemy import func, select

from mancrel.company.models import Company
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.dataimport.models import ImportJob, ImportStatus
from mancrel.dataimport.tasks import import_rows
from mancrel.worker.models import OutboxMessage
from tests.contact.factories import make_company, make_contact, quick_user
from tests.factories import auth_headers

CONTACTS_CSV = """Vorname,Nachname,E-Mail,Telefon,Firma,Stufe,Notiz
Ada,Lovelace,ADA@example.com,+44 20 7946 0958,Analytical Engines,customer,first
Grace,Hopper,grace@example.com,,Analytical Engines,prospect,
Bad,Phone,bad@example.com,12,,lead,
Dup,Licate,taken@example.com,,,lead,
,,,,,,
Alan,Turing,alan@example.com;turing@example.com,,,wizard,
"""
MAPPING = {"Vorname": "first_name", "Nachname": "last_name", "E-Mail": "emails", "Telefon": "phones",
           "Firma": "company", "Stufe": "lifecycle_stage"}


async def _upload(client, user, content, object_type="contacts", mapping=None, filename="people.csv"):
    data = {"object_type": object_type}
    if mapping is not None:
        data["mapping"] = json.dumps(mapping)
    return await client.post("/api/v1/imports", headers=auth_headers(user), data=data,
                             files={"file": (filename, content.encode(), "text/csv")})


async def test_contacts_import_creates_skips_duplicates_and_reports_row_errors(client, db):
    rep = await quick_user(db)
    await make_contact(db, actor=rep, emails=["taken@example.com"])
    response = await _upload(client, rep, CONTACTS_CSV, mapping=MAPPING)
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued" and job["total_rows"] == 5
    queued = await db.scalar(select(OutboxMessage).where(OutboxMessage.task_name == "crm.import_rows"))
    assert queued.kwargs == {"import_id": job["id"]}

    await import_rows.run_async(db, import_id=job["id"])

    done = (await client.get(f"/api/v1/imports/{job['id']}", headers=auth_headers(rep))).json()
    assert done["status"] == "done"
    assert (done["processed_rows"], done["created_count"], done["skipped_count"], done["error_count"]) == (5, 2, 1, 2)
    by_row = {e["row"]: e for e in done["errors"]}
    assert "phone" in by_row[4]["message"]
    assert by_row[5]["skipped"] is True and "duplicate" in by_row[5]["message"]
    assert "lifecycle_stage" in by_row[7]["message"]
    ada = await db.scalar(select(Contact).where(Contact.emails.contains(["ada@example.com"])))
    assert ada.phones == ["+442079460958"] and ada.owner_id == rep.id and ada.lifecycle_stage == "customer"
    companies = list(await db.scalars(select(Company).where(Company.name == "Analytical Engines")))
    assert len(companies) == 1  # created once, then found for Grace
    assert await db.scalar(select(func.count()).select_from(Contact).where(Contact.first_name == "Bad")) == 0


async def test_companies_import_with_same_named_columns_and_custom_field(client, db):
    admin = await quick_user(db, role=Role.admin)
    await client.post("/api/v1/custom-fields", headers=auth_headers(admin), json={
        "object_type": "company", "key": "employees", "label": "Employees", "field_type": "number"})
    await make_company(db, actor=admin, domain="known.example")
    csv_text = "name,domain,industry,cf.employees\nNew Co,new.example,Retail,12\nKnown,www.known.example,,\n" \
               "Weird,new2.example,,many\n"
    response = await _upload(client, admin, "\ufeff" + csv_text, object_type="companies")
    assert response.status_code == 202, response.text
    await import_rows.run_async(db, import_id=response.json()["id"])
    done = (await client.get(f"/api/v1/imports/{response.json()['id']}", headers=auth_headers(admin))).json()
    assert (done["created_count"], done["skipped_count"], done["error_count"]) == (1, 1, 1)
    new = await db.scalar(select(Company).where(Company.domain == "new.example"))
    assert new.custom_fields == {"employees": 12}
    assert "custom_fields.employees" in done["errors"][-1]["message"]


async def test_bad_uploads_are_refused_before_any_job(client, db):
    rep = await quick_user(db)
    cases = [
        (await _upload(client, rep, "a,b\n1,2\n", mapping={"nope": "first_name"}), "mapping"),
        (await _upload(client, rep, "a,b\n1,2\n", mapping={"a": "password"}), "mapping"),
        (await _upload(client, rep, "a,b\n1,2\n"), "mapping"),  # nothing maps by name
        (await _upload(client, rep, "first_name\nA\n", object_type="planets"), "object_type"),
        (await _upload(client, rep, "", mapping={}), "file"),
    ]
    for response, field in cases:
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    latin1 = await client.post("/api/v1/imports", headers=auth_headers(rep), data={"object_type": "contacts"},
                               files={"file": ("x.csv", "first_name\nJos\xe9\n".encode("latin-1"), "text/csv")})
    assert latin1.status_code == 422
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.task_name == "crm.import_rows")) == 0


async def test_reps_see_only_their_own_imports(client, db):
    rep, other, manager = await quick_user(db), await quick_user(db), await quick_user(db, role=Role.manager)
    job = (await _upload(client, rep, "first_name\nA\n")).json()
    assert (await client.get(f"/api/v1/imports/{job['id']}", headers=auth_headers(other))).status_code == 404
    assert (await client.get(f"/api/v1/imports/{job['id']}", headers=auth_headers(manager))).status_code == 200
    mine = (await client.get("/api/v1/imports", headers=auth_headers(rep))).json()["items"]
    assert [j["id"] for j in mine] == [job["id"]]
    assert (await client.get("/api/v1/imports", headers=auth_headers(other))).json()["items"] == []


async def test_a_rerun_job_resumes_without_importing_twice(client, db):
    rep = await quick_user(db)
    job = (await _upload(client, rep, "first_name,emails\nA,a@example.com\nB,b@example.com\n")).json()
    await import_rows.run_async(db, import_id=job["id"])
    await import_rows.run_async(db, import_id=job["id"])  # a redelivered message
    count = await db.scalar(select(func.count()).select_from(Contact)
                            .where(Contact.emails.overlap(["a@example.com", "b@example.com"])))
    assert count == 2


async def test_an_interrupted_job_resumes_after_its_committed_rows(client, db):
    rep = await quick_user(db)
    job = (await _upload(client, rep, "first_name,emails\nA,a@example.com\nB,b@example.com\n")).json()
    row = await db.get(ImportJob, uuid.UUID(job["id"]))
    # As a worker killed after committing row 1 leaves it: running, one row counted.
    row.status, row.processed_rows, row.created_count = ImportStatus.running, 1, 1
    await db.flush()
    await import_rows.run_async(db, import_id=row.id)
    await db.flush()  # what the job's unit of work does on return
    assert (row.status, row.processed_rows, row.created_count) == (ImportStatus.done, 2, 2)
    emails = set(await db.scalars(select(func.unnest(Contact.emails)).where(Contact.owner_id == rep.id)))
    assert emails == {"b@example.com"}  # row 1 was not imported a second time


async def test_an_import_by_a_deactivated_user_fails_and_imports_nothing(client, db):
    rep = await quick_user(db)
    job = (await _upload(client, rep, "first_name\nA\n")).json()
    rep.is_active = False
    await db.flush()
    await import_rows.run_async(db, import_id=job["id"])
    await db.flush()
    body = await db.get(ImportJob, uuid.UUID(job["id"]))
    assert body.status == ImportStatus.failed and body.failure
    assert await db.scalar(select(func.count()).select_from(Contact).where(Contact.owner_id == rep.id)) == 0


async def test_rows_name_their_owner_by_email_within_the_importers_rights(client, db):
    manager, rep, other = await quick_user(db, role=Role.manager), await quick_user(db), await quick_user(db)
    csv_text = f"first_name,owner_email\nFor Rep,{rep.email}\nNobody,ghost@example.com\n"
    job = (await _upload(client, manager, csv_text)).json()
    await import_rows.run_async(db, import_id=job["id"])
    await db.flush()
    assert await db.scalar(select(Contact.owner_id).where(Contact.first_name == "For Rep")) == rep.id
    row = await db.get(ImportJob, uuid.UUID(job["id"]))
    assert [e["row"] for e in row.errors] == [3] and "ghost@example.com" in row.errors[0]["message"]

    by_rep = (await _upload(client, rep, f"name,owner_email\nNot Mine,{other.email}\n", object_type="companies")).json()
    await import_rows.run_async(db, import_id=by_rep["id"])
    await db.flush()
    refused = await db.get(ImportJob, uuid.UUID(by_rep["id"]))
    assert (refused.created_count, refused.error_count) == (0, 1)
    assert await db.scalar(select(Company).where(Company.name == "Not Mine")) is None
