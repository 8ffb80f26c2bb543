/**
 * A TCP proxy between the browser and the real server that the test controls, to cut a
 * phone's live connection for real (TOOLCHAIN: `setOffline` does not close a WebSocket).
 *
 * It forwards bytes unchanged. While `cut`, every connection that carries Socket.IO traffic
 * (a request line for `/socket.io/`, WebSocket or long-polling) is destroyed, and new ones are
 * destroyed as soon as they ask for it; page loads still go through, so the page can be
 * reloaded while its live connection is down, as on a network that lets a page through but
 * drops long-lived connections. `restore` lets Socket.IO through again.
 *
 * `freeze` is the phone in a pocket: the open Socket.IO connections stay open but carry
 * nothing any more, either way, and nobody is told; new connections work.
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

const SOCKET_IO_REQUEST = /(?:^|\r\n)(?:GET|POST) \/socket\.io\//;

export class SocketCutProxy {
  readonly #server: Server;
  readonly port: number;
  #targetPort = 0;
  #isCut = false;
  /** Open connections, and whether each has carried Socket.IO traffic. */
  readonly #connections = new Map<
    Socket,
    { upstream: Socket; isSocketIo: boolean; isFrozen: boolean }
  >();

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  /** Listen on a free port; the target is set once the server behind it knows its port. */
  static async listen(): Promise<SocketCutProxy> {
    const made: { proxy?: SocketCutProxy } = {};
    // Connections arrive only after listen() resolved, so the proxy exists by then.
    const server = createServer((client) => (made.proxy as SocketCutProxy).#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('the proxy has no port');
    made.proxy = new SocketCutProxy(server, address.port);
    return made.proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  target(port: number): void {
    this.#targetPort = port;
  }

  /** Drop every live connection now, and every new one while cut. */
  cut(): void {
    this.#isCut = true;
    for (const [client, state] of this.#connections)
      if (state.isSocketIo) this.#drop(client, state.upstream);
  }

  /** Open Socket.IO connections go silent for good, without closing. */
  freeze(): void {
    for (const state of this.#connections.values()) if (state.isSocketIo) state.isFrozen = true;
  }

  restore(): void {
    this.#isCut = false;
  }

  async close(): Promise<void> {
    for (const [client, state] of this.#connections) this.#drop(client, state.upstream);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    // Writes before the upstream connection is up are buffered by the socket.
    const upstream = connect(this.#targetPort, '127.0.0.1');
    const state = { upstream, isSocketIo: false, isFrozen: false };
    this.#connections.set(client, state);
    client.on('data', (chunk: Buffer) => {
      if (SOCKET_IO_REQUEST.test(chunk.toString('latin1'))) state.isSocketIo = true;
      if (state.isSocketIo && this.#isCut) return this.#drop(client, upstream);
      if (!state.isFrozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!state.isFrozen) client.write(chunk);
    });
    const end = () => this.#drop(client, upstream);
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  #drop(client: Socket, upstream: Socket): void {
    this.#connections.delete(client);
    client.destroy();
    upstream.destroy();
  }
}
