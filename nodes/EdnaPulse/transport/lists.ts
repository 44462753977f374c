import { perRun } from '../shared/perRun';
import { ednaRequest, type EdnaContext } from './index';

/**
 * edna's channel and cascade lists, read once per node run: the pickers of both nodes and the action
 * node's sends use them.
 */

/** A channel as `channel-profile` lists it (docs/edna-api.md §3.1). */
export interface EdnaChannel {
	id?: number;
	name?: string;
	subjectId?: number | null;
	subject?: string;
	channelAttribute?: string | null;
	active?: boolean;
	registrationStatus?: string;
	type?: string;
	limit?: string | null;
	qualityScore?: string | null;
	qualityStatus?: string | null;
	instruction?: string | null;
	[key: string]: unknown;
}

/** A cascade as `cascade/get-all` lists it (docs/edna-api.md §3.2). */
export interface EdnaCascade {
	id: number;
	name?: string;
	status?: string;
	stagesCount?: number | string;
	stages?: Array<{
		order?: number;
		uuid?: string;
		decision?: unknown;
		subject?: { id?: number; name?: string; subject?: string; type?: string; locked?: boolean; [key: string]: unknown };
		[key: string]: unknown;
	}>;
	[key: string]: unknown;
}

const channelLists = perRun<EdnaChannel[]>();
const cascadeLists = perRun<EdnaCascade[]>();

const asArray = <T>(body: unknown): T[] => (Array.isArray(body) ? (body as T[]) : []);

/** `GET channel-profile[?types=…]`, once per node run and filter. */
export function getChannels(ctx: EdnaContext, types: string[] = []): Promise<EdnaChannel[]> {
	const key = [...types].sort().join(',');
	return channelLists(ctx, key, () =>
		ednaRequest<unknown>(ctx, {
			method: 'GET',
			path: 'channel-profile',
			qs: key === '' ? undefined : { types: key },
			kind: 'read',
		}).then((body) => asArray<EdnaChannel>(body)),
	);
}

/** `POST cascade/get-all` with limit 0 (all; sandbox/README.md, Choices), once per node run. */
export function getCascades(ctx: EdnaContext): Promise<EdnaCascade[]> {
	return cascadeLists(ctx, '', () =>
		ednaRequest<unknown>(ctx, {
			method: 'POST',
			path: 'cascade/get-all',
			body: { offset: 0, limit: 0 },
			kind: 'read',
		}).then((body) => asArray<EdnaCascade>(body)),
	);
}
