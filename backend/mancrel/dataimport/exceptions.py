from mancrel.core.errors import InvalidInput, NotFound


class ImportNotFound(NotFound):
    title = "Import not found"
    slug = "import-not-found"


class InvalidImport(InvalidInput):
    title = "This file cannot be imported"
    slug = "invalid-import"
