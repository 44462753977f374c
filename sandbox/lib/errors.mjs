// edna's error answers. Everything but callback/set answers problem details `{title, status, detail}`
// (https://docs.edna.io/kb/cascade-verification-errors); titles of docs/edna-api.md §7.2.
import { CALLBACK_ERROR_STATUS } from './choices.mjs';

// Bodies edna does not document, chosen with the other choices.
export { NOT_READABLE, TOO_MANY } from './choices.mjs';

export class ApiError extends Error {
	constructor(status, title, detail) {
		super(detail);
		this.status = status;
		this.body = { title, status, detail };
	}
}

/** 400 with an edna code as title. */
export const invalid = (title, detail) => new ApiError(400, title, detail);

/** callback/set answers `{"code": "<error>"}` instead (docs/edna-api.md §5.1; its status: choices.mjs). */
export class CallbackError extends Error {
	constructor(code) {
		super(code);
		this.status = CALLBACK_ERROR_STATUS;
		this.body = { code };
	}
}

export const UNAUTHORIZED = {
	title: 'unauthorized',
	status: 401,
	detail: 'Check the spelling and the expiration date of the API key',
};
export const NOT_FOUND = { title: 'not-found', status: 404, detail: 'Not found requested URL.' };
export const METHOD_NOT_ALLOWED = {
	title: 'method-not-allowed',
	status: 405,
	detail: 'Use POST, GET, and other methods according to the documentation.',
};
export const SYSTEM_ERROR = {
	title: 'system-error',
	status: 500,
	detail: 'Contact the support team. This can happen if the request is incorrect.',
};
