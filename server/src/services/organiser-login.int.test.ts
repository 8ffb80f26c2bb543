/**
 * [C6] [C7] Organiser accounts live in the store: two nodes on one Redis, started at the same
 * moment, accept the same organiser login, and the store holds one organisation afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Organisation } from '@gt/core';
import { createApp } from '../app.js';
import { makeTestStore, ORGANISER, startTestApp } from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';
import { ensureOrganiser } from './first-start.js';

/** The organisations in a dump of the test's Redis keys ({p}org:{id} holds one as JSON). */
function organisationsIn(dump: string): Organisation[] {
  return dump
    .split('\n')
    .map((line) => ({
      key: line.slice(0, line.indexOf(': ')),
      value: line.slice(line.indexOf(': ') + 2),
    }))
    .filter(({ key }) => /:org:[^:]+$/.test(key))
    .map(({ value }) => JSON.parse(JSON.parse(value) as string) as Organisation);
}

describe('[C6] [C7] organiser accounts on two nodes behind one Redis', () => {
  let store: TestStore;
  let nodes: TestApp[];

  beforeAll(async () => {
    store = await makeTestStore('redis');
    const channel = `gt-test-fanout:${randomBytes(6).toString('hex')}`;
    // Both start at once: each runs the first start (organisation, account) against the store.
    nodes = await Promise.all([
      startTestApp(store.store, { fanOutChannel: channel }),
      startTestApp(await store.reopen(), { fanOutChannel: channel }),
    ]);
  });
  afterAll(async () => {
    for (const node of nodes ?? []) await node.close();
    await store.cleanup();
  });

  it('both nodes accept the same organiser login, for the same organisation', async () => {
    const logins = await Promise.all(nodes.map((node) => node.app.service.login(ORGANISER)));
    const orgIds = logins.map((login) => (login.ok ? login.data.orgId : login.error.code));
    expect(orgIds[0]).toMatch(/^org_/);
    expect(orgIds[1]).toBe(orgIds[0]);
    for (const node of nodes)
      expect(
        (await node.app.service.login({ ...ORGANISER, password: 'wrong horse battery' })).ok,
      ).toBe(false);

    // What one node's organiser creates, the other node's organiser sees.
    const [a, b] = nodes as [TestApp, TestApp];
    const event = await a.app.service.createEvent(
      { staff: a.organiserToken },
      { title: 'Folkemøde' },
    );
    if (!event.ok) throw new Error('createEvent failed');
    const listed = await b.app.service.listEvents({ staff: b.organiserToken });
    expect(listed.ok && listed.data.map((e) => e.id)).toContain(event.data.id);
  });

  it('one organisation exists after both started', async () => {
    const organisations = organisationsIn(await store.dump());
    expect(organisations).toHaveLength(1);
    const login = await nodes[1]!.app.service.login(ORGANISER);
    expect(login.ok && login.data.orgId).toBe(organisations[0]!.id);
    expect(organisations[0]!.name).toBe('Gentofte Kommune');
  });
});

describe('[C6] a password generated at the first start, on two nodes behind one Redis', () => {
  it('is shown by one node only, and both nodes accept it', async () => {
    const store = await makeTestStore('redis');
    const handles = [store.store, await store.reopen()];
    const apps: Awaited<ReturnType<typeof createApp>>[] = [];
    try {
      // Both nodes' first start at the same moment, neither with ORGANISER_PASSWORD.
      const starts = await Promise.all(
        handles.map((handle, i) =>
          ensureOrganiser({
            store: handle,
            organisationName: `Node ${i}`,
            email: 'Ordstyrer@Gentofte.example',
            password: null,
            legacyFile: null,
          }),
        ),
      );
      const shown = starts.flatMap((s) => s.generatedPassword ?? []);
      expect(shown).toHaveLength(1);
      expect(starts[1]!.organisation).toEqual(starts[0]!.organisation);
      expect(organisationsIn(await store.dump())).toEqual([starts[0]!.organisation]);
      for (const handle of handles)
        apps.push(
          await createApp({
            config: {
              secretKey: 'organiser-login-test-secret-long-enough-0123',
              allowedOrigins: ['http://allowed.example'],
              trustProxy: false,
              publicUrl: 'http://localhost',
              rateLimits: false,
            },
            store: handle,
            logger: pino({ level: 'silent' }),
          }),
        );
      for (const app of apps) {
        const login = await app.service.login({
          email: 'ordstyrer@gentofte.example',
          password: shown[0]!,
        });
        expect(login.ok && login.data.orgId).toBe(starts[0]!.organisation.id);
      }
    } finally {
      for (const app of apps) await app.close();
      await store.cleanup();
    }
  });
});
