// Preloaded into n8n processes by scripts/n8n-local.mjs (NODE_OPTIONS=--require).
//
// n8n's CLI disposes its isolated-vm expression isolates and calls process.exit() at once; the
// native isolate teardown can still be running then, and the process dies with SIGSEGV after its
// work succeeded (measured: `n8n execute` 7 of 44 runs). Letting the event loop run 300 ms before
// the real exit avoids it (0 of 40 runs). The exit code is unchanged.
'use strict';

const realExit = process.exit.bind(process);
let exiting = false;
process.exit = function exitAfterNativeTeardown(code) {
	if (exiting) return;
	exiting = true;
	if (code !== undefined) process.exitCode = code;
	setTimeout(() => realExit(code), 300);
};
