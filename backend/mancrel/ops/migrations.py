"""Which migrations the database has, against the heads this code ships."""

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.migrate import alembic_config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


async def migration_state(session: AsyncSession) -> tuple[set[str], list[str], set[str]]:
    """(revisions recorded in alembic_version, the code's revisions not applied yet, every revision
    the code knows). Applied means recorded or below a recorded one, dependencies included (0004
    depends on 0003, which alembic_version then no longer names)."""
    exists = await session.scalar(text("select to_regclass('public.alembic_version') is not null"))
    applied = set(await session.scalars(text("select version_num from alembic_version"))) if exists else set()
    scripts = _scripts()
    known = {script.revision for script in scripts.iterate_revisions("heads", "base")}
    if not applied or applied - known:
        return applied, [], known  # nothing yet, or a newer release's database: no walk from there
    implied = {script.revision for script in scripts.iterate_revisions(tuple(applied), "base")}
    return applied, sorted(known - implied), known
