"""Draw the program's icon (a house on a rounded square) and write the PNG and Windows ICO
files under ``resources/icons/``. Run after changing the drawing; the results are committed."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZE = 256
BACKGROUND = (31, 94, 140, 255)  # deep blue
HOUSE = (255, 255, 255, 255)
DOOR = (230, 160, 40, 255)


def draw(size: int = SIZE) -> Image.Image:
    scale = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(*points: float) -> list[float]:
        return [p * scale for p in points]

    pen.rounded_rectangle(box(8, 8, 248, 248), radius=48 * scale, fill=BACKGROUND)
    pen.polygon(box(128, 40, 216, 120, 40, 120), fill=HOUSE)  # roof
    pen.rectangle(box(64, 116, 192, 208), fill=HOUSE)  # walls
    pen.rectangle(box(112, 148, 144, 208), fill=DOOR)  # door
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(OUT / "hemlos-desktop.png")
    image.save(
        OUT / "hemlos-desktop.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (256, 256)]
    )


if __name__ == "__main__":
    main()
