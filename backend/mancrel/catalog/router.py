import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from mancrel.auth.dependencies import AdminUser, CurrentUser
from mancrel.catalog import service, source_service
from mancrel.catalog.dependencies import SourceDep
from mancrel.catalog.exceptions import InvalidSourceSettings, ProductNotFound
from mancrel.catalog.health import source_health
from mancrel.catalog.models import CatalogSource, EventStatus, Product, ProductStatus
from mancrel.catalog.repository import EventRepository
from mancrel.catalog.schemas import (
    EventPage,
    EventRead,
    ProductPage,
    ProductRead,
    SourceCreate,
    SourceHealth,
    SourcePage,
    SourceRead,
    SourceUpdate,
)
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.worker.outbox import enqueue

router = APIRouter(tags=["catalog"])
Price = Annotated[Decimal | None, Query(ge=0, max_digits=14, decimal_places=2)]


@router.get("/products", response_model=ProductPage)
async def list_products(_: CurrentUser, session: SessionDep, q: Annotated[str | None, Query(max_length=200)] = None,
                        sku: Annotated[str | None, Query(max_length=200)] = None, in_stock: bool | None = None,
                        min_price: Price = None, max_price: Price = None, status: ProductStatus | None = None,
                        source_id: uuid.UUID | None = None, limit: LimitParam = 50,
                        cursor: CursorParam = None) -> ProductPage:
    rows = await service.list_products(session, q=q, sku=sku, in_stock=in_stock, min_price=min_price,
                                       max_price=max_price, status=status, source_id=source_id,
                                       limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda p: (p.title, p.id))
    return ProductPage(items=[ProductRead.model_validate(p) for p in items], next_cursor=next_cursor)


@router.get("/products/{product_id}", response_model=ProductRead)
async def get_product(product_id: uuid.UUID, _: CurrentUser, session: SessionDep) -> Product:
    product = await service.get_product(session, product_id)
    if product is None:
        raise ProductNotFound()
    return product


@router.get("/catalog/sources", response_model=SourcePage)
async def list_sources(_: AdminUser, session: SessionDep, limit: LimitParam = 50,
                       cursor: CursorParam = None) -> SourcePage:
    rows = await source_service.list_page(session, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda s: (s.name, s.id))
    return SourcePage(items=[SourceRead.model_validate(s) for s in items], next_cursor=next_cursor)


@router.post("/catalog/sources", response_model=SourceRead, status_code=201)
async def create_source(data: SourceCreate, admin: AdminUser, session: SessionDep) -> CatalogSource:
    return await source_service.create(session, data=data, actor=admin)


@router.get("/catalog/sources/{source_id}", response_model=SourceRead)
async def get_source(source: SourceDep) -> CatalogSource:
    return source


@router.patch("/catalog/sources/{source_id}", response_model=SourceRead)
async def update_source(data: SourceUpdate, source: SourceDep, admin: AdminUser,
                        session: SessionDep) -> CatalogSource:
    return await source_service.update(session, source=source, data=data, actor=admin)


@router.get("/catalog/sources/{source_id}/health", response_model=SourceHealth)
async def get_source_health(source: SourceDep, session: SessionDep) -> SourceHealth:
    return await source_health(session, source)


@router.get("/catalog/sources/{source_id}/events", response_model=EventPage)
async def list_source_events(source: SourceDep, session: SessionDep, status: EventStatus | None = None,
                             limit: LimitParam = 50, cursor: CursorParam = None) -> EventPage:
    """Deliveries, newest first; `status=failed` lists what could not be applied, with why."""
    rows = await EventRepository(session).list_page(source.id, status=status, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda e: (e.received_at.isoformat(), e.id))
    return EventPage(items=[EventRead.model_validate(e) for e in items], next_cursor=next_cursor)


@router.post("/catalog/sources/{source_id}/poll", status_code=202)
async def poll_source_now(source: SourceDep, session: SessionDep, full: bool = False) -> dict[str, str]:
    """Queue a poll now (or a full reconciliation with `full=true`)."""
    if not source.poll_url:
        raise InvalidSourceSettings("This source has no poll URL.")
    enqueue(session, "catalog.reconcile_source" if full else "catalog.poll_source", source_id=source.id)
    return {"status": "queued"}
