import { join } from 'node:path';
import { runPythonJson } from '../../../tools/jest/python-oracle';

export { itWithTorch } from '../../../tools/jest/python-oracle';

/** Runs `test/oracle/<script>` with arguments and returns its parsed JSON stdout. */
export function runOracle<T>(script: string, args: string[]): T {
  return runPythonJson<T>({ script: join(__dirname, 'oracle', script), args });
}
