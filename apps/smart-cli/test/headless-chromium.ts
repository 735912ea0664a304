import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  const shot = spawnSync(chromium, [...FLAGS, `--screenshot=${screenshot}`, '--window-size=1200,1600', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
  const dom = spawnSync(chromium, [...FLAGS, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  // Console messages (errors, failed loads) are logged as `...:CONSOLE:<line>] "message", source: ...`.
  const consoleLines = `${shot.stderr}\n${dom.stderr}`.split('\n').filter((l) => l.includes(':CONSOLE'));
  const img = await decodeImage(readFileSync(screenshot), screenshot);
  let nonWhite = 0;
  for (let i = 0; i < img.data.length; i += 3) if (img.data[i]! < 240 || img.data[i + 1]! < 240 || img.data[i + 2]! < 240) nonWhite++;
  return { consoleLines, dom: dom.stdout, nonWhitePixels: nonWhite, pixels: img.width * img.height };
}
