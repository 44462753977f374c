import { defineResource } from '../defineResource';
import { get } from './get.operation';
import { getMany } from './getMany.operation';

/** Template: a channel's message templates ("message matchers", docs/edna-api.md §4). */
export const template = defineResource(
	{ name: 'Template', value: 'template', description: "A channel's message templates" },
	[getMany, get],
	'getMany',
);
