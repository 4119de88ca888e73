from mancrel.core.errors import Conflict, NotFound


class CompanyNotFound(NotFound):
    title = "Company not found"
    slug = "company-not-found"


class DomainTaken(Conflict):
    title = "A company with this domain exists"
    slug = "company-domain-taken"
