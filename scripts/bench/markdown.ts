export type Align = 'left' | 'right';

/** A Markdown table with padded columns, readable in a terminal and pasteable into a note. */
export function markdownTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const cell = (text: string, column: number) => {
    const width = widths[column] ?? 3;
    return align[column] === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) => (align[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)))
    .join(' | ')} |`;
  return [
    line(headers),
    rule,
    ...rows.map((row) => line(headers.map((_, column) => row[column] ?? ''))),
  ].join('\n');
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
export const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
export const kib = (bytes: number) => (bytes / 1024).toFixed(1);
export const passFail = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
