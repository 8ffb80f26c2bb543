export * from './names.js';
export * from './result.js';
export * from './schemas.js';
export * from './poll-schemas.js';
export * from './commands.js';
export * from './updates.js';
export * from './socket.js';
export * from './app-api.js';
