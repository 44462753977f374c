import {
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { locatorOf } from '../shared/descriptions';
import { BuildError } from '../actions/errors';
import { findChannel } from '../actions/channel/channels';
import { channelTemplates } from '../actions/template/load';
import { isSendable, templateSearchPage } from '../actions/template/templates';
import { getChannels, type EdnaChannel } from '../transport/lists';

/**
 * The template pickers' lists: the templates of the channel chosen in the same node, filtered by
 * the search text and paged here (edna returns a channel's templates in one answer, docs/edna-api.md §4.1).
 */

/** The channel the node's Channel parameter names, for the editor's calls. */
export async function currentChannel(ctx: ILoadOptionsFunctions): Promise<EdnaChannel | undefined> {
	const { mode, value } = locatorOf(ctx.getCurrentNodeParameter('channel'));
	if (value.trim() === '' || value.startsWith('=')) return undefined;
	try {
		return findChannel(await getChannels(ctx), mode, value);
	} catch (error) {
		if (error instanceof BuildError) {
			throw new NodeOperationError(ctx.getNode(), error.message, {
				description: error.description,
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

async function search(
	ctx: ILoadOptionsFunctions,
	keep: (template: IDataObject) => boolean,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const channel = await currentChannel(ctx);
	if (channel === undefined) return { results: [] };
	const templates = (await channelTemplates(ctx, Number(channel.subjectId))).filter(keep);
	return templateSearchPage(templates, filter, paginationToken);
}

/** Template → Get: every template of the channel. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search(this, () => true, filter, paginationToken);
}

/** Message → Send Template: only what edna sends, approved and unlocked templates. */
export async function searchSendableTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search(this, isSendable, filter, paginationToken);
}
