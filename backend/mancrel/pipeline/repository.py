import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mancrel.pipeline.models import Pipeline, PipelineStage


class PipelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_all(self) -> list[Pipeline]:
        stmt = (select(Pipeline).options(selectinload(Pipeline.stages))
                .order_by(Pipeline.position, Pipeline.name))
        return list(await self.session.scalars(stmt))

    async def get(self, pipeline_id: uuid.UUID) -> Pipeline | None:
        stmt = select(Pipeline).options(selectinload(Pipeline.stages)).where(Pipeline.id == pipeline_id)
        return await self.session.scalar(stmt)

    async def get_default(self) -> Pipeline | None:
        stmt = (select(Pipeline).options(selectinload(Pipeline.stages))
                .order_by(Pipeline.is_default.desc(), Pipeline.position).limit(1))
        return await self.session.scalar(stmt)

    async def get_by_name(self, name: str) -> Pipeline | None:
        return await self.session.scalar(select(Pipeline).where(Pipeline.name == name))

    async def get_stage(self, stage_id: uuid.UUID) -> PipelineStage | None:
        return await self.session.get(PipelineStage, stage_id)

    async def clear_default(self) -> None:
        await self.session.execute(update(Pipeline).where(Pipeline.is_default).values(is_default=False))
