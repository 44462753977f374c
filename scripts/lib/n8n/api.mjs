// Talking to a running n8n: the owner account, a public-API key and a client for the public API.
import { randomUUID } from 'node:crypto';

import { sleep } from './common.mjs';

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'EdnaPulse-local-1',
};

// ---------------------------------------------------------------------------
// REST and public API

/**
 * Creates the owner account (or logs in if it exists), creates an API key with every
 * scope the owner may grant and returns a client for the public API.
 */
export async function setupOwnerAndApiKey(
	instance,
	{ owner = OWNER, label = `local-${Date.now()}` } = {},
) {
	const browserId = randomUUID();
	let cookie = '';
	const rest = async (method, route, body) => {
		const res = await fetch(`${instance.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await res.text();
		const json = text ? JSON.parse(text) : null;
		if (!res.ok) {
			const error = new Error(`${method} /rest${route} -> ${res.status}: ${text.slice(0, 300)}`);
			error.status = res.status;
			throw error;
		}
		return json?.data ?? json;
	};

	try {
		await rest('POST', '/owner/setup', owner);
	} catch (error) {
		if (error.status !== 400) throw error; // 400: the instance already has an owner
		await rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}
	if (!cookie)
		await rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	const scopes = await rest('GET', '/api-keys/scopes');
	const created = await rest('POST', '/api-keys', { label, scopes, expiresAt: null });
	return createApiClient(instance, created.rawApiKey, { rest, scopes });
}

/** Public API client for an instance and an API key (see setupOwnerAndApiKey). */
export function createApiClient(instance, apiKey, extra = {}) {
	const api = async (method, route, body, { expect } = {}) => {
		const res = await fetch(`${instance.baseUrl}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': apiKey,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json = null;
		try {
			json = text ? JSON.parse(text) : null;
		} catch {
			json = text;
		}
		const ok = expect === undefined ? res.ok : [].concat(expect).includes(res.status);
		if (!ok) {
			const error = new Error(`${method} /api/v1${route} -> ${res.status}: ${text.slice(0, 500)}`);
			error.status = res.status;
			error.body = json;
			throw error;
		}
		return expect === undefined ? json : { status: res.status, body: json };
	};

	/** All executions of a workflow, newest first, following nextCursor. */
	const listExecutions = async (workflowId, { includeData = false, status, limit = 250 } = {}) => {
		const all = [];
		let cursor;
		do {
			const query = new URLSearchParams({ limit: String(limit) });
			if (workflowId !== undefined) query.set('workflowId', String(workflowId));
			if (includeData) query.set('includeData', 'true');
			if (status) query.set('status', status);
			if (cursor) query.set('cursor', cursor);
			const page = await api('GET', `/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	};

	/**
	 * Waits until the workflow has at least `count` finished executions (any status other
	 * than new/running/waiting) and returns them, newest first. With `exact`, also waits
	 * `settleMs` and fails if more than `count` appear.
	 */
	const waitForExecutions = async (
		workflowId,
		count,
		{
			timeoutMs = 30_000,
			includeData = true,
			exact = false,
			settleMs = 500,
			intervalMs = 200,
		} = {},
	) => {
		const done = (list) => list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		const deadline = Date.now() + timeoutMs;
		let list = [];
		for (;;) {
			list = done(await listExecutions(workflowId, { includeData }));
			if (list.length >= count) break;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId}: ${list.length} of ${count} executions after ${timeoutMs} ms`,
				);
			}
			await sleep(intervalMs);
		}
		if (exact) {
			await sleep(settleMs);
			list = done(await listExecutions(workflowId, { includeData }));
			if (list.length !== count)
				throw new Error(
					`workflow ${workflowId}: expected ${count} executions, found ${list.length}`,
				);
		}
		return list;
	};

	return {
		...extra,
		apiKey,
		api,
		listExecutions,
		waitForExecutions,
		getExecution: (id, { includeData = true } = {}) =>
			api('GET', `/executions/${id}?includeData=${includeData}`),
		deleteExecution: (id) => api('DELETE', `/executions/${id}`),
		/** {name, type, data} -> created credential ({id, name, type, …}) */
		createCredential: (credential) => api('POST', '/credentials', credential),
		/** PATCH: {name?, type?, data?, isPartialData?} */
		updateCredential: (id, changes) => api('PATCH', `/credentials/${id}`, changes),
		deleteCredential: (id) => api('DELETE', `/credentials/${id}`),
		/** {name, nodes, connections, settings} -> created workflow */
		createWorkflow: (workflow) => api('POST', '/workflows', { settings: {}, ...workflow }),
		getWorkflow: (id) => api('GET', `/workflows/${id}`),
		updateWorkflow: (id, workflow) => api('PUT', `/workflows/${id}`, { settings: {}, ...workflow }),
		deleteWorkflow: (id) => api('DELETE', `/workflows/${id}`),
		publishWorkflow: (id, body = {}) => api('POST', `/workflows/${id}/publish`, body),
		unpublishWorkflow: (id) => api('POST', `/workflows/${id}/unpublish`),
	};
}
