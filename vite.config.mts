// The renderer build. Root is app/renderer; output goes to out/renderer, loaded by Electron with loadFile (hence
// base './'). Only app/shared is imported from outside the root, and only types plus a few constants from it.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./app/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    // Electron loads files from disk: no modulepreload polyfill (it would be an inline-free but useless script).
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
