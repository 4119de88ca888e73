import uuid

from pydantic import BaseModel, ConfigDict, Field

from mancrel.core.types import NonNegativeInt32, Text
from mancrel.pipeline.models import StageKind


class StageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    position: int
    probability: int
    kind: StageKind


class PipelineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    is_default: bool
    position: int
    stages: list[StageRead]


class StageCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)
    probability: int = Field(default=0, ge=0, le=100, description="Win probability in percent.")
    kind: StageKind = StageKind.open
    position: NonNegativeInt32 | None = Field(default=None, description="Index among the stages; last if omitted.")


class StageUpdate(BaseModel):
    name: Text | None = Field(default=None, min_length=1, max_length=120)
    probability: int | None = Field(default=None, ge=0, le=100)
    kind: StageKind | None = None
    position: NonNegativeInt32 | None = Field(default=None)


class PipelineCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)
    stages: list[StageCreate] = Field(min_length=1, max_length=30)


class PipelineUpdate(BaseModel):
    name: Text | None = Field(default=None, min_length=1, max_length=120)
    is_default: bool | None = None
