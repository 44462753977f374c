import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { stageSummary } from '../actions/cascade/cascades';
import { getCascades, getChannels } from '../transport/lists';
import { searchSendableTemplates, searchTemplates } from './templateSearch';

/**
 * The pickers' lists. edna returns channels and cascades whole (docs/edna-api.md §3), so the filter and
 * the pages are applied here; the page token is the offset of the next page.
 */

export const PAGE_SIZE = 50;

/** One page of a filtered list; `paginationToken` is the offset of the next page, absent on the last. */
export function page(items: INodeListSearchItems[], filter: string | undefined, token: string | undefined): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const matching = wanted === '' ? items : items.filter((i) => `${i.name} ${i.value}`.toLowerCase().includes(wanted));
	const offset = Math.max(0, Number.parseInt(token ?? '0', 10) || 0);
	const next = offset + PAGE_SIZE;
	return {
		results: matching.slice(offset, next),
		paginationToken: next < matching.length ? String(next) : undefined,
	};
}

const label = (value: unknown): string => {
	const s = String(value ?? '').toLowerCase();
	return s === 'whatsapp' ? 'WhatsApp' : s === 'sms' ? 'SMS' : s.charAt(0).toUpperCase() + s.slice(1);
};

/** Active channels that can send (they have a subjectId, docs/edna-api.md §3.1), as "name (WhatsApp, 35790000001)". */
export async function searchChannels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const channels = await getChannels(this);
	const items = channels
		.filter((c) => c.active !== false && c.subjectId !== null && c.subjectId !== undefined)
		.map((c) => ({
			name: `${c.subject ?? c.name ?? c.subjectId} (${[label(c.type), c.channelAttribute].filter(Boolean).join(', ')})`,
			value: String(c.subjectId),
		}));
	return page(items, filter, paginationToken);
}

/** Active cascades, as "name: WhatsApp → SMS". */
export async function searchCascades(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const cascades = await getCascades(this);
	const items = cascades
		.filter((c) => String(c.status ?? '').toUpperCase() === 'ACTIVE')
		.map((c) => ({ name: `${c.name ?? c.id}: ${stageSummary(c)}`, value: String(c.id) }));
	return page(items, filter, paginationToken);
}

export const listSearch = { searchChannels, searchCascades, searchTemplates, searchSendableTemplates };
