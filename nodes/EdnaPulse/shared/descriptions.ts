import type { INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

/**
 * The channel and cascade pickers, which both nodes show. Pickers are resource locators (list, by ID, by name) so
 * that an AI agent using the node as a tool can fill them with plain values.
 */

export const channelLocator: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The edna channel (sender) to use. Only active channels can send.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 101',
			hint: 'The channel\'s subjectId, as Channel → Get Many lists it',
			validation: [
				{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A channel ID (subjectId) is a whole number' } },
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. shop_WA',
			hint: 'The channel\'s name in edna (the "subject" field)',
		},
	],
};

export const cascadeLocator: INodeProperties = {
	displayName: 'Cascade',
	name: 'cascade',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The cascade to send through. The node sends content for each of its stages.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCascades', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 201',
			validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A cascade ID is a whole number' } }],
		},
		{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. WhatsApp then SMS' },
	],
};

/** A resource locator's mode and value, whatever form the parameter came in (an agent may give a plain value). */
export function locatorOf(value: unknown): { mode: string; value: string } {
	if (typeof value === 'object' && value !== null && 'value' in value) {
		const rl = value as INodeParameterResourceLocator;
		return { mode: String(rl.mode ?? 'id'), value: String(rl.value ?? '') };
	}
	return { mode: 'id', value: typeof value === 'string' || typeof value === 'number' ? String(value) : '' };
}
