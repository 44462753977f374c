import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ednaRequest } from '../../transport';
import type { OperationModule } from '../types';
import { markAsReadBody } from './bodies';

/** Message → Mark as Read: `POST in-message/change-status` (docs/edna-api.md §5.3). */

export const description: INodeProperties[] = [
	{
		displayName:
			'edna marks incoming messages as read by itself unless its support has turned that off for your account',
		name: 'markAsReadNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Incoming Message ID',
		name: 'incomingMessageId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description: 'The ID of the received message: the ID field of a Message Received item from the edna Pulse Trigger',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const body = markAsReadBody(this.getNodeParameter('incomingMessageId', itemIndex));
	// Marking read twice changes nothing, so the transport may repeat it like a read.
	const response = await ednaRequest<IDataObject>(this, {
		method: 'POST',
		path: 'in-message/change-status',
		body,
		kind: 'read',
		itemIndex,
	});
	return [{ id: body.id, status: body.status, response }];
}

export const markAsRead: OperationModule = {
	option: {
		name: 'Mark as Read',
		value: 'markAsRead',
		action: 'Mark a received message as read',
		description: 'Show the customer that their WhatsApp message was read',
	},
	description,
	execute,
};
