/**
 * AppApi over HTTP, for `npm run dev`: Vite's dev server runs SvelteKit in its own process, so
 * SSR loads and form actions reach the API server through `POST /api/app/:method`
 * (server/src/http/app-api.routes.ts), which runs the same AppApi method with the same
 * arguments in the server and answers its Result. Production never uses this: there the
 * server hands SvelteKit the AppApi object itself (see hooks.server.ts).
 *
 * It forwards every method by name, so a method added to AppApi works here without a change;
 * the server's list of callable methods is checked against the interface.
 */
import type { AppApi, Result } from '@gt/protocol';

type Fetch = typeof fetch;

export function createHttpAppApi(baseUrl: string, fetchImpl: Fetch = fetch): AppApi {
  const base = baseUrl.replace(/\/+$/, '');

  /** Never throws: an unreachable server or a non-JSON answer becomes an `internal` result. */
  async function call(method: string, args: unknown[]): Promise<Result<unknown>> {
    try {
      const response = await fetchImpl(`${base}/api/app/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ args }),
      });
      const result = (await response.json()) as Result<unknown>;
      if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean')
        throw new Error(`unexpected answer (HTTP ${response.status})`);
      return result;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `the API server at ${base} did not answer ${method}: ${reason}`,
        },
      };
    }
  }

  return new Proxy({} as AppApi, {
    get: (_target, method) =>
      typeof method === 'string' ? (...args: unknown[]) => call(method, args) : undefined,
  });
}
