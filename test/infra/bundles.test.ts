import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/runtime';
import { repoRoot } from '../../infra/service-function';
import { routeList } from '../../shared/routes';
import { workerList, workers } from '../../shared/workers';

/** Every function the stack deploys: one per route, and the workers. */
const functions = [
  ...routeList.map((route) => ({ name: route.operation, handler: route.handler })),
  ...workerList.map((worker) => ({ name: worker.name, handler: worker.handler })),
];

const outdir = mkdtempSync(path.join(tmpdir(), 'switchboard-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the functions’ bundles', () => {
  it('bundle, every handler (routes and workers) at once, with the options the stack deploys them with, and load', async () => {
    const result = await build({
      entryPoints: Object.fromEntries(functions.map((fn) => [fn.name, path.join(repoRoot, fn.handler)])),
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      target: esbuildOptions.target,
      format: esbuildOptions.format,
      minify: esbuildOptions.minify,
      mainFields: [...esbuildOptions.mainFields],
      banner: { js: esbuildOptions.banner },
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.mjs'))).toHaveLength(
      functions.length,
    );
    // The mailer alone carries the SES client.
    for (const fn of functions) {
      const output = Object.entries(result.metafile.outputs).find(([file]) =>
        file.endsWith(`/${fn.name}.mjs`),
      );
      const inputs = Object.keys(output?.[1].inputs ?? {});
      expect(
        inputs.some((input) => input.includes('@aws-sdk/client-sesv2')),
        fn.name,
      ).toBe(fn.name === workers.mailer.name);
    }
    // A bundle loads on its own, as Lambda loads it, and exports the handler.
    process.env.TABLE_NAME ??= 'bundle-test';
    const module = (await import(pathToFileURL(path.join(outdir, 'getApiInfo.mjs')).href)) as {
      handler: unknown;
    };
    expect(typeof module.handler).toBe('function');
  });
});
