import { defineResource } from '../resource';
import { send } from './send.operation';
import { sendTemplate } from './sendTemplate.operation';

/** Message: sending, replying, status look-ups and read receipts. */
export const message = defineResource(
	{ name: 'Message', value: 'message' },
	[send, sendTemplate],
	'send',
);
