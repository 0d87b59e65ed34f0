import { defineConfig } from '@playwright/test';

// Debian's chromium (apt-get install chromium), never a downloaded browser; .ci/run installs it when missing.
const executablePath = process.env.MFR_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test',
  testMatch: '*.spec.ts',
  timeout: 240_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        // webgl on the CPU (SwiftShader): CI machines have no GPU
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--ignore-gpu-blocklist',
        // this machine's network is closed: no background connections at start
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'pnpm exec vite build && pnpm exec vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
