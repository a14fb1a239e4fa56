import { writeFileSync } from 'node:fs';
import { renderGeneratedDocs } from './docs-content';

/** Writes the documents generated from the code: the OpenAPI file and the permission matrix page. */
for (const [path, content] of Object.entries(renderGeneratedDocs())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), content);
  console.log(`wrote ${path}`);
}
