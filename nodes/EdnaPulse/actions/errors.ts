/**
 * A parameter the action node cannot send as given: the message names the parameter, the description
 * says how to fix it. Thrown by the pure builders and look-ups before anything reaches edna; the router
 * turns it into the item's error.
 */
export class BuildError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'BuildError';
	}
}
