import type { IDataObject } from 'n8n-workflow';

import { isObject, objectAt } from '../../shared/json';

/**
 * The variables of an edna template, read from the template itself (docs/edna-api.md §4.1): the
 * one home for this rule. The Send Template fields, the check before a send and the Template
 * output's counts all come from here, so they can never disagree.
 *
 * - Body: `{{1}}…{{n}}` in `content.text` → `textVariables`, in the order of the numbers.
 * - Header: `{{1}}` in `content.header.text` of a TEXT header → `headerVariables`.
 * - Buttons: each button of `content.keyboard.rows[].buttons[]` whose `url` (or `urlPostfix`)
 *   contains a placeholder is a dynamic link button → one entry of `buttonVariables`, in the order
 *   the buttons appear (docs/edna-api.md §2.2: "dynamic link buttons").
 * - A media header (IMAGE, VIDEO, DOCUMENT) needs `attachment` on the send.
 *
 * A placeholder is exactly `{{<number from 1>}}`, as edna and Meta write them (Bitrix counts them
 * with `/{{[\d]+}}/`, docs/edna-api.md §4.1). A number used twice is one variable. Anything else between
 * braces (`{{ 1 }}`, `{{name}}`, `{{0}}`) is not a variable: edna sends it as text; it is reported
 * in `notVariables` so the editor can say so.
 */

export type VariableGroup = 'body' | 'header' | 'button';

export type MediaHeader = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

export interface TemplateVariable {
	group: VariableGroup;
	/** The field key in the node's mapped values: `body_1`, `header_1`, `button_1`. */
	key: string;
	/** The placeholder number for body and header; the button's rank among dynamic buttons. */
	number: number;
	/** What the user reads, at most MAX_FIELD_NAME characters, e.g. `Body {{1}} (e.g. Alex)`. */
	displayName: string;
	example?: string;
}

export interface TemplateVariables {
	body: TemplateVariable[];
	header: TemplateVariable[];
	buttons: TemplateVariable[];
	mediaHeader: MediaHeader | null;
	/** Brace sequences that look like variables but are not, e.g. `{{name}}`. */
	notVariables: string[];
}

const PLACEHOLDER = /\{\{(\d+)\}\}/g;
const BRACES = /\{\{[^{}]*\}\}/g;
const MEDIA_HEADERS: readonly string[] = ['IMAGE', 'VIDEO', 'DOCUMENT'];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The distinct placeholder numbers in a text, ascending. `{{0}}` is not one (edna counts from 1). */
export function placeholderNumbers(value: unknown): number[] {
	const found = new Set<number>();
	for (const match of text(value).matchAll(PLACEHOLDER)) {
		const n = Number(match[1]);
		if (n >= 1) found.add(n);
	}
	return [...found].sort((a, b) => a - b);
}

/** Brace sequences in a text that are not placeholders, in order, without repeats. */
export function notPlaceholders(value: unknown): string[] {
	const found = new Set<string>();
	for (const match of text(value).matchAll(BRACES)) {
		const exact = /^\{\{(\d+)\}\}$/.exec(match[0]);
		if (exact === null || Number(exact[1]) < 1) found.add(match[0]);
	}
	return [...found];
}

/**
 * The longest field name n8n's editor shows whole: it cuts a mapped field's name after about 25
 * characters (`Button 1 "Track parcel" U…`). Every name is kept at or below this.
 */
export const MAX_FIELD_NAME = 24;

/** The first name that fits, most telling first; the last candidate always fits. */
const fitting = (...candidates: string[]): string =>
	candidates.find((name) => name.length <= MAX_FIELD_NAME) ?? candidates[candidates.length - 1];

/** `Body {{1}} (e.g. Alex)` when edna's example fits in the name, else `Body {{1}}`. */
const withExample = (name: string, example: string | undefined): string =>
	example === undefined || example === '' ? name : fitting(`${name} (e.g. ${example})`, name);

const exampleAt = (list: unknown, index: number): string | undefined => {
	if (!Array.isArray(list)) return undefined;
	const value: unknown = list[index];
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

function buttonsOf(content: IDataObject): IDataObject[] {
	const rows = objectAt(content, 'keyboard').rows;
	if (!Array.isArray(rows)) return [];
	return rows.flatMap((row: unknown) =>
		isObject(row) && Array.isArray(row.buttons) ? row.buttons.filter(isObject) : [],
	);
}

// A link button (buttonType URL; a button without a type is taken as one) with a placeholder.
const isDynamicButton = (button: IDataObject): boolean =>
	(button.buttonType === undefined ||
		button.buttonType === null ||
		text(button.buttonType).toUpperCase() === 'URL') &&
	(placeholderNumbers(button.url).length > 0 || placeholderNumbers(button.urlPostfix).length > 0);

/** Every variable of a template as edna returns it from `message-matchers/get-by-request`. */
export function templateVariables(template: IDataObject): TemplateVariables {
	const content = objectAt(template, 'content');
	const header = objectAt(content, 'header');
	const headerType = text(header.headerType).toUpperCase();

	// Numbers may skip (`{{1}}`, `{{3}}`): values and examples (one per placeholder, as edna's
	// clients check) both go in the order of the numbers.
	const body = placeholderNumbers(content.text).map((n, position): TemplateVariable => {
		const example = exampleAt(content.textExampleParams, position);
		return {
			group: 'body',
			key: `body_${n}`,
			number: n,
			displayName: withExample(`Body {{${n}}}`, example),
			example,
		};
	});

	const headerText = headerType === 'TEXT' ? header.text : undefined;
	const headerVariables = placeholderNumbers(headerText).map((n): TemplateVariable => {
		// edna keeps one header example (`headerExampleTextParam`): WhatsApp allows one header variable.
		const example = n === 1 ? exampleAt([header.headerExampleTextParam], 0) : undefined;
		return {
			group: 'header',
			key: `header_${n}`,
			number: n,
			displayName: withExample(`Header {{${n}}}`, example),
			example,
		};
	});

	const buttons = buttonsOf(content)
		.filter(isDynamicButton)
		.map((button, i): TemplateVariable => {
			const rank = i + 1;
			const label = text(button.text).trim();
			const example = exampleAt([button.urlTextExample], 0);
			return {
				group: 'button',
				key: `button_${rank}`,
				number: rank,
				// The button's text tells which button it is; its URL example never fits and is left out.
				displayName: label === '' ? `Button ${rank} URL` : fitting(`Button ${rank} "${label}"`, `Button ${rank} URL`),
				example,
			};
		});

	const notVariables = [
		...new Set([
			...notPlaceholders(content.text),
			...notPlaceholders(headerText),
			...buttonsOf(content).flatMap((b) => [
				...notPlaceholders(b.url),
				...notPlaceholders(b.urlPostfix),
			]),
		]),
	];

	return {
		body,
		header: headerVariables,
		buttons,
		mediaHeader: MEDIA_HEADERS.includes(headerType) ? (headerType as MediaHeader) : null,
		notVariables,
	};
}

export const allVariables = (variables: TemplateVariables): TemplateVariable[] => [
	...variables.header,
	...variables.body,
	...variables.buttons,
];

/** The three arrays of a v1 template send (docs/edna-api.md §2.2), each in its template order. */
export interface VariableValues {
	textVariables: string[];
	headerVariables: string[];
	buttonVariables: string[];
}

export type VariableCheck =
	| { ok: true; values: VariableValues }
	| {
			ok: false;
			/** Display names of the variables with no value, e.g. `Body {{2}} (e.g. 10.05)`. */
			missing: string[];
			/** Keys given that the template does not have (fields made for an older version of it). */
			unknown: string[];
	  };

const valueText = (value: unknown): string | undefined => {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
};

/**
 * Checks the values given for a template's variables before the send: every variable has a
 * non-blank value and no value is for a variable the template lacks. edna (like Meta) refuses a
 * send whose counts differ from the template or that has an empty value (sandbox/README.md, Choices:
 * `template-variables-mismatch`); saying which variable it is, before the call, is the point.
 */
export function checkVariableValues(
	variables: TemplateVariables,
	given: Record<string, unknown> | null | undefined,
): VariableCheck {
	const values = given ?? {};
	const expected = allVariables(variables);
	const keys = new Set(expected.map((v) => v.key));
	const missing = expected
		.filter((v) => (valueText(values[v.key]) ?? '').trim() === '')
		.map((v) => v.displayName);
	// A key with no value is harmless (n8n keeps removed fields as empty); one with a value is not.
	const unknown = Object.keys(values).filter(
		(key) => !keys.has(key) && (valueText(values[key]) ?? '').trim() !== '',
	);
	if (missing.length > 0 || unknown.length > 0) return { ok: false, missing, unknown };
	const pick = (list: TemplateVariable[]) => list.map((v) => valueText(values[v.key]) as string);
	return {
		ok: true,
		values: {
			textVariables: pick(variables.body),
			headerVariables: pick(variables.header),
			buttonVariables: pick(variables.buttons),
		},
	};
}

/** A user-facing sentence for a failed check. */
export function describeVariableProblem(
	check: Extract<VariableCheck, { ok: false }>,
	templateName: string,
): string {
	const parts: string[] = [];
	if (check.missing.length > 0) {
		parts.push(
			`${check.missing.length === 1 ? 'This variable has' : 'These variables have'} no value: ${check.missing.join(', ')}`,
		);
	}
	if (check.unknown.length > 0) {
		parts.push(
			`template "${templateName}" has no ${check.unknown.join(', ')} (the fields were made for another version of it: refresh them)`,
		);
	}
	const sentence = parts.join('; ');
	return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}
