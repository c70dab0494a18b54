#!/usr/bin/python3
"""Rendered-text samples for the PaddleOCR models, and their decoding.

    utils/ocr_samples.py make OUTDIR [--count N] [--seed S] [--prepared]
        writes OUTDIR/{rec,cls,det}/<i>/x.npy (data folders: one subfolder
        per sample) with OUTDIR/rec/<i>/text.txt (the rendered line) and
        OUTDIR/cls/<i>/label.npy (0 upright, 1 rotated 180 degrees), text
        in DejaVu Sans, dark ink of a random colour on "paper" (a light
        random colour, a gradient and sensor noise, as a photographed page):
          rec  1x3x48x320  one line of text
          cls  1x3x48x192  a line, every other sample rotated 180 degrees
          det  1x3x640x640 three lines at known places
        normalised as PaddleOCR's preprocessing: (pixel / 255 - 0.5) / 0.5;
        with --prepared, each rec line as `render` makes it (a strip as
        wide as the text, zero padding to 320, as PaddleOCR prepares a
        detected line) instead of text on a full-width page.

    utils/ocr_samples.py render OUTDIR TEXT [TEXT ...] [--images DIR]
        renders each TEXT on a strip of paper as wide as the text (ink and
        paper as `make`, seeded) and prepares it as PaddleOCR does (height
        48, width at most 320, zero padding to 320): OUTDIR/<i>/x.npy and
        OUTDIR/<i>/text.txt; with --images, also DIR/<i>.png to look at.

    utils/ocr_samples.py read-rec DATADIR OUTPUTDIR KEYS [--only-where REF]
        greedy CTC decoding of OUTPUTDIR/<i>/<output>.npy (the recognizer's
        [1, T, classes] probabilities; class 0 blank, class c the KEYS
        file's line c, the last class a space) against DATADIR/<i>/text.txt;
        prints one line per sample and "read N/M lines exactly"; with
        --only-where, only the lines REF's outputs read exactly count (the
        float model misreads some narrow spaces and double letters).

    utils/ocr_samples.py run EXECUTABLE DATADIR OUTDIR [--limit N]
        runs a dsc executable (input x; AArch64 ones under qemu-aarch64) on
        each sample: OUTDIR/<i>/<output>.npy.

    utils/ocr_samples.py det-boxes OUTPUTDIR_A OUTPUTDIR_B [--threshold 0.3]
            [--box-thresh 0.6] [--unclip-ratio 1.5]
        boxes of the detector's probability maps of two runs, matched
        greedily (the best IoU of each box of A among B's); prints the worst
        IoU twice: of the regions (4-connected pixels above the threshold,
        the shrunk text kernels DB predicts) and of the text boxes PaddleOCR
        returns from them (DBPostProcess with its defaults: a region whose
        mean probability is under box-thresh is dropped, the rest grown by
        d = area * unclip-ratio / perimeter on every side; axis-aligned, as
        the rendered lines are).
"""
import argparse
import os
import sys

import numpy as np

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = ["invoice", "total", "2026", "model", "compiler", "Rockchip", "edge", "int8",
         "ONNX", "runtime", "kernel", "fusion", "Jetson", "board", "camera",
         "label", "price", "9.99", "order", "text", "line", "speed"]


def normalise(image):
    """HxWx3 uint8 -> 1x3xHxW float32, (x / 255 - 0.5) / 0.5."""
    x = image.astype(np.float32) / 255.0
    return ((x - 0.5) / 0.5).transpose(2, 0, 1)[None].copy()


def paper(rng, width, height):
    """A photographed page rather than a flat white one: a light colour with
    a gentle gradient and sensor noise."""
    from PIL import Image
    base = rng.uniform(170, 250, 3)
    ramp = np.linspace(-1, 1, width)[None, :, None] * rng.uniform(-20, 20, 3)
    noise = rng.normal(0, 6, (height, width, 3))
    pixels = np.clip(base + ramp + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def ink(rng):
    return tuple(int(v) for v in rng.uniform(0, 90, 3))


def render_line(rng, text, height, width, font_size):
    from PIL import ImageDraw, ImageFont
    font = ImageFont.truetype(FONT, font_size)
    image = paper(rng, width, height)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((6 - left, (height - (bottom - top)) // 2 - top), text, fill=ink(rng), font=font)
    return image


def make(args):
    from PIL import ImageDraw, ImageFont
    rng = np.random.default_rng(args.seed)
    for i in range(args.count):
        words = [WORDS[j] for j in rng.choice(len(WORDS), size=rng.integers(1, 3), replace=False)]
        text = " ".join(words)
        if args.prepared:
            _, rec_input = prepared_line(rng, text)
        else:
            rec_input = normalise(np.asarray(render_line(rng, text, 48, 320, 26)))
        folder = os.path.join(args.outdir, "rec", f"{i:04d}")
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "x.npy"), rec_input)
        with open(os.path.join(folder, "text.txt"), "w") as f:
            f.write(text + "\n")

        cls = render_line(rng, text, 48, 192, 22)
        flipped = i % 2 == 1
        if flipped:
            cls = cls.rotate(180)
        folder = os.path.join(args.outdir, "cls", f"{i:04d}")
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "x.npy"), normalise(np.asarray(cls)))
        np.save(os.path.join(folder, "label.npy"), np.array([int(flipped)], dtype=np.int64))

        page = paper(rng, 640, 640)
        draw = ImageDraw.Draw(page)
        font = ImageFont.truetype(FONT, 36)
        for line in range(3):
            words = [WORDS[j] for j in rng.choice(len(WORDS), size=2, replace=False)]
            draw.text((40 + 30 * line, 80 + 180 * line), " ".join(words), fill=ink(rng),
                      font=font)
        folder = os.path.join(args.outdir, "det", f"{i:04d}")
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "x.npy"), normalise(np.asarray(page)))


def prepared_line(rng, text):
    """A line on a strip of paper as wide as its text, then PaddleOCR's
    recognizer preprocessing: resized to height 48 (and squeezed to width
    320 if wider), normalised, and padded with zeros to 320 wide. Returns
    the image and the 1x3x48x320 input."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(FONT, 26)
    left, _, right, _ = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox(
        (0, 0), text, font=font)
    width = right - left + 12
    line = render_line(rng, text, 48, width, 26)
    if width > 320:
        line = line.resize((320, 48), Image.BILINEAR)
    x = np.zeros((1, 3, 48, 320), dtype=np.float32)
    x[..., : line.width] = normalise(np.asarray(line))
    return line, x


def render(args):
    rng = np.random.default_rng(args.seed)
    for i, text in enumerate(args.text):
        line, x = prepared_line(rng, text)
        folder = os.path.join(args.outdir, f"{i:04d}")
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "x.npy"), x)
        with open(os.path.join(folder, "text.txt"), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        if args.images:
            os.makedirs(args.images, exist_ok=True)
            line.save(os.path.join(args.images, f"{i:04d}.png"))


def single_output(folder):
    files = [f for f in sorted(os.listdir(folder)) if f.endswith(".npy")]
    if len(files) != 1:
        sys.exit(f"{folder}: expected one output .npy, found {files}")
    return np.load(os.path.join(folder, files[0]))


def decode(folder, keys):
    """Greedy CTC: the best class per step, repeats merged, blanks dropped."""
    best = single_output(folder)[0].argmax(axis=-1)
    chars, previous = [], 0
    for c in best:
        if c != previous and c != 0:
            chars.append(keys[c - 1] if c - 1 < len(keys) else " ")
        previous = c
    return "".join(chars).strip()


def read_rec(args):
    with open(args.keys, encoding="utf-8") as f:
        keys = [line.rstrip("\n") for line in f]
    exact, counted = 0, 0
    for sample in sorted(os.listdir(args.outputs)):
        text = decode(os.path.join(args.outputs, sample), keys)
        with open(os.path.join(args.data, sample, "text.txt"), encoding="utf-8") as f:
            expected = f.read().strip()
        if args.only_where and decode(os.path.join(args.only_where, sample), keys) != expected:
            print(f"{sample}: --- the reference reads it wrong; not counted")
            continue
        counted += 1
        exact += text == expected
        print(f"{sample}: {'ok ' if text == expected else 'BAD'} read {text!r}, "
              f"rendered {expected!r}")
    which = " (of those the reference reads exactly)" if args.only_where else ""
    print(f"read {exact}/{counted} lines exactly{which}")
    return 0


def boxes(probability, threshold):
    """Bounding boxes (y0, x0, y1, x1) of 4-connected regions above threshold."""
    mask = probability > threshold
    seen = np.zeros_like(mask)
    result = []
    height, width = mask.shape
    for y in range(height):
        for x in range(width):
            if not mask[y, x] or seen[y, x]:
                continue
            stack, ys, xs = [(y, x)], [], []
            seen[y, x] = True
            while stack:
                cy, cx = stack.pop()
                ys.append(cy)
                xs.append(cx)
                for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                    if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            if len(ys) >= 20:
                result.append((min(ys), min(xs), max(ys) + 1, max(xs) + 1))
    return result


def iou(a, b):
    y0, x0 = max(a[0], b[0]), max(a[1], b[1])
    y1, x1 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, y1 - y0) * max(0, x1 - x0)
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])
    return inter / (area(a) + area(b) - inter)


def text_boxes(probability, regions, box_thresh, unclip_ratio):
    """PaddleOCR's DBPostProcess for axis-aligned regions: drop a region
    whose mean probability is under box_thresh, grow the rest by
    d = area * unclip_ratio / perimeter on each side (pyclipper's offset of
    a rectangle, whose bounding rectangle this is), clipped to the map."""
    height, width = probability.shape
    result = []
    for y0, x0, y1, x1 in regions:
        if probability[y0:y1, x0:x1].mean() < box_thresh:
            continue
        h, w = y1 - y0, x1 - x0
        d = h * w * unclip_ratio / (2 * (h + w))
        result.append((max(0.0, y0 - d), max(0.0, x0 - d), min(height, y1 + d),
                       min(width, x1 + d)))
    return result


def worst_match(a, b):
    """The worst, over A's boxes, of the best IoU with a box of B."""
    return min((max((iou(box, other) for other in b), default=0.0) for box in a),
               default=1.0)


def det_boxes(args):
    worst_region, worst_box, regions, texts = 1.0, 1.0, 0, 0
    for sample in sorted(os.listdir(args.a)):
        pa = single_output(os.path.join(args.a, sample))[0, 0]
        pb = single_output(os.path.join(args.b, sample))[0, 0]
        a, b = boxes(pa, args.threshold), boxes(pb, args.threshold)
        ta = text_boxes(pa, a, args.box_thresh, args.unclip_ratio)
        tb = text_boxes(pb, b, args.box_thresh, args.unclip_ratio)
        worst_region = min(worst_region, worst_match(a, b))
        worst_box = min(worst_box, worst_match(ta, tb))
        regions += len(a)
        texts += len(ta)
        print(f"{sample}: {len(a)} regions vs {len(b)}, {len(ta)} text boxes vs {len(tb)}")
    print(f"det: {regions} regions, worst IoU {worst_region:.3f}; "
          f"{texts} text boxes, worst IoU {worst_box:.3f}")
    return 0


def run_model(args):
    """Runs a dsc executable (under qemu-aarch64 when it is an AArch64 ELF
    on another host) on every sample folder: OUTDIR/<i>/<output>.npy."""
    import subprocess
    from runner import runner_for
    runner = runner_for(args.executable)
    for sample in sorted(os.listdir(args.data))[: args.limit or None]:
        folder = os.path.join(args.data, sample)
        result = subprocess.run(runner + [args.executable, "--input",
                                          f"x={os.path.join(folder, 'x.npy')}",
                                          "--output-dir", os.path.join(args.outdir, sample)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{args.executable} failed on {folder}:\n{result.stderr}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make")
    p.add_argument("outdir")
    p.add_argument("--count", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--prepared", action="store_true",
                   help="rec lines as PaddleOCR prepares them (see render)")
    p = sub.add_parser("render")
    p.add_argument("outdir")
    p.add_argument("text", nargs="+")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--images", help="also write DIR/<i>.png")
    p = sub.add_parser("read-rec")
    p.add_argument("data")
    p.add_argument("outputs")
    p.add_argument("keys")
    p.add_argument("--only-where", metavar="REFERENCE_OUTPUTS",
                   help="count only the lines these outputs read exactly")
    p = sub.add_parser("run")
    p.add_argument("executable")
    p.add_argument("data")
    p.add_argument("outdir")
    p.add_argument("--limit", type=int, default=0)
    p = sub.add_parser("det-boxes")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--threshold", type=float, default=0.3)
    p.add_argument("--box-thresh", type=float, default=0.6)
    p.add_argument("--unclip-ratio", type=float, default=1.5)
    args = parser.parse_args()
    return {"make": make, "render": render, "read-rec": read_rec, "run": run_model,
            "det-boxes": det_boxes}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
