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

    def grown(self, by: float, width: int, height: int) -> "Roi":
        """This box grown by ``by`` times its own width and height on every side, clipped to
        a ``width`` x ``height`` frame (the window the person evidence looks through)."""
        h, w = self.shape
        dx, dy = round(by * w), round(by * h)
        return Roi(
            f"{self.name}+",
            max(0, self.x0 - dx),
            max(0, self.y0 - dy),
            min(width, self.x1 + dx),
            min(height, self.y1 + dy),
        )

    def within(self, outer: "Roi") -> tuple[int, int, int, int]:
        """This box in ``outer``'s coordinates."""
        return self.x0 - outer.x0, self.y0 - outer.y0, self.x1 - outer.x0, self.y1 - outer.y0
