// Component tests of the renderer: jsdom, Testing Library. Node-side tests run with node:test (scripts/test.mjs).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    setupFiles: ['test/renderer/setup.ts'],
    restoreMocks: true,
  },
});
