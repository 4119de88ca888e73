from mancrel.core.errors import Conflict, InvalidInput, NotFound


class CustomFieldNotFound(NotFound):
    title = "Custom field not found"
    slug = "custom-field-not-found"


class CustomFieldKeyTaken(Conflict):
    title = "A custom field with this key exists"
    slug = "custom-field-key-taken"


class InvalidCustomFieldValue(InvalidInput):
    title = "Invalid custom field value"
    slug = "invalid-custom-field"
