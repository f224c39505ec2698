import type { FieldDef, ObjectDef } from '../schema';

/** A resolved field reference: the lookups walked (`Account__r` -> Account__c), then the field. */
export interface FieldPath {
	/** Reference fields followed, outermost first. */
	via: FieldDef[];
	field: FieldDef;
	/** As written, for messages. */
	text: string;
}

export type Literal =
	| { kind: 'string'; value: string; like: string }
	| { kind: 'number'; value: number }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'date'; value: string }
	| { kind: 'datetime'; value: number }
	/** TODAY, LAST_N_DAYS:30 ...: [start, end) in milliseconds, fixed when the query is parsed. */
	| { kind: 'dateRange'; start: number; end: number }
	| { kind: 'null' };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
	| { kind: 'compare'; path: FieldPath; operator: ComparisonOperator; value: Literal }
	| { kind: 'like'; path: FieldPath; pattern: RegExp }
	| { kind: 'in'; path: FieldPath; negated: boolean; values: Literal[] }
	/** `Id [NOT] IN (SELECT ContentDocumentId FROM ...)`: the subquery selects one id or lookup field. */
	| { kind: 'semiJoin'; path: FieldPath; negated: boolean; query: Query }
	| { kind: 'and' | 'or'; parts: Condition[] }
	| { kind: 'not'; part: Condition };

export interface OrderItem {
	path: FieldPath;
	descending: boolean;
	nullsLast: boolean;
}

export interface Query {
	object: ObjectDef;
	/** SELECT COUNT() */
	count: boolean;
	fields: FieldPath[];
	where?: Condition;
	orderBy: OrderItem[];
	limit?: number;
	offset?: number;
}
