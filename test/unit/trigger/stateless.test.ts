/**
 * The node keeps nothing between requests. n8n keeps one node object per process and calls its
 * webhook() for every workflow that uses it, many requests at once; in queue mode one webhook
 * process serves every workflow. Here requests for different workflows, credentials and settings
 * are interleaved on shared node objects, and every answer and every item must be exactly what the
 * same request gets when it is the only one, on a node object of its own.
 */
import fc from 'fast-check';
import { sleep, type IDataObject } from 'n8n-workflow';

import { EdnaPulseTrigger } from '../../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { allFixtures } from '../../support/fixtures';
import { answerOf, callWebhook, type CallOptions, type CallResult } from '../../support/webhook';

interface TestWorkflow {
	id: string;
	parameters: IDataObject;
	/** The credential its trigger refers to; absent from the store = deleted. */
	credentialId: string;
}

/** Workflows whose settings give different answers to the same body. */
const WORKFLOWS: TestWorkflow[] = [
	{
		id: 'wf-read-statuses',
		credentialId: 'cred-statuses',
		parameters: { event: 'messageStatus', filters: { statuses: ['READ', 'DELIVERED'] } },
	},
	{
		id: 'wf-any-raw',
		credentialId: 'cred-any',
		parameters: {
			event: 'anyEvent',
			anyEventTypes: ['incomingMessage', 'messageStatus'],
			output: 'raw',
		},
	},
	{
		id: 'wf-incoming-open',
		credentialId: 'cred-unused',
		parameters: {
			event: 'incomingMessage',
			authentication: 'none',
			filters: { contentTypes: ['TEXT', 'IMAGE'] },
		},
	},
	{
		id: 'wf-templates-strict',
		credentialId: 'cred-templates',
		parameters: { event: 'templateStatus', options: { strictValidation: true } },
	},
	{ id: 'wf-any', credentialId: 'cred-any-simplified', parameters: { event: 'anyEvent' } },
	{ id: 'wf-deleted-credential', credentialId: 'cred-deleted', parameters: { event: 'anyEvent' } },
];

/** n8n's credential store: one per process, holding every workflow's key. */
const STORE: Record<string, IDataObject> = {
	'cred-statuses': { webhookKey: 'example-key-statuses' },
	'cred-any': { webhookKey: 'example-key-any-raw' },
	'cred-unused': { webhookKey: 'example-key-unused' },
	'cred-templates': { webhookKey: ' example-key-templates\n' },
	'cred-any-simplified': { webhookKey: 'example-key-any-simplified' },
};
const keyOf = (w: TestWorkflow): string =>
	String(STORE[w.credentialId]?.webhookKey ?? 'example-key-none').trim();

/** Every edna fixture, plus an object that is no edna event and an empty array (a 400 everywhere). */
const BODIES: unknown[] = [
	...allFixtures().map(([, , body]) => body),
	{ note: 'not an edna event', count: 1 },
	[],
];

type KeyChoice = 'own' | 'other' | 'none';

interface Request {
	workflow: number;
	fixture: number;
	key: KeyChoice;
	method: 'POST' | 'HEAD' | 'GET';
	/** Which of the shared node objects serves it. */
	instance: number;
}

/** Each event of the body carries the request's number, so an item shows whose it is. */
function taggedBody(fixture: number, call: number): unknown {
	const body = structuredClone(BODIES[fixture]);
	const tag = (event: unknown) => ({ ...(event as IDataObject), probe: `call-${call}` });
	return Array.isArray(body) ? body.map(tag) : tag(body);
}

/**
 * The call for request number `call`. `store` is the credential lookup; it records which
 * credential ids the node's context asked for.
 */
function callOptions(
	request: Request,
	call: number,
	store: CallOptions['credentialStore'],
): CallOptions {
	const workflow = WORKFLOWS[request.workflow];
	const other = WORKFLOWS[(request.workflow + 1) % WORKFLOWS.length];
	const key =
		request.key === 'own' ? keyOf(workflow) : request.key === 'other' ? keyOf(other) : undefined;
	return {
		method: request.method,
		workflowId: workflow.id,
		credentialId: workflow.credentialId,
		parameters: workflow.parameters,
		headers: {
			'content-type': 'application/json',
			...(key === undefined ? {} : { authorization: `Token ${key}` }),
		},
		json: request.method === 'POST' ? taggedBody(request.fixture, call) : undefined,
		credentialStore: store,
	};
}

const storeLookup = async (id: string): Promise<IDataObject> => {
	const credential = STORE[id];
	if (credential === undefined) throw new Error(`Credential with ID "${id}" does not exist`);
	return { ...credential };
};

/** What the request gets when it is the only one, on a node object of its own. */
async function alone(request: Request, call: number): Promise<CallResult> {
	return await callWebhook({
		...callOptions(request, call, storeLookup),
		trigger: new EdnaPulseTrigger(),
	});
}

/** Checks one interleaved call against its lone twin and against its own request. */
function expectOwn(
	call: number,
	request: Request,
	got: CallResult,
	expected: CallResult,
	lookups: string[],
): void {
	const context = `call ${call} (${WORKFLOWS[request.workflow].id}, ${request.method}, key ${request.key})`;
	expect({ context, answer: answerOf(got) }).toEqual({ context, answer: answerOf(expected) });
	expect({ context, items: got.items }).toEqual({ context, items: expected.items });
	for (const item of got.items ?? [])
		expect({ context, probe: item.probe }).toEqual({ context, probe: `call-${call}` });
	// The context decrypted this workflow's credential, never another's.
	for (const id of lookups)
		expect({ context, credential: id }).toEqual({
			context,
			credential: WORKFLOWS[request.workflow].credentialId,
		});
}

const requestArb: fc.Arbitrary<Request> = fc.record({
	workflow: fc.nat({ max: WORKFLOWS.length - 1 }),
	fixture: fc.nat({ max: BODIES.length - 1 }),
	key: fc.constantFrom<KeyChoice>('own', 'own', 'own', 'other', 'none'),
	method: fc.constantFrom<Request['method']>('POST', 'POST', 'POST', 'POST', 'POST', 'HEAD', 'GET'),
	instance: fc.nat({ max: 1 }),
});

describe.each([
	['one node object for every workflow, as n8n keeps it', 1],
	['two node objects in one process, requests spread over both', 2],
])('%s', (_name, instanceCount) => {
	const instances = Array.from({ length: instanceCount }, () => new EdnaPulseTrigger());
	const pristine = instances.map((i) => JSON.stringify(i));

	afterAll(() => {
		// Nothing was written to the node objects.
		expect(instances.map((i) => JSON.stringify(i))).toEqual(pristine);
	});

	test('credential lookups finishing in any order never mix workflows, keys or items', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.scheduler(),
				fc.array(requestArb, { minLength: 2, maxLength: 30 }),
				async (s, requests) => {
					const expected: CallResult[] = [];
					for (const [call, request] of requests.entries())
						expected.push(await alone(request, call));

					const lookups: string[][] = requests.map(() => []);
					const calls = requests.map((request, call) =>
						callWebhook({
							...callOptions(request, call, (id) => {
								lookups[call].push(id);
								// fast-check decides when each lookup resolves: every interleaving is fair game.
								return s.schedule(storeLookup(id), `lookup ${call}`);
							}),
							trigger: instances[request.instance % instanceCount],
						}),
					);
					const results = await s.waitFor(Promise.all(calls));
					results.forEach((got, call) =>
						expectOwn(call, requests[call], got, expected[call], lookups[call]),
					);
				},
			),
			{ numRuns: 60 },
		);
	});

	test('600 concurrent requests over every workflow, fixture and key form', async () => {
		const requests: Request[] = Array.from({ length: 600 }, (_, n) => ({
			// every workflow with every body, under each key form in turn
			workflow: n % WORKFLOWS.length,
			fixture: Math.floor(n / WORKFLOWS.length) % BODIES.length,
			key: (['own', 'other', 'own', 'none'] as const)[
				Math.floor(n / (WORKFLOWS.length * BODIES.length)) % 4
			],
			method: n % 13 === 0 ? 'HEAD' : 'POST',
			instance: Math.floor(n / 3) % 2,
		}));
		const expected: CallResult[] = [];
		for (const [call, request] of requests.entries()) expected.push(await alone(request, call));

		const lookups: string[][] = requests.map(() => []);
		const results = await Promise.all(
			requests.map((request, call) =>
				callWebhook({
					...callOptions(request, call, async (id) => {
						lookups[call].push(id);
						// A store that answers some lookups later than others, as a database does.
						await sleep((call * 7) % 5);
						return await storeLookup(id);
					}),
					trigger: instances[request.instance % instanceCount],
				}),
			),
		);

		results.forEach((got, call) =>
			expectOwn(call, requests[call], got, expected[call], lookups[call]),
		);
		// The traffic covered every kind of answer the node gives.
		expect(new Set(results.map((r) => answerOf(r).status))).toEqual(
			new Set([200, 400, 401, 403, 500]),
		);
		expect(results.filter((r) => r.items !== undefined).length).toBeGreaterThan(100);
	});
});
