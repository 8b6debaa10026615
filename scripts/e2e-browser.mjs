// Browser checks of the package in a real n8n editor (issue 7, "Browser"), with Debian's chromium
// driven by playwright-core. Never a downloaded browser: ensureChromium() installs Debian's package.
//
//   ensureChromium()            -> '/usr/bin/chromium' (apt-get installs it when missing)
//   runBrowserChecks({ url, email, password, workflowId, credentialId, screenshotsDir, debug })
//                               -> { checks: [{ name, ok, detail }], screenshots: [paths] }
//
// The checks run in order and stop at the first failure (thrown, with a clear message; the
// page at that moment is saved as failure-<check>.png, and with `debug` also as failure-<check>.html).
// A dev driver that starts a throwaway stack and runs them: scripts/e2e-browser-dev.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SCREENSHOTS_DIR = path.join(PROJECT_DIR, 'screenshots');
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The KapitaleOrder node of examples/kapitale-orders-from-sheet.json, and what it must offer. */
export const ORDER_NODE_NAME = 'Create order';
export const ORDER_NODE_TYPE_NAME = 'Kapitale Order';
export const ORDER_OPERATIONS = ['Create', 'Get', 'Get Many', 'Set Invoice', 'Cancel'];
/** The one sandbox credential `npm start` imports (both APIs' parts; scripts/stack.mjs). */
export const CREDENTIAL_NAME = 'Kapitale Sandbox';

const TIMEOUT = 60_000;

/**
 * What users type in n8n's node picker, and the nodes each search must list (issue 22). The
 * words come from the nodes' codex aliases and descriptions; a search that misses fails the stage.
 */
export const PICKER_SEARCHES = {
	Kapitale: ['Kapitale Order', 'Kapitale Company'],
	Credoro: ['Partner Customer', 'Partner Operation', 'City Search', 'Bank Search'],
	Partner: ['Partner Customer', 'Partner Operation', 'City Search', 'Bank Search'],
	lending: ['Partner Customer', 'Partner Operation'],
	empréstimo: ['Partner Operation'],
	crédito: ['Partner Operation'],
	CNPJ: ['Kapitale Company', 'Kapitale Order'],
	order: ['Kapitale Order'],
	invoice: ['Kapitale Order'],
	loan: ['Partner Operation'],
	bank: ['Bank Search'],
	city: ['City Search'],
};
/** The trigger's events, listed in the Kapitale Order entry of the picker (paired by type name). */
export const ORDER_TRIGGER_EVENTS = ['On order approved', 'On order created', 'On order rejected'];
export const PACKAGE_NAME = 'n8n-nodes-kapitale';
export const DOCS_PAGE =
	/^https:\/\/github\.com\/kapitale-community\/n8n-nodes-kapitale\/blob\/main\/docs\/nodes\/[A-Za-z]+\.md$/;

function say(line) {
	process.stderr.write(`▸ ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Chromium

function run(cmd, args) {
	const res = spawnSync(cmd, args, {
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
	});
	if (res.error) throw res.error;
	return res;
}

/** The version apt would install, or undefined when its package lists do not know chromium. */
function aptCandidate() {
	const res = run('apt-cache', ['policy', 'chromium']);
	const match = /Candidate:\s*(\S+)/.exec(res.stdout || '');
	return match && match[1] !== '(none)' ? match[1] : undefined;
}

/**
 * The chromium to drive: /usr/bin/chromium, installed from Debian's package when missing
 * (`apt-get update` only when apt does not know the package or the install fails on stale lists).
 * @returns {Promise<string>} the executable's path
 */
export async function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	const t0 = Date.now();
	const aptOptions = ['-o', 'DPkg::Lock::Timeout=600', '-qq'];
	const update = () => {
		const res = run('apt-get', [...aptOptions, 'update']);
		if (res.status !== 0)
			throw new Error(
				`apt-get update failed (${res.status}):\n${(res.stderr || res.stdout).slice(-2000)}`,
			);
	};
	const install = () =>
		run('apt-get', [...aptOptions, '-y', '--no-install-recommends', 'install', 'chromium']);
	let updated = false;
	let version = aptCandidate();
	if (!version) {
		update();
		updated = true;
		version = aptCandidate();
		if (!version)
			throw new Error('apt knows no "chromium" package (Debian main); cannot install a browser');
	}
	say(`installing Debian's chromium ${version} with apt-get (once)`);
	let res = install();
	if ((res.status !== 0 || !fs.existsSync(CHROMIUM)) && !updated) {
		update(); // the lists may name package files the mirror no longer has
		res = install();
	}
	if (res.status !== 0 || !fs.existsSync(CHROMIUM)) {
		throw new Error(
			`apt-get install chromium failed (${res.status}):\n${(res.stderr || res.stdout).slice(-2000)}`,
		);
	}
	say(`chromium installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	return CHROMIUM;
}

// ---------------------------------------------------------------------------------------------
// Checks

const byTestId = (id) => `[data-test-id="${id}"]`;

/** The visible texts of a locator's elements, trimmed, whitespace collapsed. */
async function texts(locator) {
	return (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/**
 * Archives and deletes workflows (the editor's REST API, from a page of the logged-in context) after
 * closing the pages that edit them, so no autosave brings them back.
 */
async function deleteWorkflows(context, base, ids) {
	for (const open of context.pages())
		if (ids.some((id) => open.url().includes(`/workflow/${id}`))) await open.close();
	let page = context.pages().find((open) => open.url().startsWith(base));
	if (!page) {
		page = await context.newPage();
		await page.goto(`${base}/home/workflows`);
	}
	for (const id of ids) {
		const statuses = await page.evaluate(async (workflowId) => {
			const headers = { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' };
			const options = (method) => ({ method, headers, credentials: 'include' });
			const archived = await fetch(`/rest/workflows/${workflowId}/archive`, options('POST'));
			const deleted = await fetch(`/rest/workflows/${workflowId}`, options('DELETE'));
			return [archived.status, deleted.status];
		}, id);
		if (statuses[1] !== 200)
			throw new Error(`workflow ${id}: archive answered ${statuses[0]}, delete ${statuses[1]}`);
	}
}

/**
 * Node picker: every word of PICKER_SEARCHES lists its nodes; the Kapitale Order entry lists the
 * trigger's events next to its actions (n8n pairs "kapitaleOrderTrigger" with "kapitaleOrder").
 * (The picker's own Docs link of a community node opens its npm page, whatever the node says.)
 */
async function checkPickerSearches({ page, base, shoot }) {
	await page.goto(`${base}/workflow/new`);
	await page
		.locator(`${byTestId('canvas-add-button')}:visible`)
		.first()
		.click();
	const creator = page.locator(byTestId('node-creator'));
	const searchBar = creator.locator(byTestId('node-creator-search-bar'));
	const items = creator.locator(`${byTestId('node-creator-item-name')}:visible`);
	const found = {};
	const misses = [];
	for (const [word, expected] of Object.entries(PICKER_SEARCHES)) {
		await searchBar.fill(word);
		// The list re-renders as the search settles: wait until every expected name shows, or time out.
		const listed = await page
			.waitForFunction(
				(wanted) => {
					const names = [...document.querySelectorAll('[data-test-id="node-creator-item-name"]')]
						.filter((el) => el.offsetParent)
						.map((el) => el.textContent.trim());
					return wanted.every((name) => names.includes(name)) && names;
				},
				expected,
				{ timeout: 5000 },
			)
			.then((handle) => handle.jsonValue())
			.catch(async () => texts(items));
		found[word] = listed;
		const missing = expected.filter((name) => !listed.includes(name));
		if (missing.length)
			misses.push(
				`"${word}" lists ${JSON.stringify(listed.slice(0, 8))}, not ${missing.join(', ')}`,
			);
	}
	if (misses.length) throw new Error(`node picker: ${misses.join('; ')}`);
	await searchBar.fill('crédito');
	await page.waitForTimeout(300);
	await shoot('picker-search.png');
	// The Kapitale Order entry: its triggers (the webhook trigger's events) and its Docs link.
	await searchBar.fill('Kapitale');
	await items
		.filter({ hasText: /^Kapitale Order$/ })
		.first()
		.click();
	const panel = await creator.innerText();
	const noEvents = ORDER_TRIGGER_EVENTS.filter((event) => !panel.includes(event));
	if (noEvents.length)
		throw new Error(
			`the Kapitale Order entry does not list the trigger events ${noEvents.join(', ')}: ${panel.replace(/\s+/g, ' ').slice(0, 300)}`,
		);
	await page.waitForTimeout(300);
	await shoot('picker-kapitale-order.png');
	await page.keyboard.press('Escape');
	return `${Object.keys(PICKER_SEARCHES).length} searches find their nodes (e.g. "empréstimo": ${found['empréstimo'].join(', ')}); Kapitale Order lists ${ORDER_TRIGGER_EVENTS.length} trigger events`;
}

/**
 * Docs links: every node of the package, as the editor loads it (/types/nodes.json), has a
 * documentationUrl and a codex primary documentation on its own page under docs/nodes/, with no "#"
 * (n8n appends "?utm_…" to the link, which would come after a "#" and spoil the jump).
 */
async function checkDocsLinks({ page, base, workflowId }) {
	if (!page.url().startsWith(base)) await page.goto(`${base}/home/workflows`);
	const types = await page.evaluate(async () => {
		const headers = { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' };
		const answer = await fetch('/types/nodes.json', { headers, credentials: 'include' });
		return await answer.json();
	});
	const ours = (Array.isArray(types) ? types : (types.data ?? [])).filter(
		(type) => type.name.startsWith(`${PACKAGE_NAME}.`) && !type.name.endsWith('Tool'),
	);
	if (ours.length < 7) throw new Error(`the editor knows ${ours.length} nodes of the package`);
	const wrong = [];
	const pages = new Set();
	for (const type of ours) {
		const links = [
			type.documentationUrl,
			...(type.codex?.resources?.primaryDocumentation ?? []).map((doc) => doc.url),
		];
		if (
			links.length < 2 ||
			links.some((link) => !link || link.includes('#') || !DOCS_PAGE.test(link))
		)
			wrong.push(`${type.displayName}: ${JSON.stringify(links)}`);
		for (const link of links) if (link) pages.add(link.split('/').at(-1));
	}
	if (wrong.length)
		throw new Error(`Docs links not on a docs/nodes page, or with "#": ${wrong.join('; ')}`);
	// What the node panel's Docs link opens (n8n adds "?utm_…"); window.open is recorded, not run.
	await page.goto(`${base}/workflow/${encodeURIComponent(workflowId)}`);
	const node = page.locator(`${byTestId('canvas-node')}[data-node-name="${ORDER_NODE_NAME}"]`);
	await node.waitFor({ state: 'visible' });
	await node.dblclick();
	const ndv = page.locator(byTestId('ndv'));
	await ndv.waitFor({ state: 'visible' });
	await page.evaluate(() => {
		window.__openedDocs = [];
		window.open = (address) => {
			window.__openedDocs.push(String(address));
			return null;
		};
	});
	const link = ndv.locator('a', { hasText: /^\s*Docs\s*$/ }).first();
	const href = await link.getAttribute('href');
	// Followed, the link would leave the editor: the click is recorded and cancelled.
	await link.evaluate((element) =>
		element.addEventListener('click', (event) => event.preventDefault(), { once: true }),
	);
	await link.click();
	const opened = [href, ...(await page.evaluate(() => window.__openedDocs))].filter(Boolean);
	await ndv.locator(byTestId('ndv-close-button')).click();
	await ndv.waitFor({ state: 'hidden' });
	const bad = (address) => address.includes('#') || !DOCS_PAGE.test(address.split('?')[0]);
	if (!opened.length || opened.some(bad))
		throw new Error(`the Kapitale Order panel's Docs link opens ${JSON.stringify(opened)}`);
	return `${ours.length} nodes link their own page (${[...pages].sort().join(', ')}), no "#"; the node panel's Docs opens ${opened.at(-1)}`;
}

/**
 * Runs the browser checks against a running n8n that has the package, the example workflow
 * `workflowId` and the sandbox credential `credentialId`.
 * @param {{url: string, email: string, password: string, workflowId: string, credentialId: string,
 *   screenshotsDir?: string, debug?: boolean, timeoutMs?: number}} options
 *   debug: also save the page's HTML on failure (failure-<check>.html) and print the browser console.
 * @returns {Promise<{checks: {name: string, ok: boolean, detail: string}[], screenshots: string[]}>}
 */
export async function runBrowserChecks({
	url,
	email,
	password,
	workflowId,
	credentialId,
	screenshotsDir = DEFAULT_SCREENSHOTS_DIR,
	debug = process.argv.includes('--debug'),
	timeoutMs = TIMEOUT,
}) {
	for (const [key, value] of Object.entries({ url, email, password, workflowId, credentialId })) {
		if (!value) throw new Error(`runBrowserChecks: ${key} is required`);
	}
	const base = url.replace(/\/+$/, '');
	fs.mkdirSync(screenshotsDir, { recursive: true });
	const executablePath = await ensureChromium();
	const { chromium } = await import('playwright-core');

	const checks = [];
	const screenshots = [];
	const createdWorkflows = new Set();
	const consoleLines = [];
	const userDataDir = fs.mkdtempSync(path.join(tmpdir(), 'kapitale-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
		colorScheme: 'light',
	});
	context.setDefaultTimeout(timeoutMs);
	context.setDefaultNavigationTimeout(timeoutMs);
	let page = context.pages()[0] ?? (await context.newPage());
	const watch = (p) => p.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
	watch(page);

	const shoot = async (name, target = page) => {
		const file = path.join(screenshotsDir, name);
		await target.screenshot({ path: file });
		screenshots.push(file);
		return file;
	};

	/** Runs one check; on failure saves the page and throws "browser check <name> failed: ...". */
	const check = async (name, fn) => {
		const t0 = Date.now();
		try {
			const detail = await fn();
			checks.push({
				name,
				ok: true,
				detail: `${detail} (${((Date.now() - t0) / 1000).toFixed(1)}s)`,
			});
		} catch (error) {
			const message = String(error?.message ?? error).split('\n')[0];
			checks.push({ name, ok: false, detail: message });
			const saved = [];
			try {
				saved.push(await shoot(`failure-${name}.png`));
				if (debug) {
					const html = path.join(screenshotsDir, `failure-${name}.html`);
					fs.writeFileSync(html, await page.content());
					saved.push(html);
				}
			} catch {
				// the page may be gone
			}
			if (debug && consoleLines.length)
				process.stderr.write(
					`--- browser console (last 30) ---\n${consoleLines.slice(-30).join('\n')}\n`,
				);
			const err = new Error(
				`browser check "${name}" failed at ${page.url()}: ${error?.message ?? error}${saved.length ? `\n(saved: ${saved.join(', ')})` : ''}`,
			);
			err.checks = checks;
			err.screenshots = screenshots;
			throw err;
		}
	};

	try {
		// 1. Log in and open the example workflow; wait until the canvas shows its nodes.
		await check('open-workflow', async () => {
			await page.goto(`${base}/signin`);
			await page.locator('input[name="emailOrLdapLoginId"]').fill(email);
			await page.locator('input[name="password"]').fill(password);
			await page.locator(byTestId('form-submit-button')).click();
			await page
				.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: timeoutMs })
				.catch(async () => {
					const shown = await page
						.locator('.el-notification, [role="alert"]')
						.allInnerTexts()
						.catch(() => []);
					throw new Error(
						`login as ${email} did not leave the sign-in page${shown.length ? `: ${shown.join(' / ')}` : ''}`,
					);
				});
			await page.goto(`${base}/workflow/${encodeURIComponent(workflowId)}`);
			const orderNode = page.locator(
				`${byTestId('canvas-node')}[data-node-name="${ORDER_NODE_NAME}"]`,
			);
			await orderNode.waitFor({ state: 'visible' });
			const names = await page
				.locator(byTestId('canvas-node'))
				.evaluateAll((els) => els.map((el) => el.getAttribute('data-node-name')));
			// Node icons and edges render a moment after the nodes: wait for the icons, then settle.
			await page.waitForFunction(
				() =>
					[...document.querySelectorAll('[data-test-id="canvas-node"] img')].every(
						(img) => img.complete && img.naturalWidth > 0,
					),
				undefined,
				{ timeout: timeoutMs },
			);
			// A tab of an earlier run may still hold the workflow's edit lock ("Editing in another tab").
			const editHere = page.getByRole('button', { name: 'Edit here', exact: true });
			if (
				await editHere.waitFor({ state: 'visible', timeout: 2000 }).then(
					() => true,
					() => false,
				)
			) {
				await editHere.click();
				await editHere.waitFor({ state: 'hidden' });
			}
			await page.mouse.move(5, 895); // no hover effects in the picture
			await page.waitForTimeout(1000);
			await shoot('editor-workflow.png');
			return `logged in as ${email}; workflow ${workflowId} shows ${names.length} nodes (${names.join(', ')})`;
		});

		// 2. The KapitaleOrder node's Operation dropdown lists every operation.
		await check('order-operations', async () => {
			await page
				.locator(`${byTestId('canvas-node')}[data-node-name="${ORDER_NODE_NAME}"]`)
				.dblclick();
			const ndv = page.locator(byTestId('ndv'));
			await ndv.waitFor({ state: 'visible' });
			const operation = ndv.locator(byTestId('parameter-input-operation'));
			await operation.click();
			const items = page.locator(`.el-select-dropdown:visible ${byTestId('parameter-input-item')}`);
			await items.first().waitFor({ state: 'visible' });
			const names = await items.evaluateAll((els) =>
				els.map((el) =>
					(
						el.querySelector('.option-headline, [class*="headline"]') ??
						el.firstElementChild ??
						el
					).textContent.trim(),
				),
			);
			const missing = ORDER_OPERATIONS.filter((op) => !names.includes(op));
			if (missing.length)
				throw new Error(`Operation lists ${JSON.stringify(names)}; missing ${missing.join(', ')}`);
			await page.waitForTimeout(300); // the dropdown's open animation
			await shoot('node-operations.png');
			// Leave the example as it was (n8n saves edits on its own): close the list and the node.
			await page.keyboard.press('Escape');
			await items.first().waitFor({ state: 'hidden' });
			await ndv.locator(byTestId('ndv-close-button')).click();
			await ndv.waitFor({ state: 'hidden' });
			return `Operation lists ${names.join(', ')}`;
		});

		// 3. A new Kapitale Order node (Get, in a new workflow: n8n saves edits on its own, and the
		//    example must stay as it is): its Order resource locator (From List) lists the sandbox's
		//    orders, and its search box filters them. The new workflow is deleted afterwards.
		await check('order-list-search', async () => {
			const ndv = await addNewNode(
				page,
				base,
				createdWorkflows,
				ORDER_NODE_TYPE_NAME,
				'Get an order',
			);
			// n8n preselects a credential of the type; make it the sandbox one.
			await selectCredential(page, ndv, CREDENTIAL_NAME);
			const operation = await ndv
				.locator(`${byTestId('parameter-input-operation')} input`)
				.inputValue();
			if (operation !== 'Get')
				throw new Error(`the new node's Operation is "${operation}", expected "Get"`);
			const locator = ndv.locator(byTestId('resource-locator-orderId'));
			await locator.waitFor({ state: 'visible' });
			const mode = await locator
				.locator(`${byTestId('rlc-mode-selector')} input`)
				.inputValue()
				.catch(() => '');
			if (mode && !/^from list$/i.test(mode))
				throw new Error(`the Order field's mode is "${mode}", expected "From List"`);
			await locator.locator(byTestId('rlc-input')).click();
			const search = page.locator(`${byTestId('rlc-search')}:visible`);
			await search.waitFor({ state: 'visible' });
			const rows = page.locator(`${byTestId('rlc-item')}:visible`);
			await rows
				.first()
				.waitFor({ state: 'visible' })
				.catch(async () => {
					const error = await page
						.locator(`${byTestId('rlc-error-container')}:visible`)
						.allInnerTexts()
						.catch(() => []);
					throw new Error(
						`the Order list shows no orders${error.length ? `; error: ${error.join(' ').replace(/\s+/g, ' ')}` : ''}`,
					);
				});
			const labels = await texts(rows);
			const orderLabel = /^ORD-\S+ – [^–]+ – (.+)$/;
			const good = labels.filter((label) => orderLabel.test(label));
			if (!good.length)
				throw new Error(
					`no row looks like "ORD-… – status – retail": ${JSON.stringify(labels.slice(0, 5))}`,
				);
			await page.waitForTimeout(300);
			await shoot('order-list-search.png');
			// The search box filters through the node's searchOrders method.
			const retail = orderLabel.exec(good.at(-1))[1];
			await search.fill(retail);
			await page
				.waitForFunction(
					(wanted) => {
						const found = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter(
							(el) => el.offsetParent,
						);
						return found.length > 0 && found.every((el) => el.textContent.includes(wanted));
					},
					retail,
					{ timeout: timeoutMs },
				)
				.catch(async () => {
					throw new Error(
						`searching "${retail}" shows ${JSON.stringify((await texts(rows)).slice(0, 5))}`,
					);
				});
			const filtered = (await texts(rows)).length;
			return `${good.length} orders listed, e.g. "${good[0]}"; searching "${retail}" leaves ${filtered}`;
		});

		// 4. What users type in the node picker finds the package's nodes; the trigger pairs with
		//    Kapitale Order; Docs links are pages under docs/nodes/ without "#".
		await check('node-picker-search', () => checkPickerSearches({ page, base, shoot }));
		await check('docs-links', () => checkDocsLinks({ page, base, workflowId }));

		// 5. The sandbox credential's test succeeds (a fresh page: the edited workflow stays unsaved).
		//    n8n tests a saved credential as its dialog opens, often before any wait could start, so
		//    the check records every answer to POST /rest/credentials/test from before the page loads
		//    and waits for the dialog's state ("Connection tested successfully"), not for a request.
		//    Only when no result shows does it run the test itself (Retry, or Save) and wait again.
		await check('credential-test', async () => {
			page = await context.newPage();
			watch(page);
			const isTest = (res) =>
				res.request().method() === 'POST' &&
				new URL(res.url()).pathname.endsWith('/rest/credentials/test');
			const answers = [];
			page.on('response', (res) => {
				if (isTest(res)) answers.push(res.json().catch(() => undefined));
			});
			await page.goto(`${base}/home/credentials/${encodeURIComponent(credentialId)}`);
			const dialog = page.locator(byTestId('credential-edit-dialog'));
			await dialog.waitFor({ state: 'visible' });
			const nameField = page.locator(`${byTestId('credential-name')}:visible`).first();
			await nameField.waitFor({ state: 'visible' });
			const name = (
				(await nameField.getAttribute('title')) || (await nameField.innerText())
			).trim();
			if (name !== CREDENTIAL_NAME)
				throw new Error(
					`credential ${credentialId} is named "${name}", expected "${CREDENTIAL_NAME}"`,
				);
			const success = dialog.locator(byTestId('credentials-config-container-test-success'));
			const retry = dialog.getByRole('button', { name: /^(Retry|Test)/ });
			const failure = async (how) => {
				const shown = await dialog
					.locator('[class*="callout"], [role="alert"]')
					.allInnerTexts()
					.catch(() => []);
				return new Error(
					`no "Connection tested successfully" ${how}${shown.length ? `; the dialog says: ${shown.join(' / ').replace(/\s+/g, ' ')}` : ''}`,
				);
			};
			// The test started by the dialog itself: its result, or a Retry button after a failure.
			await Promise.race([
				success.waitFor({ state: 'visible', timeout: timeoutMs }),
				retry.first().waitFor({ state: 'visible', timeout: timeoutMs }),
			]).catch(() => {});
			let how = 'as the dialog opened';
			if (!(await success.isVisible())) {
				const before = answers.length;
				if (await retry.count()) {
					await retry.first().click();
					how = 'after Retry';
				} else {
					await dialog.locator(byTestId('credential-save-button')).click();
					how = 'after Save';
				}
				await success.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
					throw await failure(how);
				});
				if (answers.length === before)
					throw new Error(
						`the dialog shows a result ${how}, but n8n was not asked (no POST /rest/credentials/test)`,
					);
			}
			const results = (await Promise.all(answers)).map((answer) => answer?.data ?? answer);
			const result = results.at(-1);
			if (result?.status !== 'OK')
				throw new Error(`n8n's credential test answered ${JSON.stringify(results)} ${how}`);
			const message = (await success.innerText()).replace(/\s+/g, ' ').trim();
			if (!/Connection tested successfully/i.test(message))
				throw new Error(`the success callout says "${message}"`);
			await page.mouse.move(5, 895);
			await shoot('credential-test.png');
			return `"${CREDENTIAL_NAME}": Connection tested successfully ${how} (n8n: ${result.status}${result.message ? `, ${result.message}` : ''})`;
		});

		// 5. Issue 22: new nodes of both APIs run with the pre-selected credential; a credential
		//    lacking the node's part says so; the credential form (screenshots).
		page = await context.newPage();
		watch(page);
		await runCredentialPickChecks({ page, base, check, shoot, createdWorkflows, timeoutMs });
	} finally {
		if (createdWorkflows.size)
			await deleteWorkflows(context, base, [...createdWorkflows]).catch((error) =>
				say(`could not delete the test workflow: ${error.message}`),
			);
		await context.close().catch(() => {});
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	return { checks, screenshots };
}

// ---------------------------------------------------------------------------------------------
// Issue 22: the right credential every time

/** A credential with only the partner part: a Kapitale node must refuse it before sending. */
export const PARTNER_ONLY_CREDENTIAL = 'Partner Only (e2e)';

/** The editor's REST API, from the logged-in page (n8n wants the browser id with the cookie). */
async function editorRest(page, method, urlPath, body) {
	return await page.evaluate(
		async ({ method, urlPath, body }) => {
			const headers = { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' };
			if (body !== undefined) headers['content-type'] = 'application/json';
			const answer = await fetch(`/rest${urlPath}`, {
				method,
				headers,
				credentials: 'include',
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await answer.text();
			let data;
			try {
				data = JSON.parse(text);
			} catch {
				data = text;
			}
			return { status: answer.status, data: data?.data ?? data };
		},
		{ method, urlPath, body },
	);
}

/**
 * In a new workflow, adds the node `typeName` through the node picker with its action
 * `actionName`, and leaves its panel open. Returns the panel.
 */
async function addNewNode(page, base, createdWorkflows, typeName, actionName) {
	await page.goto(`${base}/workflow/new`);
	await page
		.locator(`${byTestId('canvas-add-button')}:visible`)
		.first()
		.click();
	const creator = page.locator(byTestId('node-creator'));
	await creator.locator(byTestId('node-creator-search-bar')).fill(typeName);
	await creator
		.locator(`${byTestId('node-creator-item-name')}:visible`, {
			hasText: new RegExp(`^${typeName}$`),
		})
		.first()
		.click();
	// On an empty workflow the picker opens on triggers: a node paired with a trigger (Kapitale
	// Order) lists the trigger's events first and folds its actions.
	const action = creator.getByText(actionName, { exact: true });
	const folded = creator.getByText(/^Actions \(\d+\)$/).first();
	await action.or(folded).first().waitFor({ state: 'visible' });
	if (!(await action.isVisible())) await folded.click();
	await action.click();
	const ndv = page.locator(byTestId('ndv'));
	await ndv.waitFor({ state: 'visible' });
	const created = /\/workflow\/([^/?#]+)/.exec(page.url())?.[1];
	if (created && created !== 'new') createdWorkflows.add(created);
	return ndv;
}

/** Picks the credential `name` in the open panel, unless it is already the one shown. */
async function selectCredential(page, ndv, name) {
	const select = ndv.locator(byTestId('node-credentials-select'));
	await select.waitFor({ state: 'visible' });
	if ((await select.locator('input').inputValue()) === name) return;
	await select.click();
	await page.locator('.el-select-dropdown:visible li', { hasText: name }).first().click();
	if ((await select.locator('input').inputValue()) !== name)
		throw new Error(`could not select the credential "${name}"`);
}

/** The credential the panel shows, as n8n pre-selected it (nothing is picked here). */
async function shownCredential(ndv) {
	const select = ndv.locator(byTestId('node-credentials-select'));
	await select.waitFor({ state: 'visible' });
	return await select.locator('input').inputValue();
}

/** Runs the node from its panel; returns { items } or { error } as the output panel shows it. */
async function executeInPanel(page, ndv, timeoutMs) {
	await ndv.locator(byTestId('node-execute-button')).first().click();
	const output = ndv
		.locator(`${byTestId('output-panel')}, ${byTestId('ndv-output-panel')}`)
		.first();
	const count = output.locator(byTestId('ndv-items-count'));
	const error = output.locator(byTestId('node-error-message'));
	await Promise.race([
		count.first().waitFor({ state: 'visible', timeout: timeoutMs }),
		error.first().waitFor({ state: 'visible', timeout: timeoutMs }),
	]).catch(() => {});
	if (await error.first().isVisible())
		return { error: (await error.first().innerText()).replace(/\s+/g, ' ').trim() };
	if (await count.first().isVisible())
		return { items: (await count.first().innerText()).replace(/\s+/g, ' ').trim() };
	const shown = (await output.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
	throw new Error(`the output panel shows neither items nor an error: "${shown.slice(0, 300)}"`);
}

async function closePanel(page, ndv) {
	await page.keyboard.press('Escape');
	await ndv.waitFor({ state: 'hidden' }).catch(async () => {
		await ndv.locator(byTestId('ndv-close-button')).click();
		await ndv.waitFor({ state: 'hidden' });
	});
}

/** Every placeholder of the credential dialog's visible inputs, with its field label. */
async function dialogPlaceholders(dialog) {
	return await dialog
		.locator('input:visible')
		.evaluateAll((inputs) => inputs.map((input) => input.getAttribute('placeholder') ?? ''));
}

/**
 * Issue 22, item 1: with the sandbox credential present, new Kapitale and partner nodes run
 * without the user picking a credential; a credential lacking the node's part shows the error
 * that names it; the credential form shows both parts under their headings, and loopback
 * placeholders only for Custom. Adds its results through the caller's `check`.
 */
export async function runCredentialPickChecks({
	page,
	base,
	check,
	shoot,
	createdWorkflows,
	timeoutMs,
}) {
	await check('credential-pick-new-nodes', async () => {
		const results = [];
		for (const [typeName, action, fill] of [
			['Kapitale Order', 'Get many orders', undefined],
			['Bank Search', 'Search banks by name or COMPE code', ['query', '237']],
		]) {
			const ndv = await addNewNode(page, base, createdWorkflows, typeName, action);
			const credential = await shownCredential(ndv);
			if (credential !== CREDENTIAL_NAME)
				throw new Error(`a new ${typeName} node got the credential "${credential}"`);
			if (fill) {
				const input = ndv.locator(`${byTestId(`parameter-input-${fill[0]}`)} input`).first();
				await input.fill(fill[1]);
				await input.blur();
			}
			const outcome = await executeInPanel(page, ndv, timeoutMs);
			if (outcome.error) throw new Error(`${typeName} failed: ${outcome.error}`);
			await page.mouse.move(5, 895);
			await shoot(`credential-pick-${typeName.toLowerCase().replace(/\s+/g, '-')}.png`);
			results.push(`${typeName}: "${credential}" pre-selected, ${outcome.items}`);
			await closePanel(page, ndv);
		}
		return results.join('; ');
	});

	let partnerOnlyId;
	try {
		await check('credential-missing-part', async () => {
			const created = await editorRest(page, 'POST', '/credentials', {
				name: PARTNER_ONLY_CREDENTIAL,
				type: 'kapitaleApi',
				// Production: the Kapitale node must fail on the missing client alone, sending nothing.
				data: { environment: 'production', bearerToken: 'partner-only-token' },
			});
			if (created.status !== 200)
				throw new Error(`creating "${PARTNER_ONLY_CREDENTIAL}": HTTP ${created.status}`);
			partnerOnlyId = created.data.id;
			const ndv = await addNewNode(
				page,
				base,
				createdWorkflows,
				'Kapitale Order',
				'Get many orders',
			);
			await selectCredential(page, ndv, PARTNER_ONLY_CREDENTIAL);
			const outcome = await executeInPanel(page, ndv, timeoutMs);
			const expected = new RegExp(
				`needs the Kapitale Client ID and Client Secret; credential '${PARTNER_ONLY_CREDENTIAL.replace(/[()]/g, '\\$&')}' holds only the partner token`,
			);
			if (!outcome.error || !expected.test(outcome.error))
				throw new Error(
					`with "${PARTNER_ONLY_CREDENTIAL}" the node shows ${outcome.error ? `the error "${outcome.error}"` : outcome.items}`,
				);
			await page.mouse.move(5, 895);
			await shoot('credential-missing-part.png');
			await closePanel(page, ndv);
			return `"${outcome.error}"`;
		});
	} finally {
		if (partnerOnlyId) await editorRest(page, 'DELETE', `/credentials/${partnerOnlyId}`);
	}

	await check('credential-form', async () => {
		const ndv = await addNewNode(page, base, createdWorkflows, 'Kapitale Order', 'Get many orders');
		const select = ndv.locator(byTestId('node-credentials-select'));
		await select.click();
		await page.getByText('Create new credential', { exact: true }).first().click();
		const dialog = page.locator(byTestId('credential-edit-dialog'));
		await dialog.waitFor({ state: 'visible' });
		const text = (await dialog.innerText()).replace(/\s+/g, ' ');
		for (const heading of ['Kapitale', 'Partner lending API (Credoro)'])
			if (!text.includes(heading)) throw new Error(`the form has no "${heading}" heading`);
		const seen = {};
		for (const environment of ['Production', 'Sandbox', 'Custom']) {
			const field = dialog.locator(byTestId('parameter-input-environment'));
			await field.click();
			await page
				.locator('.el-select-dropdown:visible li', { hasText: new RegExp(`^${environment}`) })
				.first()
				.click();
			await page.waitForTimeout(300);
			const placeholders = await dialogPlaceholders(dialog);
			const loopback = placeholders.filter((placeholder) => placeholder.includes('127.0.0.1'));
			if (environment !== 'Custom' && loopback.length)
				throw new Error(`${environment} shows loopback placeholders: ${loopback.join(', ')}`);
			if (environment === 'Custom' && loopback.length < 3)
				throw new Error(`Custom shows ${loopback.length} URL placeholders, expected 3`);
			seen[environment] = loopback.length;
			await page.mouse.move(5, 895);
			// The form scrolls inside the dialog: one picture of its top, one of its end.
			const scrolled = async (to) =>
				await dialog.evaluate((element, end) => {
					for (const box of element.querySelectorAll('*'))
						if (
							box.scrollHeight > box.clientHeight + 4 &&
							getComputedStyle(box).overflowY !== 'visible'
						)
							box.scrollTop = end ? box.scrollHeight : 0;
				}, to);
			await scrolled(false);
			await shoot(`credential-form-${environment.toLowerCase()}.png`);
			await scrolled(true);
			await page.waitForTimeout(200);
			await shoot(`credential-form-${environment.toLowerCase()}-end.png`);
			await scrolled(false);
		}
		// Leave without saving.
		await page.keyboard.press('Escape');
		const discard = page.getByRole('button', { name: /^(Close|Discard|Leave without saving)/ });
		if (
			await discard
				.first()
				.isVisible()
				.catch(() => false)
		)
			await discard.first().click();
		return `both headings shown; loopback placeholders: Production ${seen.Production}, Sandbox ${seen.Sandbox}, Custom ${seen.Custom}`;
	});
}
