// Progress lines and the small text helpers of the n8n scripts: `[n8n-local] ...` lines on stderr
// (silenced by setQuiet), durations, paths as shown to people, the tail of a log file, and the
// first line of an error.
import fs from 'node:fs';
import path from 'node:path';

import { PROJECT_DIR } from './config.mjs';

let quiet = false;
/** Silences the progress lines (errors are still thrown). */
export function setQuiet(value = true) {
	quiet = value;
}
/** Progress lines go to stderr, so the `cli` command's stdout stays the n8n CLI's own. */
export function say(line) {
	if (!quiet) process.stderr.write(`[n8n-local] ${line}\n`);
}
export const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
/** A path as shown to people: relative inside the project, absolute elsewhere. */
export const shown = (file) =>
	file.startsWith(PROJECT_DIR + path.sep) ? path.relative(PROJECT_DIR, file) : file;

/** The last `lines` lines of a file (a note when it cannot be read), to quote in errors. */
export function tail(file, lines = 60) {
	try {
		return fs
			.readFileSync(file, 'utf8')
			.split('\n')
			.slice(-lines - 1)
			.join('\n');
	} catch {
		return `(no ${file})`;
	}
}

/** The first line of an error (or its short form, set by runLogged), for one-line progress notes. */
export const firstLine = (err) => err?.short ?? String(err?.message ?? err).split('\n')[0];
