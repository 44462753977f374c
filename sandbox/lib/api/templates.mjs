// POST message-matchers/get-by-request (http://docs-pulse.edna.io/docs/api/templates/get-by-request,
// docs/edna-api.md §4.1). Template objects have the shape of the template status webhook (one home:
// lib/webhook-shapes.mjs).
import { templateObject } from '../webhook-shapes.mjs';
import { authorizeChannels } from '../auth.mjs';
import { CODES, templateSubjectId } from '../choices.mjs';
import { invalid } from '../errors.mjs';

const HEADER = {
	headerType: null,
	text: null,
	attachment: null,
	headerExampleTextParam: null,
	headerExampleMediaUrl: null,
};
const BUTTON = {
	text: null,
	buttonType: null,
	url: null,
	urlPostfix: null,
	phone: null,
	payload: null,
	urlTextExample: null,
};

/** A seed template as edna answers it: every field of the fixture, nulls where the seed has none. */
export function templateView(t) {
	const c = t.content ?? {};
	return templateObject({
		id: t.id,
		name: t.name,
		channelType: t.channelType,
		language: t.language,
		content: {
			attachment: c.attachment ?? null,
			action: c.action ?? null,
			caption: c.caption ?? null,
			header: c.header ? { ...HEADER, ...c.header } : null,
			text: c.text ?? null,
			footer: c.footer ?? null,
			keyboard: c.keyboard
				? {
						rows: c.keyboard.rows.map((r) => ({
							buttons: r.buttons.map((b) => ({ ...BUTTON, ...b })),
						})),
					}
				: null,
			textExampleParams: c.textExampleParams ?? [],
		},
		contentType: t.contentType,
		category: t.category,
		status: t.status,
		locked: t.locked,
		type: t.type,
		createdAt: t.createdAt,
		updatedAt: t.updatedAt,
	});
}

export function getByRequest({ state, key, body }) {
	if (body.subjectId === undefined || body.subjectId === null || body.subjectId === '') {
		throw invalid(CODES.subjectIdMissing, 'subjectId is not specified.');
	}
	const subjectId = templateSubjectId(body.subjectId);
	authorizeChannels(key, [subjectId]);
	// older KB: matcherTypes as one string
	const types = [body.matcherTypes ?? []].flat().map(String);
	const list = state.templates.filter(
		(t) => t.subjectIds.includes(subjectId) && (!types.length || types.includes(t.type)),
	);
	return { status: 200, body: list.map(templateView) };
}
