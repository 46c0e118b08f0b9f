"""One database transaction, as every capability opens it (``async with transaction():``)."""

import contextlib
from collections.abc import AsyncIterator

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction


@contextlib.asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """``tortoise.transactions.in_transaction()``, safe when BEGIN itself fails.

    tortoise (1.1.9) takes a pooled connection and makes it the task's current one before
    BEGIN, and gives both back only in ``__aexit__``, which Python does not call when
    ``__aenter__`` raised. A connection dropped by the server (a PostgreSQL restart) then
    stays the task's "transaction" for good: every later ``in_transaction()`` of that task
    nests a savepoint on the dead connection, and each such failure keeps one more pooled
    connection until the pool has none left and waits for ever. So on a failed BEGIN the
    connection is given back and the task's context restored here.
    """
    ctx = in_transaction()
    try:
        client = await ctx.__aenter__()
    except BaseException as exc:
        if getattr(ctx, "token", None) is not None:  # it got as far as taking a connection
            with contextlib.suppress(Exception):
                await ctx.__aexit__(type(exc), exc, exc.__traceback__)
        raise
    try:
        yield client
    except BaseException as exc:
        await ctx.__aexit__(type(exc), exc, exc.__traceback__)
        raise
    await ctx.__aexit__(None, None, None)
