from mancrel.core.errors import Conflict, InvalidInput, NotFound


class PipelineNotFound(NotFound):
    title = "Pipeline not found"
    slug = "pipeline-not-found"


class StageNotFound(NotFound):
    title = "Stage not found"
    slug = "stage-not-found"


class StageNotInPipeline(InvalidInput):
    title = "Stage is not in this pipeline"
    slug = "stage-not-in-pipeline"


class NameTaken(Conflict):
    title = "Name already in use"
    slug = "name-taken"


class StageInUse(Conflict):
    title = "Stage still has deals"
    slug = "stage-in-use"
