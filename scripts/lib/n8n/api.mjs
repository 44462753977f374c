// Talking to a running n8n: the owner account, a public-API key and a client for the public API.
import { randomUUID } from 'node:crypto';

import { n8nMajor, sleep } from './common.mjs';

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

// How the public API turns a workflow on and off, per n8n line: 2.x publishes a version of the
// workflow (/activate and /deactivate remain, deprecated); 1.x only has /activate and /deactivate.
export function activationRoutes(version) {
	return n8nMajor(version) >= 2
		? { on: 'publish', off: 'unpublish' }
		: { on: 'activate', off: 'deactivate' };
}

/** Public API client for an instance and an API key (see setupOwnerAndApiKey). */
export function createApiClient(instance, apiKey, extra = {}) {
	const activation = activationRoutes(instance.version);
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

	/** Every item of a paged public-API list, following nextCursor. */
	const allPages = async (route, query) => {
		const all = [];
		let cursor;
		do {
			if (cursor) query.set('cursor', cursor);
			const page = await api('GET', `${route}?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	};

	/** All executions of a workflow, newest first. */
	const listExecutions = async (workflowId, { includeData = false, status, limit = 250 } = {}) => {
		const query = new URLSearchParams({ limit: String(limit) });
		if (workflowId !== undefined) query.set('workflowId', String(workflowId));
		if (includeData) query.set('includeData', 'true');
		if (status) query.set('status', status);
		return allPages('/executions', query);
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

	// n8n 1.x's public API makes each credential field that is shown only for some value of another
	// field "required if the other field has that value", and a JSON Schema `if` also holds when the
	// other field is left out: leaving out both is refused (Slack's notice; the "Allowed Domains"
	// 1.x adds to every credential with an `authenticate` block). The editor always sends such
	// fields, empty when unused; on 1.x this client does the same. 2.x accepts them left out.
	const schemas = new Map();
	const withShownFields = async (credential) => {
		if (n8nMajor(instance.version) >= 2) return credential;
		if (!schemas.has(credential.type))
			schemas.set(credential.type, await api('GET', `/credentials/schema/${credential.type}`));
		const schema = schemas.get(credential.type);
		const data = { ...credential.data };
		for (const rule of schema?.allOf ?? []) {
			const [dependant] = Object.keys(rule.if?.properties ?? {});
			if (dependant === undefined || dependant in data) continue;
			for (const { required = [] } of rule.then?.allOf ?? []) {
				for (const field of required) {
					const type = schema.properties?.[field]?.type;
					if (!(field in data) && (type === 'string' || type === 'notice')) data[field] = '';
				}
			}
		}
		return { ...credential, data };
	};

	// n8n 1.x's public API cannot change a credential (no PATCH /credentials/{id}); the editor's
	// REST route does, given the name and type as well. Fields left out are dropped, as by 2.x's PATCH.
	const updateCredential = async (id, changes) => {
		if (n8nMajor(instance.version) >= 2) return api('PATCH', `/credentials/${id}`, changes);
		if (!extra.rest)
			throw new Error('n8n 1.x changes credentials through its REST API: use setupOwnerAndApiKey');
		if (changes.isPartialData)
			throw new Error('updateCredential: isPartialData is not supported on n8n 1.x');
		const current = await extra.rest('GET', `/credentials/${id}`);
		const next = { name: current.name, type: current.type, ...changes };
		if (next.data) next.data = (await withShownFields(next)).data;
		return extra.rest('PATCH', `/credentials/${id}`, next);
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
		createCredential: async (credential) =>
			api('POST', '/credentials', await withShownFields(credential)),
		/** PATCH: {name?, type?, data?, isPartialData? (2.x only)} */
		updateCredential,
		deleteCredential: (id) => api('DELETE', `/credentials/${id}`),
		/** {name, nodes, connections, settings} -> created workflow */
		createWorkflow: (workflow) => api('POST', '/workflows', { settings: {}, ...workflow }),
		getWorkflow: (id) => api('GET', `/workflows/${id}`),
		/** Every workflow of the instance. */
		listWorkflows: () => allPages('/workflows', new URLSearchParams({ limit: '250' })),
		updateWorkflow: (id, workflow) => api('PUT', `/workflows/${id}`, { settings: {}, ...workflow }),
		deleteWorkflow: (id) => api('DELETE', `/workflows/${id}`),
		/** Activates the workflow: /publish on 2.x, /activate on 1.x (which takes no body). */
		publishWorkflow: (id, body = {}) =>
			api(
				'POST',
				`/workflows/${id}/${activation.on}`,
				activation.on === 'publish' ? body : undefined,
			),
		unpublishWorkflow: (id) => api('POST', `/workflows/${id}/${activation.off}`),
	};
}
