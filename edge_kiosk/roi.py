"""A named region of interest (ROI) of a camera frame: the one type the agent's config, the
detector's replay and the evaluation harness share."""

from dataclasses import dataclass

from edge_kiosk.hashes import Luma


@dataclass(frozen=True)
class Roi:
    """Pixel box ``(x0, y0)``-``(x1, y1)``, end exclusive."""

    name: str
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.y1 - self.y0, self.x1 - self.x0

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1

    def fits(self, width: int, height: int) -> bool:
        """Does the box lie inside a ``width`` x ``height`` frame?"""
        return 0 <= self.x0 < self.x1 <= width and 0 <= self.y0 < self.y1 <= height

    def cut(self, frame: Luma) -> Luma:
        return frame[self.y0 : self.y1, self.x0 : self.x1]
