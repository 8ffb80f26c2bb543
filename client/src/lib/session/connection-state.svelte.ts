/**
 * The part every page's session state shares: it mirrors one SessionConnection's view into
 * Svelte state, so components read `$derived` values and never touch the socket (STYLE
 * habit 11). One instance per page, handed down through context, never a module singleton:
 * on the server a module-level object would be shared by every request.
 *
 * Usage in a page component:
 *
 *   const session = setAttendeeSession(new AttendeeSession({ sessionId, deviceToken, initial }));
 *   onMount(() => session.start()); // connects in the browser; the returned function closes it
 */
import { emptyView, SessionConnection } from '../realtime/session-connection.js';
import type { ConnectionView, SessionConnectionOptions } from '../realtime/session-connection.js';

export class ConnectionState<C extends SessionConnection = SessionConnection> {
  readonly connection: C;
  // Raw: the view is replaced as a whole on every change, never mutated, so deep proxies
  // would only cost time.
  #view = $state.raw<ConnectionView>(emptyView(''));
  #unsubscribe: () => void = () => {};

  readonly status = $derived(this.#view.status);
  readonly fatal = $derived(this.#view.fatal);
  readonly joinError = $derived(this.#view.joinError);
  readonly session = $derived(this.#view.session);
  readonly you = $derived(this.#view.you);
  readonly counts = $derived(this.#view.counts);
  readonly outbox = $derived(this.#view.outbox);
  /** Last applied sequence number per stream; pages put it on a data- attribute for tests. */
  readonly lastSeq = $derived(this.#view.lastSeq);

  /**
   * Give options to have the connection made here (not started: call `start()` once mounted),
   * or an existing connection (tests, or a page that shares one).
   */
  constructor(
    source: C | SessionConnectionOptions,
    /** Makes the connection from options: staff screens make a StaffConnection. */
    make: (options: SessionConnectionOptions) => C = (options) =>
      new SessionConnection(options) as C,
  ) {
    this.connection =
      source instanceof SessionConnection ? source : make({ ...source, autoStart: false });
    this.#view = this.connection.view;
    this.#unsubscribe = this.connection.subscribe((view) => {
      this.#view = view;
    });
  }

  /** The connection's current view, for subclasses' `$derived` values. */
  protected get view(): ConnectionView {
    return this.#view;
  }

  /** Connect (in the browser). Returns the cleanup, so `onMount(() => session.start())` suffices. */
  start(): () => void {
    this.connection.start();
    return () => this.destroy();
  }

  /** Catch up now (a "refresh" button; resume signals already do this by themselves). */
  resync(): Promise<void> {
    return this.connection.resync();
  }

  destroy(): void {
    this.#unsubscribe();
    this.connection.close();
  }
}
