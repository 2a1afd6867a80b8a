import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The dashboard's production build goes to dist/dashboard, which api/dashboard-static.ts serves at /. */
export default defineConfig({
  root: here,
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npx vite --config dashboard/vite.config.ts` next to `npm run dev` on port 3000.
    proxy: { '/trpc': 'http://localhost:3000' },
  },
});
