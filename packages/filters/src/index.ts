export * from './errors';
export * from './candidate';
export * from './conclusion-filter';
export * from './circularity-filter';
export * from './length-filter';
export * from './keyword-filter';
export * from './profiles';
export * from './filter-pairs';
