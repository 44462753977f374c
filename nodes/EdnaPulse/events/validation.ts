import { z } from 'zod';

/**
 * Building blocks for the per-kind schemas. Every schema is lenient on purpose: unknown keys pass
 * through, enumerations are free strings, and only documented fields with the wrong type or missing
 * required fields are reported (wire-format doc, section 9: "nullable everywhere").
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

/** Zod issues as short "path: message" lines for the item's `validationIssues`. */
export function issuesOf(schema: z.ZodTypeAny, value: unknown): string[] {
	const result = schema.safeParse(value);
	if (result.success) return [];
	return result.error.issues.map(
		(issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`,
	);
}
