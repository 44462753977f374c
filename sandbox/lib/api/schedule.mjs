// POST cascade/schedule (https://docs-pulse.edna.io/docs/api/messages/sending,
// http://docs-pulse.edna.io/docs/api/messages/errorcodes).
import { authorizeChannels } from '../auth.mjs';
import {
	CODES,
	REFUSED_REQUEST_TAKES_ID,
	SUBSCRIBER_TYPE_DEFAULT,
	idOf,
	startDelayS,
	subscriberAddress,
} from '../choices.mjs';
import { CONTENT_KEYS, channelOfContentKey, checkContent } from '../content.mjs';
import { invalid } from '../errors.mjs';
import { addOutMessage } from '../messages.mjs';
import { cascadeById, channelBySubjectId, idTaken, stageUuid } from '../state.mjs';

const blank = (v) => v === undefined || v === null || v === '';
const notValid = (violation) =>
	invalid(
		'cascade-scheduling-request-not-valid',
		`Cascade scheduling request is not valid. Violations: ${violation}`,
	);

export function schedule({ state, clock, key, body, delivery }) {
	if (blank(body.requestId))
		throw invalid(CODES.requestIdMissing, 'The requestId is not specified.');
	const requestId = idOf(body.requestId);
	if (idTaken(state.usedRequestIds, requestId, clock)) {
		throw invalid(
			'requestId-is-not-unique',
			'This request ID has already been used. Use a new ID for each request.',
		);
	}
	if (REFUSED_REQUEST_TAKES_ID) state.usedRequestIds.set(requestId, Date.now());
	const cascade = cascadeById(state, Number(body.cascadeId));
	if (!cascade)
		throw invalid(
			'cascade-not-found',
			`Cascade template not found [cascadeId:${body.cascadeId ?? ''}]`,
		);
	if (cascade.status !== 'ACTIVE')
		throw invalid(
			CODES.cascadeDisabled,
			`Cascade template not found [cascadeId:${cascade.id}]: the cascade is ${cascade.status}`,
		);
	authorizeChannels(key, cascade.stages);

	const filter = body.subscriberFilter;
	if (!filter || blank(filter.address)) throw notValid('subscriberFilter.address is not specified');
	if ((filter.type ?? SUBSCRIBER_TYPE_DEFAULT) !== 'PHONE')
		throw notValid(`subscriberFilter.type ${filter.type} is not supported for sending`);
	const address = subscriberAddress(filter.address);

	const content = body.content;
	if (!content || typeof content !== 'object' || Object.keys(content).length === 0)
		throw invalid('content-not-specified', 'The content is not specified.');
	const stageChannels = cascade.stages.map((id) => channelBySubjectId(state, id));
	for (const k of Object.keys(content)) {
		const type = channelOfContentKey(k);
		if (!stageChannels.some((c) => c.type === type)) {
			throw notValid(
				`the cascade template stage was not found for the content [cascadeTemplateId:${cascade.id};contentChannelType:${type}]`,
			);
		}
	}
	const missing = stageChannels.filter((c) => !content[CONTENT_KEYS[c.type]]);
	if (missing.length) {
		throw invalid(
			"request-doesn't-contain-content-for-all-cascade-stages",
			`Add content for each channel of the cascade: ${missing.map((c) => c.type).join(', ')}`,
		);
	}
	const stages = stageChannels.map((channel, i) => ({
		subjectId: channel.subjectId,
		uuid: stageUuid(cascade, i),
		...checkContent(state, channel, content[CONTENT_KEYS[channel.type]]),
	}));

	let delaySeconds = 0;
	if (!blank(body.startTime)) {
		const at = Date.parse(body.startTime);
		if (Number.isNaN(at)) throw notValid(`startTime ${body.startTime} is not an ISO-8601 date`);
		delaySeconds = startDelayS(at, Date.now());
	}

	state.usedRequestIds.set(requestId, Date.now());
	const first = stageChannels[0];
	const message = addOutMessage(state, {
		api: 'cascade',
		requestId,
		comment: body.comment ?? null,
		cascadeId: cascade.id,
		stages,
		stageIndex: 0,
		stageUuid: stages[0].uuid,
		subjectId: first.subjectId,
		subject: first.subject,
		channelType: first.type,
		address,
		content: stages[0].content,
		isTemplate: stages[0].isTemplate,
		templateId: stages[0].templateId,
		templateCategory: stages[0].templateCategory,
	});
	delivery.start(message, delaySeconds);
	return { status: 200, body: { requestId }, message };
}
