/**
 * What Salesforce derives from a file name (ContentVersion: "FileType is defined by ... PathOnClient
 * for documents"): the extension, the FileType code and the MIME type a download carries.
 * Unknown extensions are FileType UNKNOWN and application/octet-stream.
 */

const TYPES: Record<string, [fileType: string, mimeType: string]> = {
	pdf: ['PDF', 'application/pdf'],
	png: ['PNG', 'image/png'],
	jpg: ['JPG', 'image/jpeg'],
	jpeg: ['JPEG', 'image/jpeg'],
	gif: ['GIF', 'image/gif'],
	bmp: ['BMP', 'image/bmp'],
	svg: ['SVG', 'image/svg+xml'],
	txt: ['TEXT', 'text/plain'],
	csv: ['CSV', 'text/csv'],
	htm: ['HTML', 'text/html'],
	html: ['HTML', 'text/html'],
	xml: ['XML', 'application/xml'],
	json: ['JSON', 'application/json'],
	rtf: ['RTF', 'application/rtf'],
	doc: ['WORD', 'application/msword'],
	docx: ['WORD_X', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
	xls: ['EXCEL', 'application/vnd.ms-excel'],
	xlsx: ['EXCEL_X', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
	ppt: ['POWER_POINT', 'application/vnd.ms-powerpoint'],
	pptx: [
		'POWER_POINT_X',
		'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	],
	zip: ['ZIP', 'application/zip'],
	mp3: ['MP3', 'audio/mpeg'],
	mp4: ['MP4', 'video/mp4'],
	mov: ['MOV', 'video/quicktime'],
};

/** 'Reports/Q1 summary.PDF' -> 'pdf'; '' when the name has no extension. */
export function extensionOf(path: string): string {
	const name = path.split(/[\\/]/).pop() ?? '';
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** 'Reports/Q1 summary.pdf' -> 'Q1 summary': the Title Salesforce gives a version without one. */
export function titleOf(path: string): string {
	const name = path.split(/[\\/]/).pop() ?? '';
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(0, dot) : name;
}

export function fileTypeOf(extension: string): string {
	return TYPES[extension]?.[0] ?? 'UNKNOWN';
}

export function mimeTypeOf(extension: string): string {
	return TYPES[extension]?.[1] ?? 'application/octet-stream';
}
