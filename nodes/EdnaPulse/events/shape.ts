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

/** Joins identity parts, or undefined when one is missing so the caller falls back to a digest. */
export const joinKey = (...parts: unknown[]): string | undefined => {
	const text = parts.map(keyPart);
	return text.every((p) => p !== undefined) ? text.join(':') : undefined;
};

/** `null` rather than `undefined` for absent optional fields, so every simplified item has them all. */
export const orNull = (value: unknown): IDataObject[string] =>
	value === undefined ? null : (value as IDataObject[string]);
