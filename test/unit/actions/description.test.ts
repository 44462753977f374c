import { repoFile } from '../../support/io';
import { node } from '../../support/action/run';

describe('the node description', () => {
	const { description } = node;

	test('type, version, tool use, codex', () => {
		expect(description).toMatchObject({ name: 'ednaPulse', displayName: 'edna Pulse', version: [1, 1.1, 1.2], defaultVersion: 1.2, usableAsTool: true });
		expect(description.credentials).toEqual([{ name: 'ednaPulseApi', required: true, testedBy: 'ednaPulseApiTest' }]);
		const codex = JSON.parse(repoFile('nodes/EdnaPulse/EdnaPulse.node.json'));
		expect(codex.node).toBe('n8n-nodes-edna-pulse.ednaPulse');
		expect(JSON.parse(repoFile('package.json')).n8n.nodes).toContain('dist/nodes/EdnaPulse/EdnaPulse.node.js');
	});

	test('resources and operations (names stored in saved workflows)', () => {
		const values = (name: string, resource?: string) =>
			(description.properties.find((p) => p.name === name && (resource === undefined || p.displayOptions?.show?.resource?.includes(resource)))?.options as Array<{ value: string }>).map((o) => o.value);
		expect(values('resource')).toEqual(expect.arrayContaining(['message', 'channel', 'cascade']));
		expect(values('operation', 'message')).toEqual(expect.arrayContaining(['send', 'reply', 'getStatus', 'markAsRead']));
		expect(values('operation', 'channel')).toEqual(['getMany']);
		expect(values('operation', 'cascade')).toEqual(['getMany']);
	});

	test("every operation's action fits an AI tool's name: n8n names a new tool node \"<action> in edna Pulse\" and cuts tool names at 64 characters", () => {
		const actions = description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action));
		expect(actions.length).toBeGreaterThan(10);
		for (const action of actions) {
			expect(typeof action).toBe('string');
			expect(`${action} in edna Pulse`.length).toBeLessThanOrEqual(64);
		}
	});
});
