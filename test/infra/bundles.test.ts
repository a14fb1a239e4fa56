import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/runtime';
import { repoRoot } from '../../infra/service-function';
import { routeList } from '../../shared/routes';

const outdir = mkdtempSync(path.join(tmpdir(), 'switchboard-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the functions’ bundles', () => {
  it('bundle, every handler at once, with the options the stack deploys them with, and load', async () => {
    const result = await build({
      entryPoints: Object.fromEntries(
        routeList.map((route) => [route.operation, path.join(repoRoot, route.handler)]),
      ),
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
      routeList.length,
    );
    // Only the email-sending functions carry the SES client.
    for (const route of routeList) {
      const output = Object.entries(result.metafile.outputs).find(([file]) =>
        file.endsWith(`/${route.operation}.mjs`),
      );
      const inputs = Object.keys(output?.[1].inputs ?? {});
      expect(
        inputs.some((input) => input.includes('@aws-sdk/client-sesv2')),
        route.operation,
      ).toBe(route.sendsEmail === true);
    }
    // A bundle loads on its own, as Lambda loads it, and exports the handler.
    process.env.TABLE_NAME ??= 'bundle-test';
    const module = (await import(pathToFileURL(path.join(outdir, 'getApiInfo.mjs')).href)) as {
      handler: unknown;
    };
    expect(typeof module.handler).toBe('function');
  });
});
