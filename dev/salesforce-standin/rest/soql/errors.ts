/**
 * SOQL errors carry Salesforce's message shape: the query line, a caret under the column, then
 * `ERROR at Row:R:Column:C` and the reason, e.g.
 *   "\nSELECT Nme FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Account'. ..."
 */
export class SoqlError extends Error {
	readonly row: number;
	readonly column: number;

	constructor(
		readonly errorCode: string,
		soql: string,
		at: number,
		readonly reason: string,
	) {
		const before = soql.slice(0, at);
		const row = before.split('\n').length;
		const lineStart = before.lastIndexOf('\n') + 1;
		const lineEnd = soql.indexOf('\n', at) === -1 ? soql.length : soql.indexOf('\n', at);
		const column = at - lineStart + 1;
		super(
			`\n${soql.slice(lineStart, lineEnd)}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`,
		);
		this.row = row;
		this.column = column;
	}
}
