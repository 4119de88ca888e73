from mancrel.core.errors import InvalidInput, NotFound


class ClassificationNotFound(NotFound):
    title, slug = "Classification not found", "classification-not-found"


class ExampleNotFound(NotFound):
    title, slug = "Training example not found", "training-example-not-found"


class UnknownIntent(InvalidInput):
    title, slug = "Unknown intent", "unknown-intent"


class UnknownSearchType(InvalidInput):
    title, slug = "Unknown search type", "unknown-search-type"
