'use strict';
// The benchmark floor (bench/n8n.mjs): a community trigger that does nothing but hand the request
// body to n8n as one item. Whatever n8n charges every community trigger, this pays too; the edna
// trigger is measured against it. Same webhooks as the edna trigger: HEAD setup + POST default.

class BenchFloorTrigger {
	constructor() {
		this.description = {
			displayName: 'Bench Floor Trigger',
			name: 'benchFloorTrigger',
			icon: 'fa:stopwatch',
			group: ['trigger'],
			// n8n evaluates a legacy binary-data expression for every request to a version-1 start node; the
			// benchmark measures the floor at both versions.
			version: [1, 1.1],
			defaultVersion: 1,
			subtitle: 'floor',
			description: 'Returns the request body as one item (benchmark floor)',
			defaults: { name: 'Bench Floor Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [
				{ name: 'setup', httpMethod: 'HEAD', responseMode: 'onReceived', path: 'webhook' },
				// responseData '' as the edna trigger: both answer {"message":"Workflow was started"}.
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' },
			],
			properties: [],
		};
	}

	async webhook() {
		if (this.getWebhookName() === 'setup') {
			this.getResponseObject().status(200).end();
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}

module.exports = { BenchFloorTrigger };
