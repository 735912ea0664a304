/**
 * @smart/augment against NumPy / Pillow, in one run:
 *  (a) the diffusion-noise kernel x_t = a·x + b·ε on a CLIP-normalized 3×336×336 float32 tensor;
 *  (b) the whole negative pipeline on a 336×336 JPEG held in memory: decode → horizontal flip → random
 *      erasing → pixel-space noise (clamp + 8-bit rounding) → JPEG encode (quality 90).
 * Flip and erasing are forced on (p = 1) on both sides so each run does the same work.
 * Ratio = reference time / our time (> 1 means we are faster).
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addDiffusionNoise,
  addDiffusionNoiseToImage,
  decodeImage,
  encodeImage,
  negativeImage,
  noiseCoefficients,
  type ChwTensor,
  type RgbImage,
} from '@smart/augment';
import { createRng, type SeededStream } from '@smart/core';
import { CLIP_MEAN, CLIP_STD } from '@smart/models';
import { measure, type Timing } from '../lib/measure';
import { runPython } from '../lib/python';
import { printTable } from '../lib/table';

const SIDE = 336;
const STEP = 600;
const QUALITY = 90;
// The Python reference below uses CLIP's normalization; so does our side.
const CLIP = { mean: CLIP_MEAN, std: CLIP_STD };

async function main(): Promise<void> {
  const rng = createRng(0);
  const { signal, noise } = noiseCoefficients(STEP);

  // Test inputs: a normalized tensor and a textured photo-like JPEG, shared with Python through a temp dir.
  const tensor: ChwTensor = { channels: 3, height: SIDE, width: SIDE, data: new Float32Array(3 * SIDE * SIDE) };
  rng.fillNormal(tensor.data);
  const photo = texturedImage(SIDE, createRng(1));
  const jpeg = await encodeImage(photo, { format: 'jpeg', quality: QUALITY });
  const dir = mkdtempSync(join(tmpdir(), 'augment-bench-'));
  const jpegPath = join(dir, 'in.jpg');
  writeFileSync(jpegPath, jpeg);

  const ts: Record<string, Timing> = {};
  const out = new Float32Array(tensor.data.length);
  ts.noise = await measure('noise kernel (new output)', () => addDiffusionNoise(tensor, { step: STEP, rng }));
  ts.noiseOut = await measure('noise kernel (into out)', () => addDiffusionNoise(tensor, { step: STEP, rng, out }));
  ts.fill = await measure('normals only', () => rng.fillNormal(out));
  ts.pixelNoise = await measure('pixel-space noise, uint8', () => addDiffusionNoiseToImage(photo, { step: STEP, rng, ...CLIP }));
  const forced = { horizontalFlipP: 1, erasing: { p: 1 } };
  ts.pipeline = await measure('negative pipeline', async () => {
    const img = await decodeImage(jpeg, 'in.jpg');
    const { image } = negativeImage(img, { rng, overrides: forced, ...CLIP });
    return encodeImage(image, { format: 'jpeg', quality: QUALITY });
  });
  ts.decode = await measure('JPEG decode', () => decodeImage(jpeg, 'in.jpg'));
  ts.encode = await measure('JPEG encode', () => encodeImage(photo, { format: 'jpeg', quality: QUALITY }));
  const jsPure = await pureJsCodec(jpeg, photo);

  const py = runPython(pythonReference(jpegPath, signal, noise), { modules: ['numpy', 'PIL'] });
  rmSync(dir, { recursive: true, force: true });
  const ref: Record<string, number> = py ? JSON.parse(py) : {};
  const row = (label: string, ours: number | string, refName: string, refMs: number | undefined): (string | number)[] => [
    label,
    ours,
    refName,
    refMs ?? 'n/a',
    refMs === undefined || typeof ours === 'string' ? 'n/a' : `${(refMs / ours).toFixed(2)}x`,
  ];
  if (!py) console.log('NumPy/Pillow not available (/usr/bin/python3 with numpy, PIL): reference columns are n/a.');

  console.log(`\n@smart/augment vs NumPy ${ref.numpy_version ?? '?'} / Pillow ${ref.pil_version ?? '?'}, ${SIDE}x${SIDE}, step ${STEP}; median ms per call\n`);
  printTable(
    ['benchmark', 'ours ms', 'reference', 'ref ms', 'ratio (ref/ours)'],
    [
      row('(a) noise kernel 3x336x336 f32', ts.noise.medianMs, 'NumPy default_rng f32', ref.noise_f32),
      row('(a) noise kernel, into out', ts.noiseOut.medianMs, 'NumPy default_rng f32', ref.noise_f32),
      row('(a) noise kernel 3x336x336 f32', ts.noise.medianMs, 'NumPy legacy randn f64', ref.noise_legacy),
      row('    N(0,1) draws only', ts.fill.medianMs, 'NumPy standard_normal f32', ref.normals_f32),
      row('    pixel-space noise uint8 HWC', ts.pixelNoise.medianMs, 'NumPy f32 + clip + round', ref.pixel_noise),
      row('(b) JPEG negative pipeline', ts.pipeline.medianMs, 'Pillow + NumPy', ref.pipeline),
      row('    JPEG decode (sharp)', ts.decode.medianMs, 'Pillow decode', ref.decode),
      row('    JPEG encode q90 (sharp)', ts.encode.medianMs, 'Pillow encode', ref.encode),
      row('    JPEG decode (jpeg-js, pure JS)', jsPure.decode, 'Pillow decode', ref.decode),
      row('    JPEG encode q90 (jpeg-js)', jsPure.encode, 'Pillow encode', ref.encode),
    ],
  );
}

/** Smooth gradients plus block texture and fine noise, so JPEG does representative work. */
function texturedImage(side: number, rng: SeededStream): RgbImage {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const block = ((x >> 5) + (y >> 5)) & 1 ? 40 : 0;
      for (let c = 0; c < 3; c++) {
        const v = (x * (c + 1) * 0.5 + y * (3 - c) * 0.4 + block + 12 * rng.normal()) % 256;
        data[(y * side + x) * 3 + c] = Math.max(0, Math.min(255, v));
      }
    }
  }
  return { width: side, height: side, data };
}

/** jpeg-js, the pure-JS codec jimp uses, for the codec choice (n/a when it is not installed). */
async function pureJsCodec(jpeg: Uint8Array, photo: RgbImage): Promise<{ decode: number | string; encode: number | string }> {
  let jpegJs: {
    decode(b: Uint8Array, o: object): { data: Uint8Array };
    encode(i: { data: Uint8Array; width: number; height: number }, q: number): { data: Uint8Array };
  };
  // Optional probe, not a declared dependency: it is present only because jimp (used by @smart/datasets) pulls it in.
  const optionalModule = 'jpeg-js';
  try {
    jpegJs = await import(optionalModule);
  } catch {
    return { decode: 'n/a', encode: 'n/a' };
  }
  const rgba = new Uint8Array(photo.width * photo.height * 4);
  for (let i = 0, j = 0; i < photo.data.length; i += 3, j += 4) rgba.set([photo.data[i]!, photo.data[i + 1]!, photo.data[i + 2]!, 255], j);
  const decode = await measure('jpeg-js decode', () => jpegJs.decode(jpeg, { useTArray: true, formatAsRGBA: false }));
  const encode = await measure('jpeg-js encode', () => jpegJs.encode({ data: rgba, width: photo.width, height: photo.height }, QUALITY));
  return { decode: decode.medianMs, encode: encode.medianMs };
}

function pythonReference(jpegPath: string, a: number, b: number): string {
  return `
import io, json, math, random, time
import numpy as np, PIL
from PIL import Image

def median_ms(fn, min_s=1.0, min_runs=5, warmup=2):
    for _ in range(warmup): fn()
    times = []; start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_s:
        t0 = time.perf_counter(); fn(); times.append((time.perf_counter() - t0) * 1e3)
    times.sort(); n = len(times)
    return times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2

a, b = np.float32(${a}), np.float32(${b})
rng = np.random.default_rng(0)
x = rng.standard_normal((3, ${SIDE}, ${SIDE}), dtype=np.float32)
legacy = np.random.RandomState(0)
mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
jpeg = open(${JSON.stringify(jpegPath)}, 'rb').read()
photo = np.asarray(Image.open(io.BytesIO(jpeg)).convert('RGB'))

def pixel_noise(arr):
    p = arr.astype(np.float32) * np.float32(1 / 255)
    eps = rng.standard_normal(arr.shape, dtype=np.float32)
    out = mean + a * (p - mean) + (b * std) * eps
    return (np.clip(out, 0, 1) * 255 + 0.5).astype(np.uint8)

def erase_params(h, w, scale=(0.02, 0.2), ratio=(0.3, 3.3)):
    lr = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        area = h * w * random.uniform(*scale)
        r = math.exp(random.uniform(*lr))
        eh, ew = int(round(math.sqrt(area * r))), int(round(math.sqrt(area / r)))
        if eh < h and ew < w:
            return random.randint(0, h - eh), random.randint(0, w - ew), eh, ew
    return None

def pipeline():
    arr = np.asarray(Image.open(io.BytesIO(jpeg)).convert('RGB'))
    arr = arr[:, ::-1].copy()
    rect = erase_params(*arr.shape[:2])
    if rect:
        t, l, eh, ew = rect
        arr[t:t + eh, l:l + ew] = 0
    out = io.BytesIO()
    Image.fromarray(pixel_noise(arr)).save(out, format='JPEG', quality=${QUALITY})
    return out.getvalue()

def encode():
    out = io.BytesIO(); Image.fromarray(photo).save(out, format='JPEG', quality=${QUALITY}); return out

print(json.dumps({
    'numpy_version': np.__version__, 'pil_version': PIL.__version__,
    'noise_f32': median_ms(lambda: a * x + b * rng.standard_normal(x.shape, dtype=np.float32)),
    'noise_legacy': median_ms(lambda: a * x + b * legacy.randn(*x.shape)),
    'normals_f32': median_ms(lambda: rng.standard_normal(x.shape, dtype=np.float32)),
    'pixel_noise': median_ms(lambda: pixel_noise(photo)),
    'pipeline': median_ms(pipeline),
    'decode': median_ms(lambda: np.asarray(Image.open(io.BytesIO(jpeg)).convert('RGB'))),
    'encode': median_ms(encode),
}))
`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
