/**
 * [ST0] The contract suite must be able to fail. Each broken store below wraps a real store
 * (SQLite, and the in-memory one) and breaks one promise of the interface; running the
 * contract cases against it must produce failures, and among them the cases that guard that
 * promise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store, StoreOptions } from '../store.js';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { storeContractCases } from './store-contract.js';
import { asId } from '@gt/core';
import type { DeviceId } from '@gt/core';
import { testId } from './factories.js';

type Breakage = (store: Store) => Partial<Store>;

const breakages: Record<string, { breakage: Breakage; mustFail: RegExp }> = {
  'forgets commands (not idempotent)': {
    breakage: (store) => ({
      insertPost: (cmd, post, appends, ack) =>
        store.insertPost({ ...cmd, commandId: testId('forgot') }, post, appends, ack),
    }),
    mustFail: /\[ST3\]/,
  },
  'ignores versions (last write wins)': {
    breakage: (store) => ({
      updatePosts: async (cmd, sessionId, changes, appends, ack) => {
        const current = await Promise.all(changes.map((c) => store.getPost(sessionId, c.post.id)));
        const forced = changes.map((c, i) => ({
          ...c,
          expectedVersion: current[i]?.version ?? c.expectedVersion,
        }));
        return store.updatePosts(cmd, sessionId, forced, appends, ack);
      },
    }),
    mustFail: /\[ST4\]/,
  },
  'claims a stream read is complete when old entries are gone': {
    breakage: (store) => ({
      readStream: async (sessionId, stream, afterSeq, limit) => ({
        ...(await store.readStream(sessionId, stream, afterSeq, limit)),
        isComplete: true,
      }),
    }),
    mustFail: /\[ST7\]/,
  },
  'reports a taken e-mail as a new account': {
    breakage: (store) => ({
      createAccount: async (account) => {
        await store.createAccount(account);
        return 'created';
      },
    }),
    mustFail: /\[ST18\]/,
  },
  'saves every first-organisation candidate, not only the winner': {
    breakage: (store) => ({
      claimFirstOrganisation: async (candidate) => {
        await store.saveOrganisation(candidate);
        return store.claimFirstOrganisation(candidate);
      },
    }),
    mustFail: /\[ST18\]/,
  },
  'stores an answer checked against polls changed since': {
    breakage: (store) => ({
      saveAnswer: async (cmd, answer, _pollsVersion, appends, ack) => {
        const current = (await store.getPolls(answer.sessionId))?.version ?? 0;
        return store.saveAnswer(cmd, answer, current, appends, ack);
      },
    }),
    mustFail: /\[ST19\]/,
  },
  'keeps every answer of a device instead of replacing it': {
    breakage: (store) => ({
      saveAnswer: (cmd, answer, pollsVersion, appends, ack) =>
        store.saveAnswer(
          cmd,
          { ...answer, deviceId: asId<DeviceId>(`${answer.deviceId}-${cmd.commandId}`) },
          pollsVersion,
          appends,
          ack,
        ),
    }),
    mustFail: /\[ST19\]/,
  },
  'removes the last admin': {
    breakage: (store) => ({
      removeMembership: async (orgId, accountId) => {
        const outcome = await store.removeMembership(orgId, accountId);
        if (outcome !== 'last_admin') return outcome;
        // A second admin appears behind the store's back, so the removal goes through.
        const admin = await store.getMembership(orgId, accountId);
        await store.addMembership({ ...admin!, orgId: admin!.orgId, accountId: testId('acc') });
        return store.removeMembership(orgId, accountId);
      },
    }),
    mustFail: /\[ST20\]/,
  },
  'accepts an invitation after it was used or revoked': {
    breakage: (store) => ({
      acceptInvitation: async (id, account, at) => {
        const invitation = await store.getInvitation(id);
        if (invitation)
          await store.saveInvitation({ ...invitation, acceptedAt: null, revokedAt: null });
        return store.acceptInvitation(id, account, at);
      },
    }),
    mustFail: /\[ST20\]/,
  },
};

function wrap(store: Store, breakage: Breakage): Store {
  const overrides = breakage(store);
  return new Proxy(store, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key in overrides) return overrides[key as keyof Store];
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A real store for one case, and how to be rid of it afterwards. */
type Open = (options: StoreOptions) => Promise<{ store: Store; cleanup(): Promise<void> }>;

const implementations: Record<string, Open> = {
  sqlite: async (options) => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-broken-'));
    const store = await openSqliteStore({ file: join(dir, 'talks.sqlite'), ...options });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  memory: (options) => {
    const store = createMemoryStore(options);
    return Promise.resolve({ store, cleanup: () => store.close() });
  },
};

/** The names of the contract cases that fail on `open`'s stores with `breakage` applied. */
async function failures(open: Open, breakage: Breakage): Promise<string[]> {
  const failed: string[] = [];
  for (const c of storeContractCases) {
    const real = await open(c.options ?? {});
    try {
      await c.run(wrap(real.store, breakage));
    } catch (error) {
      failed.push(`${c.name}: ${String(error)}`);
    } finally {
      await real.cleanup();
    }
  }
  return failed;
}

for (const [implementation, open] of Object.entries(implementations)) {
  describe(`[ST0] the store contract fails on broken stores (${implementation})`, () => {
    for (const [name, { breakage, mustFail }] of Object.entries(breakages)) {
      it(`catches a store that ${name}`, async () => {
        const failed = await failures(open, breakage);
        console.log(
          `broken ${implementation} store "${name}": ${failed.length} of ${storeContractCases.length} contract cases fail`,
        );
        expect(failed.filter((n) => mustFail.test(n)).length).toBeGreaterThan(0);
      });
    }

    it('passes the same cases on the unbroken store (the harness itself is sound)', async () => {
      expect(await failures(open, () => ({}))).toEqual([]);
    });
  });
}
