/**
 * SOQL's relative date literals (SOQL and SOSL Reference, "Date Formats and Date Literals in
 * WHERE"): each is a range of time starting at 00:00:00, in the querying user's time zone — GMT for
 * the stand-in's users — counted from the org's clock. `=` finds values inside the range, `<` before
 * it, `>` after it. The stand-in knows the day and month ones; the week, quarter and fiscal ones
 * depend on locale and fiscal settings and answer MALFORMED_QUERY here (a stand-in limit).
 */

/** [start, end) in milliseconds. */
export interface DateRange {
	start: number;
	end: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LAST_OR_NEXT_N_DAYS = /^(LAST|NEXT)_N_DAYS:(\d+)$/;

function month(now: number, offset: number): DateRange {
	const date = new Date(now);
	return {
		start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1),
		end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset + 1, 1),
	};
}

/** The range a literal names at `now`, or undefined when it is none the stand-in knows. */
export function dateLiteralRange(text: string, now: number): DateRange | undefined {
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	const tomorrow = today + DAY_MS;
	const word = text.toUpperCase();
	const days = LAST_OR_NEXT_N_DAYS.exec(word) ?? /^(LAST|NEXT)_(90)_DAYS$/.exec(word);
	// LAST_N_DAYS:n includes today ("LAST_N_DAYS:1 includes yesterday and today"); NEXT_N_DAYS:n starts tomorrow.
	if (days)
		return days[1] === 'LAST'
			? { start: today - Number(days[2]) * DAY_MS, end: tomorrow }
			: { start: tomorrow, end: tomorrow + Number(days[2]) * DAY_MS };
	switch (word) {
		case 'YESTERDAY':
			return { start: today - DAY_MS, end: today };
		case 'TODAY':
			return { start: today, end: tomorrow };
		case 'TOMORROW':
			return { start: tomorrow, end: tomorrow + DAY_MS };
		case 'LAST_MONTH':
			return month(now, -1);
		case 'THIS_MONTH':
			return month(now, 0);
		case 'NEXT_MONTH':
			return month(now, 1);
		default:
			return undefined;
	}
}
