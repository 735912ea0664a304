import type { Interrupt } from '../progress/interrupt';
import type { ProgressSink } from '../progress/progress';

/** What every stage gets besides its own inputs: a log, a progress sink and the Ctrl-C state. */
export interface StageIo {
  log: (line: string) => void;
  progress: ProgressSink;
  interrupt: Interrupt;
}
