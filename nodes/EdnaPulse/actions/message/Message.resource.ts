import { defineResource } from '../resource';
import { send } from './send.operation';

/** Message: sending, replying, status look-ups and read receipts. */
export const message = defineResource(
	{ name: 'Message', value: 'message' },
	[send],
	'send',
);
