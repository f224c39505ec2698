import {
	blobPath,
	blobSourceOf,
	checkFileSize,
	contentVersionFields,
	fileItemOf,
	fileNameOf,
	filesOfRecordQuery,
	MAX_FILE_BYTES,
	multipartFrame,
} from '../../../../nodes/salesforce';

describe("an upload's ContentVersion fields", () => {
	it.each<[Parameters<typeof contentVersionFields>[0], Record<string, string>]>([
		[{ fileName: 'a.pdf' }, { PathOnClient: 'a.pdf' }],
		[
			{ fileName: 'a.pdf', title: ' Signed ', linkedRecordId: '001000000000001AAA' },
			{ PathOnClient: 'a.pdf', Title: 'Signed', FirstPublishLocationId: '001000000000001AAA' },
		],
		[
			{ fileName: 'a.pdf', contentDocumentId: '069000000000001AAA', title: '' },
			{ PathOnClient: 'a.pdf', ContentDocumentId: '069000000000001AAA' },
		],
	])('%j', (upload, fields) => {
		expect(contentVersionFields(upload)).toEqual(fields);
	});

	it.each<[Parameters<typeof contentVersionFields>[0], RegExp]>([
		[
			{
				fileName: 'a',
				linkedRecordId: '001000000000001AAA',
				contentDocumentId: '069000000000001AAA',
			},
			/^Linked Record ID: is set together with File ID/,
		],
		[
			{ fileName: 'a', linkedRecordId: 'not an id' },
			/^Linked Record ID: "not an id" is not a Salesforce id/,
		],
		[
			{ fileName: 'a', contentDocumentId: '068000000000001AAA' },
			/^File ID: "068000000000001AAA" is not a file \(ContentDocument\) id, which starts with 069$/,
		],
	])('refuses %j', (upload, message) => {
		expect(() => contentVersionFields(upload)).toThrow(message);
	});
});

describe('sizes', () => {
	it('takes 2 GB, refuses a byte more, naming the file', () => {
		expect(() => checkFileSize(MAX_FILE_BYTES, 'big.iso')).not.toThrow();
		expect(() => checkFileSize(MAX_FILE_BYTES + 1, 'big.iso')).toThrow(
			'The file "big.iso" is 2048.0 MB: Salesforce takes files of up to 2 GB (2048 MB)',
		);
	});
});

describe('multipart framing', () => {
	it('the JSON part first, then VersionData with the file name, then the closing boundary', () => {
		const frame = multipartFrame(
			{ PathOnClient: 'say "hi".txt', Title: 'T' },
			'text/plain',
			'BOUNDARY',
		);
		expect(frame.contentType).toBe('multipart/form-data; boundary=BOUNDARY');
		expect(frame.head).toBe(
			'--BOUNDARY\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n{"PathOnClient":"say \\"hi\\".txt","Title":"T"}\r\n' +
				'--BOUNDARY\r\nContent-Disposition: form-data; name="VersionData"; filename="say %22hi%22.txt"\r\nContent-Type: text/plain\r\n\r\n',
		);
		expect(frame.tail).toBe('\r\n--BOUNDARY--\r\n');
	});

	it('a fresh boundary each time', () => {
		expect(multipartFrame({ PathOnClient: 'a' }, '').contentType).not.toBe(
			multipartFrame({ PathOnClient: 'a' }, '').contentType,
		);
	});
});

describe('what a download reads', () => {
	it.each<[string, string]>([
		['068000000000001AAA', 'ContentVersion'],
		['069000000000001AAA', 'ContentDocument'],
		['00P000000000001AAA', 'Attachment'],
		['015000000000001AAA', 'Document'],
	])('%s is a %s', (id, sobject) => {
		expect(blobSourceOf(id).sobject).toBe(sobject);
	});

	it.each<[unknown, RegExp]>([
		['', /^File ID: is empty$/],
		['x', /^File ID: "x" is not a Salesforce id$/],
		[
			'001000000000001AAA',
			/^File ID: "001000000000001AAA" is not the id of a file, an Attachment or a Document$/,
		],
	])('refuses %p', (id, message) => {
		expect(() => blobSourceOf(id)).toThrow(message);
	});

	it("the bytes' paths", () => {
		expect(blobPath('ContentVersion', '068X')).toBe('sobjects/ContentVersion/068X/VersionData');
		expect(blobPath('Attachment', '00PX')).toBe('sobjects/Attachment/00PX/Body');
	});

	it.each<[Record<string, unknown>, string]>([
		[{ PathOnClient: 'C:\\Users\\me\\scan.pdf', Title: 'Scan' }, 'scan.pdf'],
		[{ Title: 'Report', FileExtension: 'xlsx' }, 'Report.xlsx'],
		[{ Title: 'Report.xlsx', FileExtension: 'xlsx' }, 'Report.xlsx'],
		[{ Name: 'photo.png', ContentType: 'image/png' }, 'photo.png'],
		[{ Name: 'Brochure', Type: 'pdf' }, 'Brochure.pdf'],
		[{ PathOnClient: 'notes', FileExtension: null, Title: 'Notes' }, 'notes'],
		[{}, 'file'],
		[{ Title: '../../etc/passwd' }, 'passwd'],
	])('file name of %j is %j', (record, name) => {
		expect(fileNameOf(record)).toBe(name);
	});
});

describe("a record's files", () => {
	it('one query: the latest versions of the documents linked to the record, its id escaped', () => {
		expect(filesOfRecordQuery("001'x")).toMatch(
			/WHERE IsLatest = true AND ContentDocumentId IN \(SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '001\\'x'\) ORDER BY CreatedDate$/,
		);
	});

	it('items name the ids Download and Upload take', () => {
		expect(
			fileItemOf({
				Id: '068A',
				ContentDocumentId: '069A',
				Title: 'T',
				PathOnClient: 't.txt',
				FileExtension: 'txt',
				FileType: 'TEXT',
				ContentSize: 3,
				VersionNumber: '2',
			}),
		).toEqual({
			contentVersionId: '068A',
			contentDocumentId: '069A',
			title: 'T',
			fileName: 't.txt',
			fileExtension: 'txt',
			fileType: 'TEXT',
			size: 3,
			versionNumber: '2',
			checksum: null,
			createdDate: null,
			lastModifiedDate: null,
		});
	});
});
