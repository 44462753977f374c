import type { IDataObject } from 'n8n-workflow';

import type { CallbackField } from '../../transport/callbackSet';
import type { ActiveFilters, FilterName } from './filters';

/** The five webhook kinds edna Pulse sends (docs/edna-api.md §W0). */
export type EdnaEventKind =
	| 'messageStatus'
	| 'incomingMessage'
	| 'templateStatus'
	| 'templateCategory'
	| 'linkClick';

/** What the node calls an event in its output: a known kind, or `unknown`. */
export type EdnaEventType = EdnaEventKind | 'unknown';

/** One edna event exactly as it arrived: a JSON object. */
export type EdnaEvent = IDataObject;

/** Everything the node knows about one kind of edna event. One module per kind implements it. */
export interface EdnaEventDefinition {
	kind: EdnaEventKind;
	/** Label in the node's Event dropdown, in the user's words. */
	displayName: string;
	description: string;
	/** The edna setting that receives this node's URL. */
	ednaSetting: string;
	/**
	 * The field of edna's `callback/set` that sets this URL (docs/edna-api.md §5.1), so the trigger can
	 * register itself. Absent when edna's API has no field for it (set in edna's UI only).
	 */
	callbackField?: CallbackField;
	/** True when the object is recognisably this kind (shape sniffing; edna sends no discriminator header). */
	recognise(event: EdnaEvent): boolean;
	/** Filters of the node's `filters` collection that apply to this kind. */
	filters: readonly FilterName[];
	/** False when the user's filters remove the event. Runs before validation, so it must tolerate any shape. */
	keep(event: EdnaEvent, filters: ActiveFilters): boolean;
	/** Problems with fields edna documents for this kind, as "path: message". Empty when valid. */
	validate(event: EdnaEvent): string[];
	/** The part of `eventKey` after the kind, or undefined when the identifying fields are missing. */
	identity(event: EdnaEvent): string | undefined;
	/** Flat, friendly fields added to the event in simplified output. */
	simplify(event: EdnaEvent): IDataObject;
}
