import { describe, it, expect } from 'vitest';
import { asId } from './ids.js';
import type { DeviceId } from './ids.js';
import { CAPABILITIES, may, mayReadStream } from './policy.js';
import type { Capability, SessionPrincipal, StreamName } from './policy.js';

const device = asId<DeviceId>('dev_phone0001');

const PRINCIPALS: Record<string, SessionPrincipal> = {
  'nobody (the wall)': { deviceId: null, staff: null },
  'an attendee': { deviceId: device, staff: null },
  'a moderator without a device': { deviceId: null, staff: 'moderator' },
  'an organiser with a device': { deviceId: device, staff: 'organiser' },
};

// SPEC R2-R4, written out in full.
const EXPECTED: Record<string, Record<Capability, boolean>> = {
  'nobody (the wall)': {
    read: true,
    post: false,
    vote: false,
    react: false,
    follow: false,
    moderate: false,
    configure: false,
  },
  'an attendee': {
    read: true,
    post: true,
    vote: true,
    react: true,
    follow: true,
    moderate: false,
    configure: false,
  },
  'a moderator without a device': {
    read: true,
    post: false,
    vote: false,
    react: false,
    follow: false,
    moderate: true,
    configure: true,
  },
  'an organiser with a device': {
    read: true,
    post: true,
    vote: true,
    react: true,
    follow: true,
    moderate: true,
    configure: true,
  },
};

const RULE: Record<Capability, string> = {
  read: 'R2',
  post: 'R3',
  vote: 'R3',
  react: 'R3',
  follow: 'R3',
  moderate: 'R4',
  configure: 'R4',
};

describe('may', () => {
  it('[R2] [R3] [R4] the matrix covers every capability', () => {
    expect([...CAPABILITIES].sort()).toEqual([
      'configure',
      'follow',
      'moderate',
      'post',
      'react',
      'read',
      'vote',
    ]);
  });

  const cases = Object.keys(PRINCIPALS).flatMap((who) =>
    CAPABILITIES.map((capability) => ({
      who,
      capability,
      rule: RULE[capability],
      expected: EXPECTED[who]![capability],
    })),
  );

  it.each(cases)('[$rule] $who may $capability: $expected', ({ who, capability, expected }) => {
    expect(may(PRINCIPALS[who]!, capability)).toBe(expected);
  });

  it('[R4] a moderator may do exactly what an organiser may, in their session', () => {
    for (const capability of CAPABILITIES) {
      expect(may({ deviceId: null, staff: 'moderator' }, capability)).toBe(
        may({ deviceId: null, staff: 'organiser' }, capability),
      );
    }
  });
});

describe('mayReadStream', () => {
  const EXPECTED_STREAMS: Record<string, Record<StreamName, boolean>> = {
    'nobody (the wall)': { public: true, staff: false, private: false },
    'an attendee': { public: true, staff: false, private: true },
    'a moderator without a device': { public: true, staff: true, private: false },
    'an organiser with a device': { public: true, staff: true, private: true },
  };
  const cases = Object.keys(PRINCIPALS).flatMap((who) =>
    (['public', 'staff', 'private'] as const).map((stream) => ({
      who,
      stream,
      expected: EXPECTED_STREAMS[who]![stream],
    })),
  );

  it.each(cases)(
    '[S1] $who may read the $stream stream: $expected',
    ({ who, stream, expected }) => {
      expect(mayReadStream(PRINCIPALS[who]!, stream)).toBe(expected);
    },
  );
});
