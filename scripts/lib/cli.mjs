// The command-line handling the scripts' entry points share: strict options, -h/--help, and usage
// errors that exit 2 with the tool's name and a pointer to --help.
import { parseArgs } from 'node:util';

/**
 * Parses `process.argv` against `options` (node:util parseArgs, strict; `-h/--help` is added).
 * With --help it prints `help` and exits 0. Returns the values, the positionals (with
 * `allowPositionals`) and `fail(message)`, which prints "<name>: message" and exits 2, for the
 * checks the script makes itself.
 */
export function parseCli({ name, help, options, allowPositionals = false }) {
	const fail = (message) => {
		console.error(`${name}: ${message}\nRun with --help for usage.`);
		process.exit(2);
	};
	let values;
	let positionals;
	try {
		({ values, positionals } = parseArgs({
			options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
			strict: true,
			allowPositionals,
		}));
	} catch (error) {
		fail(error.message);
	}
	if (values.help) {
		console.log(help);
		process.exit(0);
	}
	return { values, positionals, fail };
}
