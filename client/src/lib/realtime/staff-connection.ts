/**
 * The connection of a staff screen (the moderator console, the outreach tablet): everything
 * SessionConnection does, plus the moderation commands, settings and the moderation log.
 * A module of its own so that the attendee page and the wall, which never moderate, do not
 * load this code (client/e2e/attendee-budget.e2e.ts holds the attendee page to 60 KB).
 */
import type { CommandAck, CommandRequest } from '@gt/protocol';
import { SessionConnection, isPostWire } from './session-connection.js';
import type { ModerationAction } from './session-connection.js';
import type { ClientResult, PostWire, SessionWire } from './types.js';

export class StaffConnection extends SessionConnection {
  protected override onJoined(): void {
    if (this.view.you?.staff) void this.loadLog();
  }

  /**
   * A moderation command with the version the moderator saw. On success the post is updated
   * at once from the acknowledgement; on `conflict` from the current state the server sends
   * back (`error.details.current`), so the next click acts on the right version.
   */
  async moderate(
    action: ModerationAction,
    post: { id: string; version: number },
    options: {
      reason?: string;
      text?: string;
      topicId?: string | null;
      panelMemberId?: string | null;
      title?: string;
    } = {},
  ): Promise<ClientResult<{ post: PostWire }>> {
    const payload = { postId: post.id, version: post.version };
    const result =
      action === 'hide'
        ? await this.send('post:hide', { ...payload, reason: options.reason ?? '' })
        : action === 'edit'
          ? await this.send('post:edit', { ...payload, text: options.text ?? '' })
          : action === 'tag'
            ? await this.send('post:tag', { ...payload, topicId: options.topicId ?? null })
            : action === 'direct'
              ? await this.send('post:direct', {
                  ...payload,
                  panelMemberId: options.panelMemberId ?? null,
                })
              : action === 'promise-follow-up'
                ? await this.send('post:promise-follow-up', {
                    ...payload,
                    panelMemberId: options.panelMemberId ?? null,
                  })
                : action === 'to-topic'
                  ? await this.send('post:to-topic', {
                      ...payload,
                      ...(options.title ? { title: options.title } : {}),
                    })
                  : await this.send(`post:${action}`, payload);
    return this.#sorted(Promise.resolve(result));
  }

  /** [M8] Tag a post with a topic (null: untag), as `moderate` does with the version held. */
  tag(
    post: { id: string; version: number },
    topicId: string | null,
  ): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(this.send('post:tag', { postId: post.id, version: post.version, topicId }));
  }

  /** [M9] Direct a post to a panel member (null: to nobody), as `moderate` does. */
  direct(
    post: { id: string; version: number },
    panelMemberId: string | null,
  ): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(
      this.send('post:direct', { postId: post.id, version: post.version, panelMemberId }),
    );
  }

  /** [M12] Undo of "answered": the post is visible again. */
  reopen(post: { id: string; version: number }): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(this.send('post:reopen', { postId: post.id, version: post.version }));
  }

  /** [M12] Undo of an approval: the post waits for a moderator again. */
  unapprove(post: { id: string; version: number }): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(this.send('post:unapprove', { postId: post.id, version: post.version }));
  }

  /**
   * [M13] Merge the sources into the target at the versions held. The target is updated from
   * the acknowledgement; the hidden sources arrive on the staff stream.
   */
  merge(
    target: { id: string; version: number },
    sources: readonly { id: string; version: number }[],
  ): Promise<ClientResult<{ post: PostWire }>> {
    return this.#sorted(
      this.send('post:merge', {
        targetId: target.id,
        targetVersion: target.version,
        sourceIds: sources.map((p) => p.id),
        sourceVersions: sources.map((p) => p.version),
      }),
    );
  }

  async #sorted(
    sent: Promise<ClientResult<{ post: PostWire }>>,
  ): Promise<ClientResult<{ post: PostWire }>> {
    const result = await sent;
    if (result.ok) this.noteAcknowledged(result.data.post);
    else if (result.error.code === 'conflict') {
      const current = result.error.details?.current;
      if (isPostWire(current)) this.noteAcknowledged(current);
    }
    return result;
  }

  /** Change session settings, with the settings version held; a conflict refreshes it. */
  async configure(
    settings: CommandRequest<'session:configure'>['settings'],
  ): Promise<ClientResult<CommandAck<'session:configure'>>> {
    const version = this.view.session?.version;
    if (version === undefined)
      return { ok: false, error: { code: 'offline', message: 'not joined yet' } };
    const result = await this.send('session:configure', { version, settings });
    const session = result.ok
      ? result.data.session
      : (result.error.details?.currentSession as SessionWire | undefined);
    if (session) this.adoptSession(session);
    return result;
  }

  /**
   * Staff: list a page of the moderation log (newest first; `before` a seq to page back) and
   * add it to `view.log`.
   */
  async loadLog(
    options: { before?: number; limit?: number } = {},
  ): Promise<ClientResult<CommandAck<'log:list'>>> {
    const result = await this.send('log:list', options);
    if (result.ok) this.addLog(result.data.entries);
    return result;
  }
}
