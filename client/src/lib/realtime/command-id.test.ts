import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ID_PATTERN } from '@gt/core';
import { newCommandId } from './command-id.js';

describe('command ids', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('match the server’s id pattern and do not repeat', () => {
    const ids = Array.from({ length: 1000 }, newCommandId);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are still made where randomUUID is missing (a page on plain HTTP)', () => {
    vi.stubGlobal('crypto', {
      getRandomValues: <T extends ArrayBufferView>(array: T) =>
        webcrypto.getRandomValues(array as never) as T,
    });
    const ids = [newCommandId(), newCommandId()];
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
