// The sandbox console: plain JavaScript over the control API (/__sandbox), the same API the tests
// use. Nothing here decides what is allowed: every button comes from the `actions` the control API
// lists for the record, and every refusal shows the API's own message.
'use strict';

(function () {
	const API = '/__sandbox';
	const REFRESH_MS = 3000;
	const ORDER_STATUSES = [
		'pending',
		'approved',
		'rejected',
		'pending_invoice',
		'invoice_sent',
		'paid',
		'cancelled',
	];
	const ORDER_ACTION_LABELS = {
		approve: 'Approve',
		reject: 'Reject',
		'pending-invoice': 'Ask for invoice',
		pay: 'Mark paid',
		cancel: 'Cancel',
	};
	const DANGER = new Set(['reject', 'cancel', 'cancelado', 'reprovado']);
	const SERVICE_LABELS = {
		kapitale: 'Kapitale orders API',
		partner: 'Partner lending API',
		token: 'Kapitale token endpoint',
		all: 'Every API',
	};
	/** Plain-language fault presets: each one documented rule of sandbox/README.md › Faults. */
	const FAULT_PRESETS = [
		{
			id: 'fail-once',
			label: 'Each request fails once with 503, its retry passes',
			rule: { errorRate: 1, errorStatus: 503, maxConsecutive: 1 },
		},
		{
			id: 'errors-503',
			label: 'Half of the requests fail with 503 Service Unavailable',
			rule: { errorRate: 0.5, errorStatus: 503 },
		},
		{
			id: 'errors-500',
			label: '1 in 5 requests fails with 500 after the server acted',
			rule: { errorRate: 0.2, errorStatus: 500 },
		},
		{
			id: 'rate-limit',
			label: 'Half of the requests are rate limited: 429 with Retry-After 2 s',
			rule: { rateLimitRate: 0.5, retryAfterSeconds: 2 },
		},
		{ id: 'latency', label: 'Every answer is 1.5 s late', rule: { latencyMs: 1500 } },
		{
			id: 'reset',
			label: '3 in 10 connections are cut before an answer',
			rule: { resetRate: 0.3 },
		},
		{
			id: 'truncate',
			label: '1 in 5 answers is cut in the middle of its body',
			rule: { truncateRate: 0.2 },
		},
		{
			id: 'html-502',
			label: '3 in 10 requests get an nginx HTML 502 page',
			rule: { htmlErrorRate: 0.3 },
		},
		{
			id: 'token-expiry',
			label: 'Kapitale tokens expire after 3 requests',
			rule: { tokenExpiresAfterRequests: 3 },
		},
		{
			id: 'down',
			label: 'Down: every request fails with 503',
			rule: { errorRate: 1, errorStatus: 503 },
		},
	];

	const $ = (sel) => document.querySelector(sel);
	const state = {
		tab: 'overview',
		limits: { orders: 50, customers: 50, operations: 50 },
		transitions: null,
	};

	// ------------------------------------------------------------------ helpers
	function esc(v) {
		return String(v ?? '').replace(
			/[&<>"']/g,
			(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
		);
	}
	const brl = (n) =>
		Number(n).toLocaleString('pt-BR', { style: 'currency', currency: 'BRL' }).replace(/\s/g, ' ');
	function when(v) {
		if (v === undefined || v === null || v === '') return '';
		const d = typeof v === 'number' ? new Date(v < 1e11 ? v * 1000 : v) : new Date(v);
		if (Number.isNaN(d.getTime())) return esc(v);
		const pad = (x) => String(x).padStart(2, '0');
		return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
	}
	function taxId(v) {
		const s = String(v ?? '');
		if (/^\d{11}$/.test(s)) return s.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4');
		if (/^[0-9A-Z]{14}$/.test(s))
			return s.replace(/(.{2})(.{3})(.{3})(.{4})(.{2})/, '$1.$2.$3/$4-$5');
		return s;
	}
	const badge = (text, cls) => `<span class="badge ${esc(cls)}">${esc(text)}</span>`;

	async function api(method, path, body) {
		const res = await fetch(API + path, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const err = new Error((json && json.message) || `HTTP ${res.status}`);
			err.status = res.status;
			throw err;
		}
		return json;
	}

	let flashTimer;
	function flash(message, kind = 'ok') {
		const el = $('#flash');
		el.textContent = message;
		el.className = `flash show ${kind}`;
		el.dataset.kind = kind;
		clearTimeout(flashTimer);
		flashTimer = setTimeout(() => (el.className = 'flash'), kind === 'error' ? 9000 : 5000);
	}

	/** Runs a change, reports it, refreshes what is on screen. */
	async function act(fn, success) {
		try {
			const out = await fn();
			if (success) flash(typeof success === 'function' ? success(out) : success, 'ok');
		} catch (e) {
			flash(`Refused: ${e.message}`, 'error');
		}
		await refresh();
	}

	// ------------------------------------------------------------------ tabs
	function showTab(name) {
		state.tab = name;
		for (const b of document.querySelectorAll('#tabs button'))
			b.setAttribute('aria-selected', String(b.dataset.tab === name));
		for (const s of document.querySelectorAll('section.tab')) s.hidden = s.id !== `tab-${name}`;
		if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
		refresh();
	}

	// ------------------------------------------------------------------ header
	async function renderHeader() {
		const [counts, lc] = await Promise.all([api('GET', '/counts'), api('GET', '/lifecycle')]);
		$('#counts').innerHTML =
			`<span>${counts.orders} orders</span><span>${counts.customers} customers</span><span>${counts.operations} operations</span>`;
		$('#lifecycle-badge').innerHTML = lc.enabled
			? badge(`automatic lifecycle on · every ${lc.intervalSeconds} s`, 'on')
			: badge('automatic lifecycle off', 'off');
		return lc;
	}

	// ------------------------------------------------------------------ overview
	let connectionShown = false;
	async function renderOverview(lc) {
		const enabled = $('#lifecycle-enabled');
		const interval = $('#lifecycle-interval');
		if (document.activeElement !== enabled && document.activeElement !== interval) {
			enabled.checked = lc.enabled;
			interval.value = lc.intervalSeconds;
		}
		$('#lifecycle-next').textContent = lc.enabled
			? `Next automatic step at ${when(lc.nextStepAt)}.`
			: 'Off: records move only when you press a button (or “One step now”).';
		$('#lifecycle-moves').innerHTML = lc.moves.length
			? lc.moves
					.slice(0, 12)
					.map(
						(m) =>
							`<li><span class="when">${when(m.at)}</span> ${esc(m.kind)} <b>${esc(m.label)}</b>: ${esc(m.from)} → <b>${esc(m.to)}</b></li>`,
					)
					.join('')
			: '<li class="hint">No automatic moves yet.</li>';
		if (!connectionShown) {
			const info = await api('GET', '/info');
			const c = info.credentials;
			const rows = [
				['Kapitale API base URL', info.kapitaleBaseUrl],
				['Kapitale token URL', info.tokenUrl],
				['Client ID', c.clientId],
				['Client secret', c.clientSecret],
				['Partner API base URL', info.partnerBaseUrl],
				['Partner bearer token', c.bearerToken],
				['Partner hash id', c.partnerHashId],
				['Partner user hash id', c.userHashId],
				['Control API', info.controlUrl],
			];
			$('#connection').innerHTML = rows
				.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`)
				.join('');
			connectionShown = true;
		}
	}

	// ------------------------------------------------------------------ lists
	function more(kind, total, shown) {
		$(`#${kind}-more`).innerHTML =
			total > shown
				? `Showing ${shown} of ${total}. <button type="button" data-more="${kind}">Show more</button>`
				: `${total} shown.`;
	}

	async function renderOrders() {
		const q = new URLSearchParams({ limit: String(state.limits.orders) });
		if ($('#orders-search').value.trim()) q.set('search', $('#orders-search').value.trim());
		if ($('#orders-status').value) q.set('status', $('#orders-status').value);
		const { total, items } = await api('GET', `/orders?${q}`);
		$('#orders-body').innerHTML =
			items
				.map(
					(o) => `<tr data-id="${esc(o.id)}" data-order-no="${esc(o.order_no)}">
	<td><b>${esc(o.order_no)}</b><div class="id">${esc(o.id)}</div></td>
	<td>${esc(o.retail.name)}<div class="id">${esc(taxId(o.retail.cnpj))}</div></td>
	<td class="num">${brl(o.requested_amount)}</td>
	<td data-field="order_status">${badge(o.order_status, o.order_status)}</td>
	<td data-field="payment_status">${badge(o.payment_status, `pay-${o.payment_status}`)}</td>
	<td class="when">${when(o.created_at)}</td>
	<td class="actions">${
		o.actions
			.map(
				(a) =>
					`<button type="button" class="${DANGER.has(a) ? 'danger' : ''}" data-order="${esc(o.id)}" data-action="${esc(a)}">${esc(ORDER_ACTION_LABELS[a] || a)}</button>`,
			)
			.join('') || '<span class="hint">final</span>'
	}</td>
</tr>`,
				)
				.join('') || '<tr><td colspan="7" class="empty">No order matches.</td></tr>';
		more('orders', total, items.length);
	}

	async function renderCustomers() {
		const q = new URLSearchParams({ limit: String(state.limits.customers) });
		if ($('#customers-search').value.trim()) q.set('search', $('#customers-search').value.trim());
		const { total, items } = await api('GET', `/customers?${q}`);
		$('#customers-body').innerHTML =
			items
				.map(
					(c) => `<tr data-id="${esc(c.id)}">
	<td><b>${esc(c.name)}</b>${c.company_name ? `<div>${esc(c.company_name)}</div>` : ''}<div class="id">${esc(c.id)}</div></td>
	<td>${esc(c.person_type)}</td>
	<td>${esc(taxId(c.tax_id))}</td>
	<td data-field="term_accept">${c.term_accept ? badge('accepted', 'paid') : badge('not accepted', 'pending')}</td>
	<td class="when">${when(c.created_at)}</td>
	<td class="actions">${
		c.actions.includes('accept-terms')
			? `<button type="button" data-customer="${esc(c.id)}" data-action="accept-terms">Accept the terms</button>`
			: ''
	}</td>
</tr>`,
				)
				.join('') || '<tr><td colspan="6" class="empty">No customer matches.</td></tr>';
		more('customers', total, items.length);
	}

	async function renderOperations() {
		if (!state.transitions) state.transitions = await api('GET', '/transitions');
		const names = Object.fromEntries(
			state.transitions.operationStatuses.map((s) => [s.slug, s.name]),
		);
		const q = new URLSearchParams({ limit: String(state.limits.operations) });
		if ($('#operations-search').value.trim()) q.set('search', $('#operations-search').value.trim());
		if ($('#operations-status').value) q.set('status', $('#operations-status').value);
		const { total, items } = await api('GET', `/operations?${q}`);
		$('#operations-body').innerHTML =
			items
				.map(
					(o) => `<tr data-id="${esc(o.id)}">
	<td class="when"><code>${esc(o.id)}</code></td>
	<td>${esc(o.customer_name)}</td>
	<td>${esc(o.description)}</td>
	<td class="num">${brl(o.amount)}</td>
	<td class="num">${esc(o.installment)}×</td>
	<td data-field="status">${badge(o.status_name, `op-${o.status_slug}`)}</td>
	<td class="when">${when(o.created_at)}</td>
	<td class="actions">${
		o.actions
			.map(
				(s) =>
					`<button type="button" class="${DANGER.has(s) ? 'danger' : ''}" data-operation="${esc(o.id)}" data-action="${esc(s)}">${esc(names[s] || s)}</button>`,
			)
			.join('') || '<span class="hint">final</span>'
	}</td>
</tr>`,
				)
				.join('') || '<tr><td colspan="8" class="empty">No operation matches.</td></tr>';
		more('operations', total, items.length);
	}

	// ------------------------------------------------------------------ webhooks
	async function renderWebhooks() {
		const [subs, deliveries] = await Promise.all([
			api('GET', '/webhooks'),
			api('GET', '/webhooks/deliveries?limit=100'),
		]);
		const urlOf = Object.fromEntries(subs.map((s) => [s.id, s.url]));
		$('#webhooks-body').innerHTML =
			subs
				.map(
					(s) => `<tr data-id="${esc(s.id)}">
	<td><code>${esc(s.url)}</code></td>
	<td>${esc(s.authType)}</td>
	<td>${s.authToken ? `<code>${esc(s.authToken)}</code>` : ''}</td>
	<td>${s.events ? esc(s.events.join(', ')) : 'every order event'}</td>
	<td>${when(s.created_at)}</td>
	<td class="actions"><button type="button" class="danger" data-unsubscribe="${esc(s.id)}">Remove</button></td>
</tr>`,
				)
				.join('') ||
			'<tr><td colspan="6" class="empty">No subscription: order events go nowhere.</td></tr>';
		const orderNo = {};
		const rows = deliveries
			.slice()
			.reverse()
			.map((d) => {
				const last = d.attempts[d.attempts.length - 1];
				orderNo[d.orderId] = d.payload && d.payload.data ? d.payload.data.order_no : '';
				const http = last
					? last.status !== undefined
						? String(last.status)
						: `no answer (${last.error || 'error'})`
					: '…';
				const attempts = d.attempts
					.map(
						(a) =>
							`<li>#${a.attempt} ${when(a.at)} → ${a.status !== undefined ? `HTTP ${a.status}` : esc(a.error)} (${a.durationMs} ms)</li>`,
					)
					.join('');
				return `<tr data-id="${esc(d.id)}">
	<td>${when(d.attempts[0] ? d.attempts[0].at : '')}</td>
	<td>${esc(d.eventType)}${d.resendOf ? ' <span class="hint">(resent)</span>' : ''}</td>
	<td>${esc(orderNo[d.orderId])}</td>
	<td><code>${esc(urlOf[d.subscriptionId] || '(removed)')}</code></td>
	<td data-field="state">${badge(d.state, `dl-${d.state}`)}${d.nextAttemptAt ? `<div class="hint">retry at ${when(d.nextAttemptAt)}</div>` : ''}</td>
	<td data-field="http">${esc(http)}</td>
	<td class="num">${d.attempts.length}</td>
	<td class="actions"><details><summary>body</summary><pre>${esc(JSON.stringify(d.payload, null, 2))}</pre><ul class="attempts">${attempts}</ul></details>
		${urlOf[d.subscriptionId] ? `<button type="button" data-resend="${esc(d.id)}">Resend</button>` : ''}</td>
</tr>`;
			});
		// Keep an opened "body" open across refreshes.
		const open = new Set(
			[...document.querySelectorAll('#deliveries-body details[open]')].map(
				(el) => el.closest('tr').dataset.id,
			),
		);
		$('#deliveries-body').innerHTML =
			rows.join('') || '<tr><td colspan="8" class="empty">No delivery yet.</td></tr>';
		for (const id of open) {
			const el = document.querySelector(`#deliveries-body tr[data-id="${CSS.escape(id)}"] details`);
			if (el) el.open = true;
		}
	}

	// ------------------------------------------------------------------ faults
	function describeRule(r) {
		const parts = [];
		const pct = (x) => `${Math.round(x * 100)}%`;
		if (r.errorRate !== undefined)
			parts.push(
				`${pct(r.errorRate)} of requests fail with ${r.errorStatus || 500}${(r.errorStatus || 500) === 503 ? ' before the server acts' : ' after the server acted'}`,
			);
		if (r.rateLimitRate !== undefined)
			parts.push(`${pct(r.rateLimitRate)} get 429 with Retry-After ${r.retryAfterSeconds ?? 1} s`);
		if (r.resetRate !== undefined)
			parts.push(
				`${pct(r.resetRate)} of connections are cut ${r.resetPhase === 'after' ? 'after the server acted' : 'before the server acts'}`,
			);
		if (r.truncateRate !== undefined) parts.push(`${pct(r.truncateRate)} of answers are cut short`);
		if (r.htmlErrorRate !== undefined)
			parts.push(`${pct(r.htmlErrorRate)} get an nginx HTML 502 page`);
		if (r.latencyMs) parts.push(`answers ${r.latencyMs} ms late`);
		if (r.slowBodyMs) parts.push(`bodies dribble in over ${r.slowBodyMs} ms`);
		if (r.tokenExpiresAfterRequests !== undefined)
			parts.push(`tokens expire after ${r.tokenExpiresAfterRequests} requests`);
		if (r.tokenExpiresAfterSeconds !== undefined)
			parts.push(`tokens expire after ${r.tokenExpiresAfterSeconds} s`);
		if (r.maxConsecutive !== undefined)
			parts.push(
				`a retry of the same request passes after ${r.maxConsecutive} failure${r.maxConsecutive === 1 ? '' : 's'}`,
			);
		let where = '';
		if (r.method) where += ` ${r.method}`;
		if (r.pathPrefix) where += ` ${r.pathPrefix}…`;
		return (parts.join('; ') || 'no effect') + (where ? ` (only${where})` : '');
	}

	let faultsShown = '';
	async function renderFaults() {
		const rules = await api('GET', '/faults');
		$('#faults-body').innerHTML =
			rules
				.map(
					(r, i) => `<tr data-index="${i}">
	<td>${esc(SERVICE_LABELS[r.service || 'all'] || r.service)}</td>
	<td>${esc(describeRule(r))}</td>
	<td class="actions"><button type="button" data-remove-fault="${i}">Switch off</button></td>
</tr>`,
				)
				.join('') ||
			'<tr><td colspan="3" class="empty">No fault: every request is answered normally.</td></tr>';
		const text = JSON.stringify(rules, null, 2);
		const area = $('#faults-json');
		if (document.activeElement !== area && faultsShown !== text) {
			area.value = text;
			faultsShown = text;
		}
	}

	// ------------------------------------------------------------------ requests
	async function renderRequests() {
		const q = new URLSearchParams({ limit: '200' });
		if ($('#requests-service').value) q.set('service', $('#requests-service').value);
		const log = await api('GET', `/log?${q}`);
		$('#requests-body').innerHTML =
			log
				.slice()
				.reverse()
				.map((e) => {
					// shown as received (masked values stay readable, not percent-encoded)
					const qs = Object.entries(e.query)
						.map(([k, v]) => (v === '' ? k : `${k}=${v}`))
						.join('&');
					const status =
						e.status === 0 ? (e.finishedAt ? 'connection cut' : 'in progress') : String(e.status);
					const cls = e.status === 0 || e.status >= 500 ? 'bad' : e.status >= 400 ? 'warn' : 'good';
					return `<tr>
	<td class="when">${when(e.startedAt)}</td>
	<td>${esc(e.service)}</td>
	<td>${esc(e.method)}</td>
	<td><code>${esc(e.path)}${qs ? `?${esc(qs)}` : ''}</code></td>
	<td><span class="status ${cls}">${esc(status)}</span></td>
	<td class="num">${e.finishedAt ? Math.round(e.finishedAt - e.startedAt) : ''}</td>
	<td>${esc(e.fault || '')}</td>
</tr>`;
				})
				.join('') || '<tr><td colspan="7" class="empty">No request yet.</td></tr>';
	}

	// ------------------------------------------------------------------ refresh loop
	let refreshing = false;
	let again = false;
	async function refresh() {
		// A change made while a refresh is under way is shown by one more refresh right after it.
		if (refreshing) {
			again = true;
			return;
		}
		refreshing = true;
		try {
			const lc = await renderHeader();
			if (state.tab === 'overview') await renderOverview(lc);
			if (state.tab === 'orders') await renderOrders();
			if (state.tab === 'customers') await renderCustomers();
			if (state.tab === 'operations') await renderOperations();
			if (state.tab === 'webhooks') await renderWebhooks();
			if (state.tab === 'faults') await renderFaults();
			if (state.tab === 'requests') await renderRequests();
			document.body.dataset.loaded = 'true';
		} catch (e) {
			flash(`The sandbox does not answer: ${e.message}`, 'error');
		} finally {
			refreshing = false;
			if (again) {
				again = false;
				refresh();
			}
		}
	}

	// ------------------------------------------------------------------ events
	function debounce(fn, ms) {
		let t;
		return () => {
			clearTimeout(t);
			t = setTimeout(fn, ms);
		};
	}

	function wire() {
		for (const s of ORDER_STATUSES)
			$('#orders-status').insertAdjacentHTML('beforeend', `<option>${esc(s)}</option>`);
		for (const p of FAULT_PRESETS)
			$('#fault-kind').insertAdjacentHTML(
				'beforeend',
				`<option value="${esc(p.id)}">${esc(p.label)}</option>`,
			);
		api('GET', '/transitions').then((t) => {
			state.transitions = t;
			for (const s of t.operationStatuses)
				$('#operations-status').insertAdjacentHTML(
					'beforeend',
					`<option value="${esc(s.slug)}">${esc(s.name)}</option>`,
				);
		});

		$('#tabs').addEventListener('click', (ev) => {
			const b = ev.target.closest('button[data-tab]');
			if (b) showTab(b.dataset.tab);
		});
		const later = debounce(refresh, 250);
		for (const id of ['orders-search', 'customers-search', 'operations-search'])
			$(`#${id}`).addEventListener('input', later);
		for (const id of ['orders-status', 'operations-status', 'requests-service'])
			$(`#${id}`).addEventListener('change', refresh);

		document.addEventListener('click', (ev) => {
			const b = ev.target.closest('button');
			if (!b) return;
			const d = b.dataset;
			if (d.more) {
				state.limits[d.more] += 50;
				refresh();
			} else if (d.order) {
				const row = b.closest('tr');
				act(
					() => api('POST', `/orders/${encodeURIComponent(d.order)}/${d.action}`),
					(o) => `Order ${o.order_no}: ${o.order_status} (payment ${o.payment_status}).`,
				);
				if (row) row.classList.add('busy');
			} else if (d.operation) {
				act(
					() =>
						api('POST', `/operations/${encodeURIComponent(d.operation)}/status`, {
							slug: d.action,
						}),
					(o) => `Operation ${o.id}: ${o.status_name}.`,
				);
			} else if (d.customer) {
				act(
					() => api('POST', `/customers/${encodeURIComponent(d.customer)}/accept-terms`),
					(c) => `${c.name} accepted the terms.`,
				);
			} else if (d.unsubscribe) {
				act(
					() => api('DELETE', `/webhooks/${encodeURIComponent(d.unsubscribe)}`),
					'Subscription removed.',
				);
			} else if (d.resend) {
				act(
					() => api('POST', `/webhooks/deliveries/${encodeURIComponent(d.resend)}/resend`),
					(n) => `${n.eventType} sent again.`,
				);
			} else if (d.removeFault !== undefined) {
				act(async () => {
					const rules = await api('GET', '/faults');
					rules.splice(Number(d.removeFault), 1);
					return api('PUT', '/faults', rules);
				}, 'Fault switched off.');
			}
		});

		$('#lifecycle-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			act(
				() =>
					api('PUT', '/lifecycle', {
						enabled: $('#lifecycle-enabled').checked,
						intervalSeconds: Number($('#lifecycle-interval').value),
					}),
				(lc) =>
					lc.enabled
						? `Automatic lifecycle on, every ${lc.intervalSeconds} s.`
						: 'Automatic lifecycle off.',
			);
		});
		// The switch applies at once; the interval with Apply (or Enter).
		$('#lifecycle-enabled').addEventListener('change', () => $('#lifecycle-form').requestSubmit());
		$('#lifecycle-step').addEventListener('click', () =>
			act(
				() => api('POST', '/lifecycle/step'),
				(r) =>
					r.moves.length
						? `Moved: ${r.moves.map((m) => `${m.label} ${m.from} → ${m.to}`).join('; ')}.`
						: 'Nothing left to move.',
			),
		);
		$('#reset').addEventListener('click', () =>
			act(
				() => api('POST', '/reset', { keepWebhooks: !$('#reset-webhooks').checked }),
				(r) =>
					`Data reset to the seed: ${r.counts.orders} orders, ${r.counts.customers} customers, ${r.counts.operations} operations.`,
			),
		);
		const seedKind = $('#seed-kind');
		seedKind.addEventListener(
			'change',
			() => ($('#seed-status').hidden = seedKind.value !== 'orders'),
		);
		$('#seed-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			const count = Number($('#seed-count').value);
			const body =
				seedKind.value === 'orders' ? { count, status: $('#seed-status').value } : { count };
			act(
				() => api('POST', `/seed/${seedKind.value}`, body),
				(c) =>
					`Added ${count} ${seedKind.value}: now ${c.orders} orders, ${c.operations} operations.`,
			);
		});
		$('#webhook-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			const authType = $('#webhook-auth').value;
			const body = { url: $('#webhook-url').value.trim(), authType };
			if (authType !== 'none') body.authToken = $('#webhook-secret').value;
			act(
				() => api('POST', '/webhooks', body),
				(s) => `Subscribed ${s.url}.`,
			).then(() => ($('#webhook-secret').value = ''));
		});
		$('#webhook-auth').addEventListener(
			'change',
			() => ($('#webhook-secret').disabled = $('#webhook-auth').value === 'none'),
		);
		$('#fault-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			const preset = FAULT_PRESETS.find((p) => p.id === $('#fault-kind').value);
			const service = $('#fault-service').value;
			act(
				async () => {
					const rules = await api('GET', '/faults');
					return api('PUT', '/faults', [...rules, { service, ...preset.rule }]);
				},
				`${SERVICE_LABELS[service]}: ${preset.label.charAt(0).toLowerCase()}${preset.label.slice(1)}.`,
			);
		});
		$('#faults-clear').addEventListener('click', () =>
			act(() => api('DELETE', '/faults'), 'Every fault switched off.'),
		);
		$('#faults-save').addEventListener('click', () => {
			let rules;
			try {
				rules = JSON.parse($('#faults-json').value);
			} catch (e) {
				flash(`That is not JSON: ${e.message}`, 'error');
				return;
			}
			faultsShown = '';
			act(() => api('PUT', '/faults', rules), 'Fault rules saved.');
		});
		$('#requests-clear').addEventListener('click', () =>
			act(() => api('DELETE', '/log'), 'Request log cleared.'),
		);
	}

	wire();
	const initial = location.hash.slice(1);
	showTab(document.getElementById(`tab-${initial}`) ? initial : 'overview');
	setInterval(() => {
		if (!document.hidden) refresh();
	}, REFRESH_MS);
})();
