/** Re-renders the table of a bench result: tsx bench/report.ts [bench-results/latest.json] */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { renderMarkdown, type BenchReport } from './lib/report';

const file = process.argv[2] ?? path.resolve(__dirname, '../bench-results/latest.json');
console.log(renderMarkdown(JSON.parse(readFileSync(file, 'utf8')) as BenchReport));
