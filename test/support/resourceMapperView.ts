/**
 * What n8n 2.41's editor makes of a resource-mapper schema in "Map Each Column Manually" (mode add,
 * addAllFields false; read from n8n-editor-ui's ResourceMapper and MappingFields): on picking an
 * object it sets `removed = !required`, lists the fields that are `display` and not `removed`, and
 * offers the `display` and `removed` ones under "Add field to send" and "Add All …". A field with
 * `display: false` can never be set by hand.
 */
export interface MapperFieldLike {
	id: string;
	required: boolean;
	display: boolean;
	removed?: boolean;
}

export function asTheEditorShowsIt(fields: readonly MapperFieldLike[]): {
	shown: string[];
	addable: string[];
	unreachable: string[];
} {
	const picked = fields.map((field) => ({ ...field, removed: !field.required }));
	return {
		shown: picked
			.filter((field) => field.display && field.removed !== true)
			.map((field) => field.id)
			.sort(),
		addable: picked
			.filter((field) => field.display && field.removed === true)
			.map((field) => field.id)
			.sort(),
		unreachable: picked.filter((field) => !field.display).map((field) => field.id),
	};
}
