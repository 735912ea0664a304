export * from './sample';
export * from './rationale';
export * from './preference-pair';
export * from './generation';
export * from './eval-result';
export * from './rng';
export * from './generation-sample';
export * from './prompt-encoder';
