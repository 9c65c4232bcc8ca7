import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The editor is built into the Flask static folder with fixed names, so the Jinja2 shell
// (server/templates/app.html) can load it without a manifest.
const backend = process.env.FLOWLANE_DEV_BACKEND ?? "http://127.0.0.1:8181";

export default defineConfig({
  plugins: [react()],
  base: "/static/app/",
  build: {
    outDir: "../server/static/app",
    emptyOutDir: true,
    target: "es2022",
    cssCodeSplit: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: "src/main.tsx",
      output: {
        entryFileNames: "index.js",
        chunkFileNames: "chunk-[name].js",
        assetFileNames: (asset) => (asset.names?.some((n) => n.endsWith(".css")) ? "index.css" : "[name][extname]"),
      },
    },
  },
  server: {
    proxy: {
      "/api": backend,
      "/socket.io": { target: backend, ws: true },
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
