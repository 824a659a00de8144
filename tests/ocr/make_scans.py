#!/usr/bin/env python3
"""Renders scanned-looking Vietnamese reply letters for the OCR tests.

    make_scans.py OUTDIR

Writes, for the units of tests/integration/lib.sh (ubnd, cong-an, tdp-01,
tdp-02) and consultation "k" (Công văn số 15/VH-XH):

  cong-an.jpg     Công an phường agrees               (JPEG, rotated +1.5°)
  tdp-02.png      Tổ dân phố số 2 asks for changes    (PNG, rotated -2°)
  two-names.tif   Tổ dân phố số 1 objects; the body names Công an phường and
                  Tổ dân phố số 2 as well             (TIFF)
  ubnd-scan.pdf   Ủy ban nhân dân phường agrees; the name spans two
                  letterhead lines; image only, no text layer (PDF)
  noise.png       a valid image of noise only
  garbage.jpg     random bytes with a .jpg name

and manifest.tsv: file, expected unit ("" when none), expected stance.

A5 pages at 200 dpi in Noto Serif (Debian fonts-noto-core; DejaVu Serif as a
fallback), with the layout of an administrative letter: letterhead top left,
national motto top right, "Số:", "V/v", body, signature block. Each page is
turned by up to ±2°, gets speckle noise and a grey cast. Deterministic.
Needs python3-pil.
"""
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFont

DPI = 200
WIDTH, HEIGHT = 1165, 1654  # A5 at 200 dpi
FONT_DIRS = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu"]
FONT_FILES = {
    "regular": ["NotoSerif-Regular.ttf", "DejaVuSerif.ttf"],
    "bold": ["NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"],
    "italic": ["NotoSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"],
}


def font(style, size):
    for name in FONT_FILES[style]:
        for d in FONT_DIRS:
            path = os.path.join(d, name)
            if os.path.exists(path):
                return ImageFont.truetype(path, size)
    sys.exit("make_scans.py: no Noto Serif or DejaVu Serif font (install fonts-noto-core)")


LETTERS = [
    {
        "file": "cong-an.jpg",
        "unit": "cong-an",
        "stance": "agree",
        "head": ["CÔNG AN THÀNH PHỐ HẢI PHÒNG", "CÔNG AN PHƯỜNG HƯNG ĐẠO"],
        "number": "Số: 25/CAP-TH",
        "subject": ["V/v tham gia ý kiến dự thảo", "kế hoạch năm 2026"],
        "body": [
            "Thực hiện Công văn số 15/VH-XH của Phòng Văn hóa – Xã hội",
            "về việc xin ý kiến dự thảo kế hoạch, Công an phường đã",
            "nghiên cứu nội dung dự thảo.",
            "Công an phường nhất trí với toàn bộ nội dung dự thảo.",
        ],
        "signer": ["TRƯỞNG CÔNG AN PHƯỜNG", "Trần Văn Bình"],
        "angle": 1.5,
    },
    {
        "file": "tdp-02.png",
        "unit": "tdp-02",
        "stance": "comments",
        "head": ["UBND PHƯỜNG HƯNG ĐẠO", "TỔ DÂN PHỐ SỐ 2"],
        "number": "Số: 03/TDP",
        "subject": ["V/v góp ý dự thảo kế hoạch"],
        "body": [
            "Thực hiện Công văn số 15/VH-XH của Phòng Văn hóa – Xã hội,",
            "Tổ dân phố số 2 có ý kiến như sau:",
            "Đề nghị bổ sung tiến độ thực hiện theo từng quý.",
        ],
        "signer": ["TỔ TRƯỞNG", "Lê Thị Hoa"],
        "angle": -2.0,
    },
    {
        "file": "two-names.tif",
        "unit": "tdp-01",
        "stance": "object",
        "head": ["UBND PHƯỜNG HƯNG ĐẠO", "TỔ DÂN PHỐ SỐ 1"],
        "number": "Số: 07/TDP",
        "subject": ["V/v ý kiến về dự thảo kế hoạch"],
        "body": [
            "Thực hiện Công văn số 15/VH-XH, Tổ dân phố số 1 đã",
            "họp cùng Công an phường và Tổ dân phố số 2.",
            "Tổ dân phố số 1 không nhất trí với dự thảo kế hoạch.",
        ],
        "signer": ["TỔ TRƯỞNG", "Phạm Văn Nam"],
        "angle": 0.8,
    },
    {
        "file": "ubnd-scan.pdf",
        "unit": "ubnd",
        "stance": "agree",
        "head": ["ỦY BAN NHÂN DÂN", "PHƯỜNG HƯNG ĐẠO"],
        "number": "Số: 41/UBND-VP",
        "subject": ["V/v ý kiến dự thảo kế hoạch"],
        "body": [
            "Thực hiện Công văn số 15/VH-XH của Phòng Văn hóa – Xã hội,",
            "Ủy ban nhân dân phường thống nhất với nội dung",
            "dự thảo kế hoạch.",
        ],
        "signer": ["TM. ỦY BAN NHÂN DÂN", "Nguyễn Văn An"],
        "angle": -1.0,
    },
]


def centered(draw, x_center, y, text, f):
    w = draw.textlength(text, font=f)
    draw.text((x_center - w / 2, y), text, font=f, fill=0)


def render(letter):
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    d = ImageDraw.Draw(page)
    small, normal = font("regular", 28), font("regular", 31)
    bold_small, bold = font("bold", 28), font("bold", 31)
    left_c, right_c = 270, 810
    y = 90
    centered(d, left_c, y, letter["head"][0], small)
    centered(d, left_c, y + 40, letter["head"][1], bold_small)
    centered(d, right_c, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_small)
    centered(d, right_c, y + 40, "Độc lập - Tự do - Hạnh phúc", bold_small)
    centered(d, left_c, y + 110, letter["number"], small)
    centered(d, right_c, y + 110, "Hưng Đạo, ngày 05 tháng 02 năm 2026", font("italic", 27))
    for i, line in enumerate(letter["subject"]):
        centered(d, left_c, y + 160 + 36 * i, line, small)
    y = 420
    centered(d, WIDTH / 2, y, "Kính gửi: Phòng Văn hóa – Xã hội phường", normal)
    y += 80
    for line in letter["body"]:
        d.text((110, y), line, font=normal, fill=0)
        y += 46
    y += 60
    centered(d, right_c, y, letter["signer"][0], bold)
    centered(d, right_c, y + 150, letter["signer"][1], bold)
    return page


def scan(page, angle, rng):
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    px = page.load()
    for _ in range(WIDTH * HEIGHT // 400):  # speckles
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        px[x, y] = rng.choice((0, 90, 160))
    return page.point(lambda v: 25 + v * 215 // 255)  # paper is never white


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20260205)
    manifest = []
    for letter in LETTERS:
        img = scan(render(letter), letter["angle"], rng)
        path = os.path.join(out, letter["file"])
        if path.endswith(".jpg"):
            img.save(path, "JPEG", quality=85, dpi=(DPI, DPI))
        elif path.endswith(".png"):
            img.save(path, "PNG", dpi=(DPI, DPI))
        elif path.endswith(".tif"):
            img.save(path, "TIFF", compression="tiff_lzw", dpi=(DPI, DPI))
        else:  # an image-only PDF, as a scanner makes it
            img.convert("RGB").save(path, "PDF", resolution=DPI)
        manifest.append((letter["file"], letter["unit"], letter["stance"]))

    noise = Image.new("L", (600, 800))
    noise.putdata([rng.randrange(256) for _ in range(600 * 800)])
    noise.save(os.path.join(out, "noise.png"), "PNG", dpi=(DPI, DPI))
    manifest.append(("noise.png", "", "unknown"))
    with open(os.path.join(out, "garbage.jpg"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(5000)))
    manifest.append(("garbage.jpg", "", ""))
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as f:
        for row in manifest:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
