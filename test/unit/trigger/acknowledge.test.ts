/**
 * Options → Acknowledge Edna Pulse: when n8n answers edna's POST. n8n reads `responseMode` and
 * `responseData` of the POST webhook per request, through the native resolvers of
 * webhookDescriptionFields (n8n-workflow 2.41) or, when a parameter holds an expression, by
 * evaluating the templates. Both readings are checked here; test/e2e/acknowledge.test.mjs checks the
 * answers in a real n8n.
 */
import {
	NodeHelpers,
	Workflow,
	resolveWebhookDescriptionField,
	type INode,
	type INodeTypes,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type IWebhookDescription,
} from 'n8n-workflow';

import { EdnaPulseTrigger } from '../../../nodes/EdnaPulse/EdnaPulseTrigger.node';

const trigger = new EdnaPulseTrigger();
const { description } = trigger;
const [setup, post] = description.webhooks as IWebhookDescription[];
const options = description.properties.find((p) => p.name === 'options') as INodeProperties;
const acknowledge = (options.options as INodeProperties[]).find((o) => o.name === 'acknowledge') as INodeProperties;

const AFTER = { responseMode: 'lastNode', responseData: 'noData' };
const AT_ONCE = { responseMode: 'onReceived', responseData: '' };

/** The node as n8n's Workflow builds it: parameters completed (and pruned) for its version. */
function nodeOf(typeVersion: number, parameters: INodeParameters): INode {
	const node: INode = { id: 'n', name: 'edna Pulse Trigger', type: 'n8n-nodes-edna-pulse.ednaPulseTrigger', typeVersion, position: [0, 0], parameters };
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) as INodeParameters;
	return node;
}

/** What n8n's native resolver gives for both fields. */
function resolved(node: INode) {
	const field = (name: string) => {
		const result = resolveWebhookDescriptionField(node, post, name);
		if (!result.resolved) throw new Error(`${name} not resolved natively`);
		return result.value;
	};
	return { responseMode: field('responseMode'), responseData: field('responseData') };
}

/**
 * The templates through n8n's expression engine, as n8n evaluates them when a parameter holds an
 * expression (here the channel filter): proves they are self-contained and agree with the resolvers.
 */
function evaluated(node: INode) {
	const withExpression = { ...node, parameters: { ...node.parameters, filters: { subjects: '={{ "shop_WA" }}' } } };
	const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [withExpression], connections: {}, active: true, nodeTypes });
	const start = workflow.getNode(node.name) as INode;
	return {
		responseMode: workflow.expression.getSimpleParameterValue(start, post.responseMode as string, 'webhook', {}, undefined, 'onReceived'),
		responseData: workflow.expression.getComplexParameterValue(start, post.responseData as string, 'webhook', {}, undefined, 'firstEntryJson'),
	};
}

describe('Acknowledge Edna Pulse (options.acknowledge)', () => {
	test('is an option of version 1.2 on, answering at once by default', () => {
		expect(description.version).toEqual([1, 1.1, 1.2]);
		expect(description.defaultVersion).toBe(1.2);
		expect(acknowledge).toMatchObject({ type: 'options', default: 'whenReceived', noDataExpression: true });
		expect((acknowledge.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['whenReceived', 'afterWorkflow']);
		expect(acknowledge.displayOptions).toEqual({ show: { '@version': [{ _cnd: { gte: 1.2 } }] } });
	});

	test('its description says what the user trades', () => {
		const text = acknowledge.description as string;
		expect(text).toMatch(/edna waits for the run/);
		expect(text).toMatch(/twice \(dedupe on eventKey/);
		expect(text).toMatch(/always fails is repeated/);
		expect(text).toMatch(/does not document how long it waits/);
	});

	test('the URL check (HEAD, GET) always answers at once', () => {
		expect(setup).toMatchObject({ name: 'setup', httpMethod: 'HEAD,GET', responseMode: 'onReceived' });
		expect(post).toMatchObject({ name: 'default', httpMethod: 'POST', path: 'webhook' });
	});

	test.each([
		['1.2, not set', 1.2, {}, AT_ONCE],
		['1.2, when received', 1.2, { acknowledge: 'whenReceived' }, AT_ONCE],
		['1.2, after the workflow', 1.2, { acknowledge: 'afterWorkflow' }, AFTER],
		['1.2, after the workflow, strict', 1.2, { acknowledge: 'afterWorkflow', strictValidation: true }, AFTER],
		['1.1, not set', 1.1, {}, AT_ONCE],
		['1, not set', 1, {}, AT_ONCE],
		// A version-1.x node cannot show the option; n8n drops it from such a node's parameters.
		['1.1, after the workflow (edited JSON)', 1.1, { acknowledge: 'afterWorkflow' }, AT_ONCE],
		['1, after the workflow (edited JSON)', 1, { acknowledge: 'afterWorkflow' }, AT_ONCE],
	])('%s', (_label, version, opts, expected) => {
		const node = nodeOf(version, { event: 'messageStatus', options: opts });
		expect(resolved(node)).toEqual(expected);
		expect(evaluated(node)).toEqual(expected);
	});
});
