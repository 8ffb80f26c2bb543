export * from './ids.js';
export * from './text.js';
export * from './session.js';
export * from './post.js';
export * from './policy.js';
export * from './streams.js';
export * from './topic.js';
