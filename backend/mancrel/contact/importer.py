"""CSV rows -> contacts (see mancrel.dataimport.handlers for the contract)."""

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company import service as company_service
from mancrel.company.schemas import CompanyCreate
from mancrel.contact import service as contact_service
from mancrel.contact.exceptions import DuplicateContact
from mancrel.contact.schemas import ContactCreate
from mancrel.dataimport.handlers import RowError, RowResult, custom_values, owner_id, split_list

FIELDS = ["first_name", "last_name", "title", "emails", "phones", "company", "company_domain", "lifecycle_stage",
          "tags", "source", "whatsapp_id", "messenger_psid", "owner_email"]
CUSTOM_FIELDS_OBJECT = "contact"


async def _company_id(session: AsyncSession, values: dict[str, str], actor: Any) -> Any:
    """The company named by domain or name: found among those the importer sees, else created."""
    name, domain = values.get("company"), values.get("company_domain")
    if not name and not domain:
        return None
    existing = await company_service.find_for_import(session, name=name, domain=domain, actor=actor)
    if existing is not None:
        return existing.id
    try:
        data = CompanyCreate(name=name or domain or "", domain=domain)
    except ValidationError as exc:
        raise RowError(f"company: {exc.errors()[0]['msg']}") from exc
    return (await company_service.create(session, data=data, actor=actor)).id


async def import_row(session: AsyncSession, *, values: dict[str, str], actor: Any) -> RowResult:
    fields: dict[str, Any] = {k: v for k, v in values.items()
                              if k in FIELDS and not k.startswith("company") and k != "owner_email"}
    for name in ("emails", "phones", "tags"):
        if name in fields:
            fields[name] = split_list(fields[name])
    try:
        data = ContactCreate(**fields, custom_fields=custom_values(values),
                             owner_id=await owner_id(session, values.get("owner_email"), actor))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RowError(f"{'.'.join(map(str, error['loc']))}: {error['msg']}") from exc
    if not (data.first_name or data.last_name or data.emails or data.phones):
        raise RowError("a contact needs a name, an email or a phone")
    try:
        await contact_service.check_duplicate(session, emails=data.emails, phones=data.phones)
    except DuplicateContact as exc:
        return RowResult.skipped(f"duplicate of contact {exc.extra['existing_id']} ({exc.detail})")
    data.company_id = await _company_id(session, values, actor)
    contact = await contact_service.create(session, data=data, actor=actor, allow_duplicate=True)
    return RowResult.done(contact.id)
