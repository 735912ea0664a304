export * from './errors';
export * from './mc-item';
export * from './mc-text';
export * from './templates';
export * from './parse-mathv360k';
export * from './parse-list-records';
export * from './rationale-steps';
export * from './states-option';
