import { defineConfig } from 'vite';

// The client is built into client/dist and served by the Express server; there is no
// separate dev server to run. JSX is compiled by Vite itself (automatic runtime).
export default defineConfig({
  root: 'client',
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // MapLibre changes rarely: its own chunk stays cached across releases of ours.
        manualChunks: (id) => (id.includes('node_modules/maplibre-gl') ? 'maplibre' : undefined),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
