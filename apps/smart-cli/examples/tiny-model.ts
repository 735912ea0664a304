// Writes a tiny random LLaVA model (HF checkpoint + transformers.js folder) for trying the CLI:
//   npx tsx --tsconfig apps/smart-cli/tsconfig.json apps/smart-cli/examples/tiny-model.ts tmp/tiny
// It is untrained: its answers are noise, but every command runs on it end to end.
import { createTinyModel } from '@smart/models';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'tmp/tiny';
  const model = await createTinyModel({ dir, preset: 'tiny', seed: 0 });
  console.log(`checkpoint: ${model.checkpointDir}\nmodel:      ${model.modelDir}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
