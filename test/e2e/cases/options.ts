/**
 * The end-to-end cases are functions, so each n8n version the package is tested with runs the same
 * test bodies: the top-level e2e files run them in the default n8n (2.41.1), test/e2e/n8n1x/ runs
 * the smoke set in n8n 1.123.x.
 */
export interface E2eCaseOptions {
	/** The pinned n8n to run in (dev/n8n/runtime.ts); N8N_VERSION (2.41.1) unless told. */
	n8nVersion?: string;
	/** Only the smoke set: the tests beyond it are reported as skipped. */
	smoke?: boolean;
}

/** The describe title, naming the n8n version when it is not the default. */
export function titled(title: string, options: E2eCaseOptions): string {
	return options.n8nVersion ? `${title} (n8n ${options.n8nVersion})` : title;
}

/** `it` for a test outside the smoke set: skipped when only the smoke set runs. */
export function beyondSmoke(options: E2eCaseOptions): jest.It {
	return options.smoke ? it.skip : it;
}
