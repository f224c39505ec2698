/** Small string checks shared by the field validators. */

/** C0/C1 control characters and DEL: never part of a typed value, usually a pasted line break. */
export function hasControlCharacter(value: string): boolean {
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}

export function hasSurroundingWhitespace(value: string): boolean {
	return value !== value.trim();
}
