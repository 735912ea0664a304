/** Polls `done` every 5 ms (up to 10 s): a test waits for a server-side state instead of guessing a delay. */
export async function until(done: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let waited = 0; !(await done()); waited += 5) {
    if (waited > 10_000) throw new Error(`${what} not reached within 10 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
