import type { IDataObject } from 'n8n-workflow';

/** Helpers for reading untrusted JSON without throwing. */

export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object under `key`, or an empty object when it is missing or not an object. */
export const objectAt = (value: IDataObject, key: string): IDataObject => {
	const inner = value[key];
	return isObject(inner) ? inner : {};
};

/** Scalars as text for keys; undefined for anything else (objects, arrays, null). */
export const keyPart = (value: unknown): string | undefined =>
	typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? String(value)
		: undefined;

// Most parts are plain IDs: test before paying for a regular-expression replace on every event.
const escapeKeyPart = (part: string): string =>
	part.includes(':') || part.includes('\\') ? part.replace(/[\\:]/g, '\\$&') : part;

/**
 * Joins identity parts, or undefined when one is missing so the caller falls back to a digest.
 * `:` and `\` are escaped in every part but the last (a timestamp, with colons of its own), so two
 * different events never share a key: `a:b` + `c` and `a` + `b:c` stay apart.
 */
export const joinKey = (...parts: unknown[]): string | undefined => {
	const text = parts.map(keyPart);
	if (!text.every((p): p is string => p !== undefined)) return undefined;
	return text.map((p, i) => (i < text.length - 1 ? escapeKeyPart(p) : p)).join(':');
};

/** `null` rather than `undefined` for absent optional fields, so every simplified item has them all. */
export const orNull = (value: unknown): IDataObject[string] =>
	value === undefined ? null : (value as IDataObject[string]);
