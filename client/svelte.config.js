// SvelteKit configuration. The app runs inside the Express server (server/src/http/web.ts
// mounts adapter-node's handler), so there is one port and one origin for pages, API and
// Socket.IO.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  vitePlugin: {
    // Svelte 5 runes in our components; libraries in node_modules compile as they were written.
    dynamicCompileOptions: ({ filename }) =>
      filename.split(/[/\\]/).includes('node_modules') ? undefined : { runes: true },
  },
  kit: {
    // Static assets are pre-compressed so a bad festival network moves fewer bytes.
    adapter: adapter({ out: 'build', precompress: true }),
    // SvelteKit owns the Content-Security-Policy (helmet's is off): it adds nonces or hashes
    // for its own inline scripts. Two CSP headers would both be enforced and block hydration.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte transitions and Vite's dev server insert <style> elements; styles cannot run
        // code, so this is the usual trade-off. (With 'unsafe-inline' present SvelteKit adds no
        // style nonce, which would otherwise cancel it.)
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // CSP Level 3: 'self' also matches ws: and wss: on the same host, which is what
        // Socket.IO's WebSocket uses (browsers without that fall back to HTTP long-polling).
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
