import uuid
from enum import StrEnum

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey


class StageKind(StrEnum):
    """What reaching a stage means for a deal's status: Won and Lost stages close it."""

    open = "open"
    won = "won"
    lost = "lost"


class Pipeline(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "pipelines"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    stages: Mapped[list["PipelineStage"]] = relationship(
        lazy="raise", order_by="PipelineStage.position", cascade="all, delete-orphan")


class PipelineStage(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "pipeline_stages"
    __table_args__ = (UniqueConstraint("pipeline_id", "name", name="uq_pipeline_stages_pipeline_id_name"),)

    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    probability: Mapped[int] = mapped_column(Integer, default=0)  # win probability, percent
    kind: Mapped[StageKind] = mapped_column(Enum(StageKind, name="stage_kind"), default=StageKind.open)
