/**
 * A session's live settings and what the room sends beside posts (SPEC SC1-SC8, R2, FV1,
 * ML1-ML3): configure, reactions, first-screen impressions, and reading the moderation log.
 */
import {
  applySettings,
  checkPanel,
  describeSettingsChange,
  isPublic,
  logEntryView,
  sessionAppends,
  sessionView,
} from '@gt/core';
import { DEFAULT_LOG_PAGE, fail, ok } from '@gt/protocol';
import type { ExposureStore, LogStore, PostStore, SessionStore } from '../store/store.js';
import type { Handlers, Shared } from './context.js';
import type { RateLimits } from './rate-limits.js';
import type { ReactionBuffer } from './reactions.js';
import { panelRefusal } from './refusals.js';

export type SessionSettingsStore = SessionStore & PostStore & ExposureStore & LogStore;

export interface SessionSettingsDeps {
  store: SessionSettingsStore;
  shared: Shared;
  reactions: Pick<ReactionBuffer, 'add'>;
  rateLimits: Pick<RateLimits, 'take'>;
}

export function sessionSettingsHandlers({
  store,
  shared,
  reactions,
  rateLimits,
}: SessionSettingsDeps) {
  return {
    'session:configure': async (ctx, p) => {
      const session = ctx.session!;
      if (p.version !== session.version)
        return fail('conflict', 'the settings changed meanwhile', {
          currentSession: sessionView(session),
        });
      const change = { ...p.settings };
      if (change.panel) {
        const panel = checkPanel(change.panel);
        if (!panel.ok) return panelRefusal(panel);
        change.panel = panel.panel;
      }
      const next = applySettings(session, change);
      const result = shared.finish(
        await store.updateSession(
          shared.commandRef(ctx, p)!,
          next,
          session.version,
          sessionAppends(next),
          { session: sessionView(next) },
          [await shared.logEntry(ctx, 'configure', null, describeSettingsChange(change))],
        ),
      );
      // Hiding or showing votes, or the participant count, changes what the counts update carries.
      if (
        result.ok &&
        (p.settings.hideVotes !== undefined || p.settings.showParticipantCount !== undefined)
      )
        shared.publisher.countsChanged(session.id);
      return result;
    },

    'reaction:send': async (ctx, p) => {
      const session = ctx.session!;
      if (!session.settings.isOpen)
        return fail('closed', 'this session is not taking reactions now');
      // [SC4] A moderator can pause reactions (a heated moment) without closing the session.
      if (session.settings.reactionsPaused)
        return fail('closed', 'reactions are paused for the moment', {
          reason: 'reactions_paused',
        });
      if (!session.settings.reactions.includes(p.reaction))
        return fail('invalid_input', 'this reaction is not offered in this session');
      const ref = shared.commandRef(ctx, p)!;
      if (reactions.add(session.id, p.reaction, `${ref.actor}:${ref.commandId}`))
        shared.publisher.countsChanged(session.id);
      return ok({});
    },

    // [FV1] A phone's first screenful: one impression per (device, public post), once.
    'exposure:report': async (ctx, p) => {
      const session = ctx.session!;
      const device = ctx.you.deviceId;
      if (!device) return fail('forbidden', 'impressions are counted per device; register one');
      const limit = await rateLimits.take('exposure', device, ctx.principal.addressKey ?? null);
      if (!limit.ok)
        return fail('rate_limited', 'too many reports in a short time', {
          retryAfterMs: limit.retryAfterMs,
        });
      const ids = [...new Set(p.postIds)];
      if (ids.length === 0) return ok({ counted: 0 });
      // Only posts the attendee can see count: a made-up or pending id counts nothing.
      const posts = await Promise.all(ids.map((id) => store.getPost(session.id, id)));
      const visible = posts.filter((post) => post && isPublic(post)).map((post) => post!.id);
      const counted = await store.addImpressions(session.id, device, visible);
      if (counted.length > 0) shared.publisher.countsChanged(session.id);
      return ok({ counted: counted.length });
    },

    'log:list': async (ctx, p) => {
      const entries = await store.listLog(
        ctx.session!.id,
        p.before ?? null,
        p.limit ?? DEFAULT_LOG_PAGE,
      );
      return ok({ entries: entries.map(logEntryView) });
    },
  } satisfies Partial<Handlers>;
}
