import type { EdnaChannel } from '../../transport/lists';
import { BuildError } from '../errors';

/** The channel a locator names: a subjectId (list and ID modes, or digits by name) or a subject. */
export function findChannel(channels: EdnaChannel[], mode: string, value: string): EdnaChannel {
	const wanted = value.trim();
	if (wanted === '') throw new BuildError('No channel is chosen', 'Pick the channel from the list, or enter its ID or name.');
	const byId = mode !== 'name' || /^\d+$/.test(wanted);
	const found = byId
		? channels.find((c) => c.subjectId !== null && c.subjectId !== undefined && String(c.subjectId) === wanted)
		: (channels.find((c) => c.subject === wanted) ?? channels.find((c) => c.subject?.toLowerCase() === wanted.toLowerCase()));
	if (found === undefined) {
		throw new BuildError(
			`No channel ${byId ? `with ID ${wanted}` : `named "${wanted}"`} among the channels of this API key`,
			'Pick the channel from the list (Channel → Get Many lists them). An additional API key sees only its own channels.',
		);
	}
	if (found.active === false || found.subjectId === null || found.subjectId === undefined) {
		throw new BuildError(
			`The channel "${found.subject ?? found.name ?? wanted}" is not active`,
			`edna reports it as ${found.registrationStatus ?? 'not registered'}${found.instruction ? `: ${found.instruction}` : ''}.`,
		);
	}
	return found;
}
