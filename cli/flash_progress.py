"""Live progress bars and the summary table for ``crmsensor badge flash``."""

from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from devtools.fwtools import flasher


def run(
    ports: Sequence[str],
    images_for: Callable[[str], Sequence[flasher.Image]],
    log_dir: Path,
    **options: object,
) -> list[flasher.FlashResult]:
    """Flash ``ports`` in parallel with a bar each; print one summary table at the end."""
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bars:
        tasks = {p: bars.add_task(p, total=None) for p in ports}

        def progress(port: str, done: int, total: int) -> None:
            bars.update(tasks[port], completed=done, total=total)

        results = flasher.flash_many(ports, images_for, log_dir, progress=progress, **options)
    table = Table(title="flashing summary")
    for col in ("port", "result", "MAC", "seconds", "log"):
        table.add_column(col)
    for r in results:
        why = (r.error or "").removeprefix(r.port + ": ")
        table.add_row(
            r.port,
            "[green]ok[/green]" if r.ok else f"[red]FAILED[/red] {why}",
            r.mac or "",
            f"{r.seconds:.1f}",
            str(r.log_path or ""),
        )
    console.print(table)
    for r in results:  # whole lines too, for logs and grep (the table wraps long ones)
        if not r.ok:
            console.print(f"FAILED {r.error}", soft_wrap=True, markup=False)
    failed = sum(1 for r in results if not r.ok)
    console.print(f"{len(results) - failed} flashed, {failed} failed")
    return results
