import { defineResource } from '../defineResource';
import { setUrls } from './setUrls.operation';

/** Webhook: the URLs edna sends its webhooks to (docs/edna-api.md §5.1). */
export const webhook = defineResource(
	{ name: 'Webhook', value: 'webhook', description: 'Where edna sends its webhooks' },
	[setUrls],
	'setUrls',
);
