import { z } from 'zod';

/**
 * Building blocks for the per-kind schemas. Every schema is lenient on purpose: unknown keys pass
 * through, enumerations are free strings, and only documented fields with the wrong type or missing
 * required fields are reported (docs/edna-api.md §W9: "nullable everywhere").
 */

/** edna IDs are integers in the docs; a string ID is tolerated so a format change is not an issue. */
export const ednaId = z.union([z.number(), z.string()], {
	errorMap: () => ({ message: 'Expected a number or a string ID' }),
});

/** ISO 8601 text with seconds, milliseconds or nanoseconds; kept as sent, never re-formatted. */
export const timestamp = z.string().min(1, 'Expected an ISO 8601 date-time');

export const optionalText = z.string().nullish();
export const optionalId = ednaId.nullish();
export const looseObject = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();

type Accepts = (value: unknown) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
};

/**
 * A predicate built once from a schema that is true only where zod would accept the value, so a
 * valid event (nearly every one edna sends) costs a few property reads instead of zod's copy of the
 * whole event. It knows only the zod types the schemas above use; for anything else, and whenever it
 * says false, zod itself decides and writes the issues.
 */
function acceptor(schema: z.ZodTypeAny): Accepts | undefined {
	if (schema instanceof z.ZodString) {
		if (schema._def.coerce) return undefined;
		let min = 0;
		for (const check of schema._def.checks) {
			if (check.kind !== 'min') return undefined;
			min = Math.max(min, check.value);
		}
		return (v) => typeof v === 'string' && v.length >= min;
	}
	if (schema instanceof z.ZodNumber) {
		if (schema._def.coerce || schema._def.checks.length > 0) return undefined;
		return (v) => typeof v === 'number' && !Number.isNaN(v);
	}
	if (schema instanceof z.ZodBoolean) {
		return schema._def.coerce ? undefined : (v) => typeof v === 'boolean';
	}
	if (schema instanceof z.ZodLiteral) {
		const literal: unknown = schema._def.value;
		return (v) => v === literal;
	}
	if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) {
		const inner = acceptor(schema._def.innerType);
		if (inner === undefined) return undefined;
		return schema instanceof z.ZodNullable ? (v) => v === null || inner(v) : (v) => v === undefined || inner(v);
	}
	if (schema instanceof z.ZodUnion) {
		const options = (schema._def.options as z.ZodTypeAny[]).map(acceptor);
		if (options.some((o) => o === undefined)) return undefined;
		return (v) => options.some((o) => (o as Accepts)(v));
	}
	if (schema instanceof z.ZodArray) {
		const d = schema._def;
		const element = acceptor(d.type);
		if (element === undefined || d.minLength !== null || d.maxLength !== null || d.exactLength !== null) {
			return undefined;
		}
		return (v) => {
			if (!Array.isArray(v)) return false;
			// Every index, holes included (Array#every would skip them; zod does not).
			for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
			return true;
		};
	}
	if (schema instanceof z.ZodObject) {
		if (schema._def.unknownKeys === 'strict' || !(schema._def.catchall instanceof z.ZodNever)) return undefined;
		const fields: Array<[string, Accepts]> = [];
		for (const [key, field] of Object.entries(schema.shape as z.ZodRawShape)) {
			const accepts = acceptor(field);
			if (accepts === undefined) return undefined;
			fields.push([key, accepts]);
		}
		return (v) => isPlainObject(v) && fields.every(([key, accepts]) => accepts(v[key]));
	}
	return undefined;
}

/** Built on first use per schema; the schemas are module constants, so this never grows past them. */
const acceptors = new WeakMap<z.ZodTypeAny, Accepts | null>();

function acceptorOf(schema: z.ZodTypeAny): Accepts | null {
	let accepts = acceptors.get(schema);
	if (accepts === undefined) {
		accepts = acceptor(schema) ?? null;
		acceptors.set(schema, accepts);
	}
	return accepts;
}

/** Zod issues as short "path: message" lines for the item's `validationIssues`. */
export function issuesOf(schema: z.ZodTypeAny, value: unknown): string[] {
	if (acceptorOf(schema)?.(value) === true) return [];
	const result = schema.safeParse(value);
	if (result.success) return [];
	return result.error.issues.map(
		(issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`,
	);
}
