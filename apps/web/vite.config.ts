// The web app is built into dist/ and served by the API process from the same origin (see
// apps/api/src/plugins/web-app.ts). `npm run dev -w @mljudge/web` proxies /v1 to a running API.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/v1': process.env.MLJUDGE_API ?? 'http://127.0.0.1:3000' } },
});
