import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { renderGeneratedDocs } from './docs-content';

/** Writes the documents generated from the code: the OpenAPI file and the permission matrix page. */
const written: string[] = [];
for (const [path, content] of Object.entries(renderGeneratedDocs())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), content);
  written.push(path);
  console.log(`wrote ${path}`);
}
// Biome formats Markdown tables: write them as `npm run format` would leave them.
execFileSync('npx', ['biome', 'format', '--write', ...written.filter((path) => path.endsWith('.md'))], {
  stdio: 'ignore',
});
