import { defineResource } from '../defineResource';
import { getStatus } from './getStatus.operation';
import { markAsRead } from './markAsRead.operation';
import { reply } from './reply.operation';
import { sendAndWait } from './sendAndWait.operation';
import { send } from './send.operation';
import { sendTemplate } from './sendTemplate.operation';

/** Message: sending, replying, asking for approval, status look-ups and read receipts. */
export const message = defineResource(
	{ name: 'Message', value: 'message' },
	[send, reply, getStatus, markAsRead, sendTemplate, sendAndWait],
	'send',
);
