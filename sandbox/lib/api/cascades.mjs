// POST cascade/get-all (http://docs-pulse.edna.io/docs/api/cascades/get-cascades).
import { isRestricted, mayUseChannel } from '../auth.mjs';
import { lastStageStages } from '../choices.mjs';
import { channelBySubjectId, stageUuid } from '../state.mjs';

/**
 * A cascade as edna lists it: its first stage in `stages`, and each fallback stage nested in the
 * `stages` of the stage before it; each stage has its channel as `subject` (`subject.id` = subjectId).
 */
export function cascadeView(state, cascade) {
	const stage = (i) => {
		const ch = channelBySubjectId(state, cascade.stages[i]);
		const last = i === cascade.stages.length - 1;
		return {
			order: i + 1,
			uuid: stageUuid(cascade, i),
			// the wait before the next stage; the last stage has none
			decision: !last && cascade.ttl ? { type: 'TTL', ttl: cascade.ttl } : null,
			subject: {
				id: ch.subjectId,
				name: ch.name,
				subject: ch.subject,
				description: null,
				type: ch.type,
				tenantId: state.account?.tenantId ?? 1,
				testing: false,
				locked: !ch.active,
				approveStatus: ch.active ? 'APPROVED' : 'NOT_APPROVED',
			},
			stages: last ? lastStageStages() : [stage(i + 1)],
		};
	};
	return {
		id: cascade.id,
		name: cascade.name,
		status: cascade.status,
		stagesCount: String(cascade.stages.length),
		stages: cascade.stages.length ? [stage(0)] : [],
	};
}

export function getAll({ state, key, body }) {
	const offset = Number.isInteger(body.offset) && body.offset > 0 ? body.offset : 0;
	const limit = Number.isInteger(body.limit) && body.limit > 0 ? body.limit : Infinity; // 0 = all
	const visible = state.cascades.filter(
		(c) => !isRestricted(key) || c.stages.every((id) => mayUseChannel(key, id)),
	);
	return {
		status: 200,
		body: visible.slice(offset, offset + limit).map((c) => cascadeView(state, c)),
	};
}
