import { ok } from '@gt/protocol';
import { describe, expect, it } from 'vitest';
import { commandTable } from './command-bus.js';
import type { FeatureTables } from './command-bus.js';
import { memoryApp } from './testing/memory-app.js';

describe('the command bus', () => {
  it('refuses to start when two features claim the same command', () => {
    const handler = () => Promise.resolve(ok({}));
    const features = {
      streams: { 'session:leave': handler },
      posts: {},
      moderation: {},
      followUps: {},
      speakerQueue: { 'session:leave': handler },
      sessionSettings: {},
    } as unknown as FeatureTables;
    expect(() => commandTable(features)).toThrow(
      'session:leave is handled by both streams and speakerQueue',
    );
  });

  it('answers an unknown command with invalid_input, not a throw', async () => {
    const { app } = memoryApp();
    const result = await app.execute(
      { deviceId: null, staff: null, receiptDevice: null },
      'post:explode' as never,
      {},
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'unknown command' },
    });
  });
});
