// See https://svelte.dev/docs/kit/types#app.d.ts
import type { IncomingMessage } from 'node:http';
import type { AppApi, Credentials } from '@gt/protocol';

declare global {
  namespace App {
    interface Locals {
      /** The one door into the application (server/src/http/web.ts attaches it; docs/ARCHITECTURE.md, "Client"). */
      api: AppApi;
      /** This request's device token and staff token, from the HttpOnly cookies. */
      creds: Credentials;
    }
    /** adapter-node hands over the Node request; absent under Vite's dev server. */
    interface Platform {
      /** server/src/http/web.ts attaches the in-process AppApi to it. */
      req?: IncomingMessage & { appApi?: AppApi };
    }
    interface Error {
      message: string;
    }
  }
}

export {};
