"""CSV rows -> companies (see mancrel.dataimport.handlers for the contract)."""

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company import service as company_service
from mancrel.company.repository import CompanyRepository
from mancrel.company.schemas import CompanyCreate
from mancrel.dataimport.handlers import RowError, RowResult, custom_values, owner_id, split_list

FIELDS = ["name", "domain", "industry", "size", "address", "tags", "owner_email"]
CUSTOM_FIELDS_OBJECT = "company"


async def import_row(session: AsyncSession, *, values: dict[str, str], actor: Any) -> RowResult:
    fields: dict[str, Any] = {k: v for k, v in values.items() if k in FIELDS and k != "owner_email"}
    if "tags" in fields:
        fields["tags"] = split_list(fields["tags"])
    try:
        data = CompanyCreate(**fields, custom_fields=custom_values(values),
                             owner_id=await owner_id(session, values.get("owner_email"), actor))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RowError(f"{'.'.join(map(str, error['loc']))}: {error['msg']}") from exc
    if data.domain:
        existing = await CompanyRepository(session).get_by_domain(data.domain)
        if existing is not None:
            return RowResult.skipped(f"duplicate of company {existing.id} (domain {data.domain})", existing.id)
    company = await company_service.create(session, data=data, actor=actor)
    return RowResult.done(company.id)
