import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { baseEnvironment, esbuildOptions } from '../../infra/runtime';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** esbuild's options for a deployed function (infra/runtime.ts), run from the project root with no externals (the SDK is bundled). */
const lambdaBundling = {
  bundle: true,
  platform: 'node',
  target: esbuildOptions.target,
  format: esbuildOptions.format,
  minify: esbuildOptions.minify,
  sourcemap: esbuildOptions.sourcemap,
  sourcesContent: esbuildOptions.sourcesContent,
  external: [],
  mainFields: [...esbuildOptions.mainFields],
  banner: { js: esbuildOptions.banner },
  absWorkingDir: repoRoot,
} satisfies BuildOptions;

/**
 * The environment a deployed function imports its bundle with: the stack's
 * base environment (values that only matter at request time are
 * placeholders), plus what the Lambda runtime itself sets; nothing is
 * inherited from this process.
 */
export function lambdaEnvironment(functionName: string): Record<string, string> {
  return {
    ...baseEnvironment({ tableName: 'switchboard-bench', serviceSecret: 'bench-service-secret' }),
    APP_URL: 'https://app.example.com',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    TZ: ':UTC',
  };
}

export interface BundleInput {
  /** A function's operation name, or "baseline". */
  name: string;
  /** The entry file, relative to the repository root. */
  entry: string;
}

export interface BundleResult extends BundleInput {
  outfile: string;
  /** The minified bundle (index.mjs), without its source map. */
  bytes: number;
  mapBytes: number;
  /** What the bundle is made of: bytes in the output by npm package, or by folder of the repository. */
  inputs: Record<string, number>;
}

/** Groups a metafile input path by npm package (node_modules/…) or top folder of the repository. */
function inputGroup(input: string): string {
  const parts = input.split('/');
  const modules = parts.lastIndexOf('node_modules');
  if (modules >= 0) {
    const name = parts[modules + 1] ?? input;
    return name.startsWith('@') ? `${name}/${parts[modules + 2] ?? ''}` : name;
  }
  if (parts[0] === 'docs') return input;
  return parts.length > 1 ? `${parts[0]}/` : input;
}

function inputsByGroup(output: Metafile['outputs'][string] | undefined): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const group = inputGroup(input);
    groups[group] = (groups[group] ?? 0) + bytesInOutput;
  }
  return groups;
}

/** The groups of inputs a bundle has more of than the baseline, largest addition first. */
export function additionsOver(bundle: BundleResult, baseline: BundleResult, count = 4) {
  return Object.entries(bundle.inputs)
    .map(([input, bytes]) => ({ input, bytes: bytes - (baseline.inputs[input] ?? 0) }))
    .filter((addition) => addition.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/** Bundles one entry as CDK would, into `<outRoot>/<name>/index.mjs`. */
export async function bundleOne(input: BundleInput, outRoot: string): Promise<BundleResult> {
  const outDir = path.join(outRoot, input.name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'index.mjs');
  const result = await build({
    ...lambdaBundling,
    entryPoints: [path.join(repoRoot, input.entry)],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return {
    ...input,
    outfile,
    bytes: statSync(outfile).size,
    mapBytes: statSync(`${outfile}.map`).size,
    inputs: inputsByGroup(result.metafile.outputs[path.relative(repoRoot, outfile)]),
  };
}

/**
 * The Node 24 binary for the cold imports: this process's own when it is
 * Node 24 (`npm run bench` puts the `node` devDependency first on PATH),
 * else the devDependency's.
 */
export function node24Binary(): string {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const local = path.join(repoRoot, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return local;
  throw new Error(
    `Node 24 is needed for the cold imports; this is ${process.version}. Run \`npm run bench\`.`,
  );
}

/**
 * Runs in the fresh process: the clock starts just before the dynamic import
 * of the bundle and stops when it has been evaluated, then the handler export
 * is checked, so a bundle that fails at import fails the measurement.
 */
const probe = `
const cpuStart = process.cpuUsage();
const start = performance.now();
const module = await import(process.argv[1]);
const importMs = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ importMs, cpuMs: (cpu.user + cpu.system) / 1000, node: process.version }));
`;

const running = new Set<ChildProcess>();

/** Kills any cold-import process still running (on Ctrl-C or a failure). */
export function stopColdImports(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface ImportSample {
  importMs: number;
  /** CPU time of the child (all threads) during the import: less sensitive than wall time to a busy machine. */
  cpuMs: number;
  /** From spawn to exit, as seen by the parent: Node's own start-up plus the import. */
  processMs: number;
  node: string;
}

/** One cold import of a bundle in a fresh Node process with a Lambda-like environment. */
export function coldImport(nodeBinary: string, bundle: BundleResult): Promise<ImportSample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      nodeBinary,
      ['--input-type=module', '-e', probe, pathToFileURL(bundle.outfile).href],
      { env: lambdaEnvironment(bundle.name), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      const processMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`importing the ${bundle.name} bundle failed (exit ${code}): ${stderr.trim()}`));
        return;
      }
      try {
        const { importMs, cpuMs, node } = JSON.parse(stdout) as Omit<ImportSample, 'processMs'>;
        resolve({ importMs, cpuMs, processMs, node });
      } catch {
        reject(new Error(`unexpected output from the ${bundle.name} probe: ${stdout}${stderr}`));
      }
    });
  });
}
