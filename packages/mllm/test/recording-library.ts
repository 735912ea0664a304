import * as transformers from '@huggingface/transformers';
import type { OrtOutput, OrtSession, TjsLibrary, TjsModel } from '../src/local/transformers-js-surface';

/** The real library, typed as the slice the package uses. */
export const realLibrary = transformers as unknown as TjsLibrary;

/** Sees the feeds of every session run of models loaded through {@link recordingLibrary}. */
export type SessionObserver = (session: string, feeds: Record<string, OrtOutput>) => void;

/** The real library, except that every loaded model reports each session run's feeds to `observe` first. */
export function recordingLibrary(observe: SessionObserver): TjsLibrary {
  return {
    ...realLibrary,
    AutoModelForImageTextToText: {
      async from_pretrained(path: string, options?: Record<string, unknown>): Promise<TjsModel> {
        const model = await realLibrary.AutoModelForImageTextToText.from_pretrained(path, options);
        for (const [name, session] of Object.entries(model.sessions)) {
          const run = session.run.bind(session);
          model.sessions[name] = Object.assign(Object.create(session) as OrtSession, {
            run: (feeds: Record<string, unknown>) => {
              observe(name, feeds as Record<string, OrtOutput>);
              return run(feeds);
            },
          });
        }
        return model;
      },
    },
  };
}
