#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx's loader, with the app's tsconfig for the
// @smart/* path aliases, is registered in this process before the entry point is imported.
import { fileURLToPath } from 'node:url';

process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
await import('tsx');
await import('../src/main.ts');
