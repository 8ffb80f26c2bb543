/**
 * A look inside a server under test without changing its code: both servers are started with
 * `--inspect=127.0.0.1:<port>`, and the bench attaches through the DevTools protocol when it
 * needs to (1) collect garbage before reading the resident memory (issue 6: memory per
 * connection "both after GC") and (2) read the server's own event-loop delay with
 * `perf_hooks.monitorEventLoopDelay` over a measured window. The app and the baseline get
 * exactly the same treatment. With no session attached the inspector costs nothing; the
 * bench attaches only between measurements and for two short evaluations per window.
 */
import WebSocket from 'ws';

interface Reply {
  id?: number;
  result?: { result?: { type: string; value?: unknown }; exceptionDetails?: unknown };
  error?: { message: string };
}

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Where the histogram lives in the server process while a window is open. */
const SLOT = '__gtBenchLoopDelay';

export class ServerInspector {
  #nextId = 0;
  readonly #waiting = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const reply = JSON.parse(data.toString()) as Reply;
      if (reply.id === undefined) return;
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    });
  }

  /** Attach to the inspector a process opened on `port` (retrying while it starts). */
  static async attach(port: number, timeoutMs = 10_000): Promise<ServerInspector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
          webSocketDebuggerUrl: string;
        }[];
        const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
        return new ServerInspector(socket);
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`no inspector on port ${port}: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  #call(method: string, params: Record<string, unknown> = {}): Promise<Reply> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`inspector: ${method} did not answer`));
      }, 30_000);
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error) reject(new Error(`inspector: ${method}: ${reply.error.message}`));
        else resolve(reply);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Evaluate in the server's global scope; `require` comes from the inspector's command line API. */
  async #evaluate(expression: string): Promise<unknown> {
    const reply = await this.#call('Runtime.evaluate', {
      expression,
      includeCommandLineAPI: true,
      returnByValue: true,
    });
    if (reply.result?.exceptionDetails)
      throw new Error(`inspector: ${JSON.stringify(reply.result.exceptionDetails).slice(0, 300)}`);
    return reply.result?.result?.value;
  }

  /** A full garbage collection in the server, as `global.gc()` would do. */
  async collectGarbage(): Promise<void> {
    await this.#call('HeapProfiler.collectGarbage');
  }

  /** Start recording the event loop's delay (10 ms resolution, perf_hooks' default). */
  async startLoopDelay(): Promise<void> {
    await this.#evaluate(
      `(() => { globalThis.${SLOT}?.disable(); const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); h.enable(); globalThis.${SLOT} = h; return true; })()`,
    );
  }

  /** Stop recording and return the delay percentiles, or null when no window was open. */
  async readLoopDelay(): Promise<LoopDelay | null> {
    const value = await this.#evaluate(
      `(() => { const h = globalThis.${SLOT}; if (!h) return null; h.disable(); globalThis.${SLOT} = undefined; return { p50: h.percentile(50), p99: h.percentile(99), max: h.max }; })()`,
    );
    if (!value) return null;
    const { p50, p99, max } = value as { p50: number; p99: number; max: number };
    return { p50Ms: p50 / 1e6, p99Ms: p99 / 1e6, maxMs: max / 1e6 };
  }

  close(): void {
    this.socket.close();
  }
}
