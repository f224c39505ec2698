/** Small string helpers shared by the field validators and the error texts. */

/** "creating Account records" → "Creating Account records": an error's lead-in from what was being done. */
export function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

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

/**
 * Half of a UTF-16 surrogate pair with no other half: no keyboard types it, it only comes from a
 * broken paste, and percent-encoding it throws (encodeURIComponent's URIError) instead of sending it.
 */
export function hasLoneSurrogate(value: string): boolean {
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = value.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) index++;
			else return true;
		} else if (code >= 0xdc00 && code <= 0xdfff) {
			return true;
		}
	}
	return false;
}
