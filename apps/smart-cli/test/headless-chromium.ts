import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { decodeImage } from '@smart/augment';

/** Debian's chromium binary, or null when it is not installed (tests skip with a message). */
export function chromiumPath(): string | null {
  const r = spawnSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : null;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--enable-logging=stderr', '--v=0'];

/** Loads `file` in headless Chromium: the console lines it logged, the rendered DOM and a screenshot's pixels. */
export async function renderInChromium(chromium: string, file: string, screenshot: string): Promise<{ consoleLines: string[]; dom: string; nonWhitePixels: number; pixels: number }> {
  // One launch does both: headless Chromium writes the screenshot and prints the DOM of the same load.
  rmSync(screenshot, { force: true });
  const run = spawnSync(chromium, [...FLAGS, `--screenshot=${screenshot}`, '--window-size=1200,1600', '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (!existsSync(screenshot)) throw new Error(`chromium wrote no screenshot (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  // Console messages (errors, failed loads) are logged as `...:CONSOLE:<line>] "message", source: ...`.
  const consoleLines = run.stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
  const img = await decodeImage(readFileSync(screenshot), screenshot);
  let nonWhite = 0;
  for (let i = 0; i < img.data.length; i += 3) if (img.data[i]! < 240 || img.data[i + 1]! < 240 || img.data[i + 2]! < 240) nonWhite++;
  return { consoleLines, dom: run.stdout, nonWhitePixels: nonWhite, pixels: img.width * img.height };
}
