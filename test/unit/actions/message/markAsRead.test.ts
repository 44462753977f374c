import { node, runNode, runNodeFailing } from '../../../support/action/run';

describe('Message → Mark as Read', () => {
	test('the incoming message id, status READ', async () => {
		const { json, edna } = await runNode({ parameters: { resource: 'message', operation: 'markAsRead', incomingMessageId: 101 } });
		expect(edna.requests[0]).toMatchObject({ path: 'in-message/change-status', body: { id: 101, status: 'READ' } });
		expect(json).toEqual([{ id: 101, status: 'READ', response: { code: 'ok' } }]);
	});

	test('an unknown id: edna’s code and hint', async () => {
		const error = await runNodeFailing({ parameters: { resource: 'message', operation: 'markAsRead', incomingMessageId: '77' } });
		expect(error.message).toContain('in-message-not-found');
		expect(error.description).toContain('Message Received');
	});

	test('the default reads the item’s id', async () => {
		const property = node.description.properties.find((p) => p.name === 'incomingMessageId');
		expect(property?.default).toBe('={{ $json.id }}');
	});
});
