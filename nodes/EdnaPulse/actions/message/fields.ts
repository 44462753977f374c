import type { INodeProperties } from 'n8n-workflow';

/** Parameters the message sends share (Send, Reply, Send Template). */

export const recipientPhoneField: INodeProperties = {
	displayName: 'Recipient Phone',
	name: 'phone',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +357 9000 0001',
	description: 'In international format. Spaces, dashes and a leading + are removed.',
};

export const sendIdOption: INodeProperties = {
	displayName: 'Send ID',
	name: 'sendId',
	type: 'string',
	default: '',
	description:
		'The ID edna receives with the message (requestId). edna never sends two messages with one ID: an ID used before gives the outcome "alreadySent". Empty: derived from the trigger event (eventKey) or from the execution and item, so a re-run does not send twice.',
};

/**
 * The comment a send of version 1.1 or later carries when the Comment option is empty: edna returns
 * it in history, which is how Conversation → Get tells the node's messages from a person's
 * (HAND-OVER RULE, conversation.ts).
 */
export const OWN_COMMENT = 'n8n';

export const commentOption: INodeProperties = {
	displayName: 'Comment',
	name: 'comment',
	type: 'string',
	default: '',
	description:
		"Text edna returns in the message's status webhooks (comment) and in its history. Empty: \"n8n\" (node version 1.1 and later), which marks the message as sent by an automation, not by a person.",
};
