import type { IDataObject } from 'n8n-workflow';

import { ednaRequest, type EdnaContext } from '../../transport';
import type { EdnaChannel } from '../../transport/lists';
import { perRun } from '../../shared/perRun';
import { BuildError } from '../errors';
import {
	findTemplate,
	isSendable,
	templateLabel,
	templateList,
	templateListBody,
	TEMPLATE_LIST_PATH,
} from './templates';

/**
 * Reading a channel's templates from edna, once per node run and channel (the list is the only way
 * to see a template: edna has no get-by-id, docs/edna-api.md §4.1), and picking the one a locator names.
 */

const lists = perRun<IDataObject[]>();

/** `POST message-matchers/get-by-request` for one channel (all types unless some are given). */
export function channelTemplates(
	ctx: EdnaContext,
	subjectId: number,
	matcherTypes: readonly string[] = [],
): Promise<IDataObject[]> {
	const key = `${subjectId}|${[...matcherTypes].sort().join(',')}`;
	return lists(ctx, key, () =>
		ednaRequest<unknown>(ctx, {
			method: 'POST',
			path: TEMPLATE_LIST_PATH,
			body: templateListBody(subjectId, matcherTypes),
			kind: 'read',
		}).then(templateList),
	);
}

export const channelName = (channel: EdnaChannel): string =>
	String(channel.subject ?? channel.name ?? channel.subjectId ?? '?');

/** The template a locator names (list and ID modes: its ID; name mode: "name" or "name · language"). */
export function pickTemplate(
	templates: IDataObject[],
	channel: EdnaChannel,
	locator: { mode: string; value: string },
): IDataObject {
	const found = findTemplate(
		templates,
		locator.mode === 'name' ? 'name' : 'id',
		locator.value,
		channelName(channel),
	);
	if (!found.found) {
		throw new BuildError(
			found.message,
			'Pick the template from the list, or list them with Template → Get Many. Templates belong to one channel: check the channel too.',
		);
	}
	return found.template;
}

/** Refuses what edna would refuse (`template-not-approved`, sandbox/README.md, Choices): not approved, or locked. */
export function assertSendable(template: IDataObject): void {
	if (isSendable(template)) return;
	const why =
		template.locked === true
			? 'locked'
			: `${String(template.status ?? 'without a status')}, not APPROVED`;
	throw new BuildError(
		`Template "${templateLabel(template)}" cannot be sent: it is ${why}`,
		'edna sends only approved, unlocked templates. Check its status in edna Pulse (Templates), or list approved ones with Template → Get Many.',
	);
}
