import { serviceName } from '../shared/core/service';

/**
 * What every function runs with, written once for the stack and for
 * `npm run bench` (which bundles and imports each function as deployed):
 * esbuild's options and the base environment. No CDK here, so the bench
 * can read it without loading aws-cdk-lib.
 */
export const esbuildOptions = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // Maps without the sources' text: stack traces still point at file and line, and the
  // map a cold start reads (--enable-source-maps) is a third of the size.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: 'import { createRequire } from "module";const require = createRequire(import.meta.url);',
} as const;

/** The environment every function has; features add their own (APP_URL, SENDER_EMAIL) on top. */
export function baseEnvironment(values: {
  tableName: string;
  serviceSecret: string;
}): Record<string, string> {
  return {
    TABLE_NAME: values.tableName,
    NODE_OPTIONS: '--enable-source-maps',
    SERVICE_SECRET: values.serviceSecret,
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
