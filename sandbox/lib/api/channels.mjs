// GET channel-profile (http://docs-pulse.edna.io/docs/api/channels/channel-list).
import { isRestricted, mayUseChannel } from '../auth.mjs';
import { channelTypesOf } from '../choices.mjs';

const FIELDS = [
	'id',
	'name',
	'subjectId',
	'channelAttribute',
	'subject',
	'active',
	'registrationStatus',
	'type',
	'limit',
	'qualityScore',
	'qualityStatus',
	'instruction',
];

/** A channel as edna lists it; `subjectId` "is passed only for registered and active channels". */
export function channelView(channel) {
	const out = {};
	for (const f of FIELDS) if (channel[f] !== undefined) out[f] = channel[f];
	if (!channel.active) delete out.subjectId;
	return out;
}

export function channelProfile({ state, key, query }) {
	const types = channelTypesOf(query.get('types'));
	// A restricted key sees only its own channels (choices.mjs, gap 14).
	const channels = state.channels.filter(
		(c) =>
			(!types.length || types.includes(c.type)) &&
			(!isRestricted(key) || mayUseChannel(key, c.subjectId)),
	);
	return { status: 200, body: channels.map(channelView) };
}
