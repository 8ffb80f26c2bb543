// `npm run dev` (scripts/dev.mjs) runs this dev server on :5173 beside the API server on
// :3000 (tsx watch). The browser talks to :5173 only: Socket.IO, the REST API and QR images are
// proxied, so pages, cookies and the WebSocket share one origin just as in production.
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const apiServer = process.env.GT_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/socket.io': { target: apiServer, ws: true },
      '/api': { target: apiServer },
      '/qr': { target: apiServer },
      '/healthz': { target: apiServer },
    },
  },
});
