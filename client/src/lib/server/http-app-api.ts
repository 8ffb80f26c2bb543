/**
 * AppApi over HTTP, for `npm run dev`: Vite's dev server runs SvelteKit in its own process, so
 * SSR loads and form actions call the API server's REST routes instead of the in-process
 * service. Same operations, same Result values; credentials travel as headers
 * (`Authorization: Bearer <staff>`, `X-Device-Token`). Production never uses this: there the
 * server hands SvelteKit the TalksService itself (see hooks.server.ts).
 */
import type {
  AppApi,
  CommandAck,
  CommandName,
  CommandRequest,
  CreateEventRequest,
  CreateSessionAck,
  CreateSessionRequest,
  Credentials,
  EventView,
  LoginAck,
  LoginRequest,
  Result,
  SessionWire,
} from '@gt/protocol';

type Fetch = typeof fetch;

export class HttpAppApi implements AppApi {
  readonly #base: string;
  readonly #fetch: Fetch;

  constructor(baseUrl: string, fetchImpl: Fetch = fetch) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
  }

  command<K extends CommandName>(
    creds: Credentials,
    name: K,
    payload: CommandRequest<K>,
  ): Promise<Result<CommandAck<K>>> {
    return this.#call('POST', `/api/commands/${encodeURIComponent(name)}`, creds, payload);
  }

  findSessionByCode(code: string): Promise<Result<SessionWire>> {
    return this.#call('GET', `/api/sessions/by-code/${encodeURIComponent(code)}`, {});
  }

  login(request: LoginRequest): Promise<Result<LoginAck>> {
    return this.#call('POST', '/api/login', {}, request);
  }

  createEvent(creds: Credentials, request: CreateEventRequest): Promise<Result<EventView>> {
    return this.#call('POST', '/api/events', creds, request);
  }

  listEvents(creds: Credentials): Promise<Result<EventView[]>> {
    return this.#call('GET', '/api/events', creds);
  }

  createSession(
    creds: Credentials,
    request: CreateSessionRequest,
  ): Promise<Result<CreateSessionAck>> {
    return this.#call('POST', '/api/sessions', creds, request);
  }

  /** Never throws: an unreachable server or a non-JSON answer becomes an `internal` result. */
  async #call<T>(
    method: 'GET' | 'POST',
    path: string,
    creds: Credentials,
    body?: unknown,
  ): Promise<Result<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (creds.staff) headers.authorization = `Bearer ${creds.staff}`;
    if (creds.device) headers['x-device-token'] = creds.device;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const result = (await response.json()) as Result<T>;
      if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean')
        throw new Error(`unexpected answer (HTTP ${response.status})`);
      return result;
    } catch (error) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `the API server at ${this.#base} did not answer ${method} ${path}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        },
      };
    }
  }
}
