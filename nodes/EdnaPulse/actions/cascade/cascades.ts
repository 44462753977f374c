import type { EdnaCascade, EdnaChannel } from '../../transport/lists';
import { BuildError } from '../errors';

/**
 * Which cascade a send goes through, and which channel types its stages have. Pure: the lists
 * come from `cascade/get-all` and `channel-profile` (docs/edna-api.md §3).
 */

type Stage = NonNullable<EdnaCascade['stages']>[number];

/** Every stage in order, nested stages (docs/edna-api.md §3.2) included. */
export function stagesOf(cascade: EdnaCascade): Stage[] {
	const flat: Stage[] = [];
	const walk = (stages: unknown) => {
		if (!Array.isArray(stages)) return;
		const sorted = [...(stages as Stage[])].sort((a, b) => (Number(a.order) || 0) - (Number(b.order) || 0));
		for (const stage of sorted) {
			flat.push(stage);
			walk(stage.stages);
		}
	};
	walk(cascade.stages);
	return flat;
}

export const stageTypes = (cascade: EdnaCascade): string[] =>
	stagesOf(cascade).map((stage) => String(stage.subject?.type ?? 'UNKNOWN').toUpperCase());

const isActive = (cascade: EdnaCascade) => String(cascade.status ?? '').toUpperCase() === 'ACTIVE';

/** "WhatsApp → SMS": how the pickers and Cascade → Get Many show a cascade's stages. */
export function stageSummary(cascade: EdnaCascade): string {
	return stagesOf(cascade)
		.map((s) => s.subject?.subject ?? s.subject?.name ?? String(s.subject?.type ?? '?'))
		.join(' → ');
}

/**
 * The channel's own cascade: active, one stage, that stage on this channel and not locked. edna
 * creates one per channel when the channel is registered (docs/edna-api.md §2.1); the same rule as the
 * third-party clients of docs/edna-api.md §3.2.
 */
export function automaticCascade(cascades: EdnaCascade[], channel: EdnaChannel): EdnaCascade {
	const own = cascades.filter((c) => {
		const stages = stagesOf(c);
		return (
			isActive(c) &&
			stages.length === 1 &&
			Number(stages[0].subject?.id) === Number(channel.subjectId) &&
			stages[0].subject?.locked !== true
		);
	});
	const label = `${channel.subject ?? channel.name ?? 'channel'} (ID ${String(channel.subjectId)})`;
	if (own.length === 0) {
		throw new BuildError(
			`No active single-stage cascade sends on the channel ${label}`,
			'Create a cascade with this channel as its only stage in edna Pulse (Cascades), or set "Cascade" to "Choose a Cascade" and pick one. An additional API key sees only cascades whose every stage is one of its channels.',
		);
	}
	if (own.length > 1) {
		throw new BuildError(
			`Several active single-stage cascades send on the channel ${label}: ${own.map((c) => `${c.name ?? ''} (ID ${c.id})`).join(', ')}`,
			'Set "Cascade" to "Choose a Cascade" and pick the one to use.',
		);
	}
	return own[0];
}

/** The cascade a locator names: by ID (list and ID modes) or by name. */
export function findCascade(cascades: EdnaCascade[], mode: string, value: string): EdnaCascade {
	const wanted = value.trim();
	if (wanted === '') throw new BuildError('No cascade is chosen', 'Pick the cascade from the list, or enter its ID.');
	const byName = mode === 'name';
	const found = byName
		? (cascades.find((c) => c.name === wanted) ?? cascades.find((c) => c.name?.toLowerCase() === wanted.toLowerCase()))
		: cascades.find((c) => String(c.id) === wanted);
	if (found === undefined) {
		throw new BuildError(
			`No cascade ${byName ? `named "${wanted}"` : `with ID ${wanted}`} among the cascades of this API key`,
			'Pick the cascade from the list. An additional API key sees only cascades whose every stage is one of its channels.',
		);
	}
	if (!isActive(found)) {
		throw new BuildError(`The cascade "${found.name ?? found.id}" is ${String(found.status ?? 'not active').toLowerCase()}`, 'Activate it in edna Pulse, or pick an active cascade.');
	}
	return found;
}

/** The channel of a cascade's first stage, as the output names it. */
export function firstStageChannel(cascade: EdnaCascade): { channelType: string; subject: string | null; subjectId: number | null } {
	const first = stagesOf(cascade)[0]?.subject;
	return {
		channelType: String(first?.type ?? '').toUpperCase(),
		subject: first?.subject ?? null,
		subjectId: first?.id ?? null,
	};
}

/** What a send goes through: the cascade, and its channel as the output names it. */
export interface Route {
	cascade: EdnaCascade;
	channel: { channelType: string; subject: string | null; subjectId: number | null };
}

/** A chosen cascade (by a locator's mode and value), named by its first stage's channel. */
export function chosenRoute(cascades: EdnaCascade[], locator: { mode: string; value: string }): Route {
	const cascade = findCascade(cascades, locator.mode, locator.value);
	return { cascade, channel: firstStageChannel(cascade) };
}

/** A channel's own cascade (automaticCascade), named by that channel. */
export function ownRoute(cascades: EdnaCascade[], channel: EdnaChannel): Route {
	return {
		cascade: automaticCascade(cascades, channel),
		channel: {
			channelType: String(channel.type ?? '').toUpperCase(),
			subject: channel.subject ?? null,
			subjectId: channel.subjectId ?? null,
		},
	};
}
