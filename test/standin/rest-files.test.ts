import { API, closeAll, connect, type Rest } from './restSupport';
import {
	md5,
	MULTIPART_HEADERS,
	multipartBody,
	sha256,
	uploadVersion,
	versionDataUrl,
	versionParts,
} from './filesSupport';

/**
 * Files (fact sheet §10; REST API Guide: Insert or Update Blob Data, sObject Blob Get; Object
 * Reference: ContentVersion, ContentDocument, ContentDocumentLink, Attachment, Document).
 */

afterEach(closeAll);

const PDF = Buffer.from('%PDF-1.7\n% a signed contract\n\u0000\u0001\u00ff binary tail');

async function download(api: Rest, path: string) {
	const response = await fetch(api.url + (path.startsWith('/') ? path : `${API}/${path}`), {
		headers: { Authorization: `Bearer ${api.token}` },
	});
	return {
		status: response.status,
		headers: response.headers,
		bytes: Buffer.from(await response.arrayBuffer()),
	};
}

async function queryOne(api: Rest, soql: string) {
	const answer = await api.query(soql);
	expect(answer.status).toBe(200);
	return answer.body.records as Array<Record<string, any>>;
}

describe('file objects in describe', () => {
	it('lists ContentVersion, ContentDocument, ContentDocumentLink, Attachment and Document with their key prefixes', async () => {
		const { api } = await connect();
		const global = await api.get('sobjects');
		const prefixes = Object.fromEntries(
			(global.body.sobjects as any[]).map((object) => [object.name, object.keyPrefix]),
		);
		expect(prefixes).toMatchObject({
			ContentVersion: '068',
			ContentDocument: '069',
			ContentDocumentLink: '06A',
			Attachment: '00P',
			Document: '015',
		});
		const document = (global.body.sobjects as any[]).find(
			(object) => object.name === 'ContentDocument',
		);
		expect(document).toMatchObject({ createable: false, deletable: true, queryable: true });
	});

	it('describes the documented ContentVersion fields: VersionData is base64, the derived ones read-only', async () => {
		const { api } = await connect();
		const answer = await api.get('sobjects/ContentVersion/describe');
		const fields = Object.fromEntries(
			(answer.body.fields as any[]).map((field) => [field.name, field]),
		);
		expect(fields.VersionData).toMatchObject({
			type: 'base64',
			soapType: 'xsd:base64Binary',
			createable: true,
			filterable: false,
			sortable: false,
		});
		expect(fields.PathOnClient).toMatchObject({
			type: 'string',
			length: 500,
			createable: true,
			updateable: false,
		});
		expect(fields.Title).toMatchObject({
			type: 'string',
			length: 255,
			nillable: false,
			defaultedOnCreate: true,
			updateable: true,
		});
		expect(fields.ContentDocumentId).toMatchObject({
			type: 'reference',
			referenceTo: ['ContentDocument'],
			relationshipName: 'ContentDocument',
			createable: true,
			updateable: false,
		});
		expect(fields.FirstPublishLocationId).toMatchObject({
			type: 'reference',
			createable: true,
			referenceTo: expect.arrayContaining(['Account', 'User']),
		});
		for (const name of [
			'ContentSize',
			'FileType',
			'FileExtension',
			'IsLatest',
			'VersionNumber',
			'Checksum',
		]) {
			expect(fields[name]).toMatchObject({ createable: false, updateable: false });
		}
		const required = (answer.body.fields as any[])
			.filter((field) => !field.nillable && field.createable && !field.defaultedOnCreate)
			.map((field) => field.name);
		expect(required).toEqual([]);
	});

	it("lists links, versions and attachments among a record's child relationships, FirstPublishLocationId without a name", async () => {
		const { api } = await connect();
		const account = await api.get('sobjects/Account/describe');
		const children = account.body.childRelationships as any[];
		expect(children).toContainEqual(
			expect.objectContaining({
				childSObject: 'ContentDocumentLink',
				field: 'LinkedEntityId',
				relationshipName: 'ContentDocumentLinks',
			}),
		);
		expect(children).toContainEqual(
			expect.objectContaining({
				childSObject: 'Attachment',
				field: 'ParentId',
				relationshipName: 'Attachments',
			}),
		);
		expect(children).toContainEqual(
			expect.objectContaining({
				childSObject: 'ContentVersion',
				field: 'FirstPublishLocationId',
				relationshipName: null,
			}),
		);
		const document = await api.get('sobjects/ContentDocument/describe');
		expect(document.body.childRelationships).toContainEqual(
			expect.objectContaining({
				childSObject: 'ContentVersion',
				field: 'ContentDocumentId',
				cascadeDelete: true,
			}),
		);
	});
});

describe('upload a ContentVersion', () => {
	it("multipart: creates the version, its ContentDocument, the owner's link and the record's link; answers only the version id", async () => {
		const { standin, api } = await connect();
		const [account] = standin.insertRecords('Account', [{ Name: 'Signed' }]);
		standin.resetRecords();
		const answer = await uploadVersion(
			api,
			{
				Title: 'Contract',
				PathOnClient: 'contracts/Contract.PDF',
				FirstPublishLocationId: account,
			},
			PDF,
		);
		expect(answer.status).toBe(201);
		expect(answer.body).toEqual({
			id: expect.stringMatching(/^068[A-Za-z0-9]{15}$/),
			success: true,
			errors: [],
		});
		expect(standin.apiRequestCount).toBe(1);
		expect(standin.requests.at(-1)).toMatchObject({ streamed: true, rawBody: '' });

		const [version] = await queryOne(
			api,
			`SELECT Id, Title, PathOnClient, ContentDocumentId, ContentSize, FileType, FileExtension, IsLatest, VersionNumber, Checksum, FirstPublishLocationId, VersionData FROM ContentVersion WHERE Id = '${answer.body.id}'`,
		);
		expect(version).toMatchObject({
			Title: 'Contract',
			PathOnClient: 'contracts/Contract.PDF',
			ContentDocumentId: expect.stringMatching(/^069/),
			ContentSize: PDF.length,
			FileType: 'PDF',
			FileExtension: 'pdf',
			IsLatest: true,
			VersionNumber: '1',
			Checksum: md5(PDF),
			FirstPublishLocationId: account,
			VersionData: `${API}/sobjects/ContentVersion/${answer.body.id}/VersionData`,
		});
		const [document] = await queryOne(
			api,
			`SELECT Title, FileType, ContentSize, LatestPublishedVersionId, OwnerId FROM ContentDocument WHERE Id = '${version.ContentDocumentId}'`,
		);
		expect(document).toMatchObject({
			Title: 'Contract',
			FileType: 'PDF',
			ContentSize: PDF.length,
			LatestPublishedVersionId: answer.body.id,
			OwnerId: standin.users[0].userId,
		});
		const links = await queryOne(
			api,
			`SELECT LinkedEntityId, ShareType, Visibility FROM ContentDocumentLink WHERE ContentDocumentId = '${version.ContentDocumentId}' ORDER BY ShareType`,
		);
		expect(links).toEqual([
			expect.objectContaining({
				LinkedEntityId: standin.users[0].userId,
				ShareType: 'I',
				Visibility: 'AllUsers',
			}),
			expect.objectContaining({ LinkedEntityId: account, ShareType: 'V', Visibility: 'AllUsers' }),
		]);
		expect(standin.storedFiles()).toEqual([
			expect.objectContaining({
				sobject: 'ContentVersion',
				recordId: answer.body.id,
				field: 'VersionData',
				bytes: PDF.length,
				sha256: sha256(PDF),
				md5: md5(PDF),
			}),
		]);
		expect(standin.fileBytes(answer.body.id)).toEqual(PDF);
	});

	it("names the Title after PathOnClient's file when none is given; without a location the file is the user's only", async () => {
		const { standin, api } = await connect();
		const answer = await uploadVersion(
			api,
			{ PathOnClient: 'C:\\Users\\me\\Q1 report.xlsx' },
			'cells',
		);
		expect(answer.status).toBe(201);
		const [version] = await queryOne(
			api,
			`SELECT Title, FileType, FileExtension, FirstPublishLocationId, ContentDocumentId FROM ContentVersion WHERE Id = '${answer.body.id}'`,
		);
		expect(version).toMatchObject({
			Title: 'Q1 report',
			FileType: 'EXCEL_X',
			FileExtension: 'xlsx',
			FirstPublishLocationId: standin.users[0].userId,
		});
		const links = await queryOne(
			api,
			`SELECT LinkedEntityId, ShareType FROM ContentDocumentLink WHERE ContentDocumentId = '${version.ContentDocumentId}'`,
		);
		expect(links).toEqual([
			expect.objectContaining({ LinkedEntityId: standin.users[0].userId, ShareType: 'I' }),
		]);
	});

	it('JSON: VersionData as base64 stores the same bytes', async () => {
		const { standin, api } = await connect();
		const answer = await api.call('POST', 'sobjects/ContentVersion', {
			Title: 'Inline',
			PathOnClient: 'inline.pdf',
			VersionData: PDF.toString('base64'),
		});
		expect(answer.status).toBe(201);
		expect(answer.body).toEqual({ id: expect.stringMatching(/^068/), success: true, errors: [] });
		expect(standin.fileBytes(answer.body.id)).toEqual(PDF);
		const bad = await api.call('POST', 'sobjects/ContentVersion', {
			PathOnClient: 'x.pdf',
			VersionData: 'not base64!',
		});
		expect(bad.status).toBe(400);
		expect(bad.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		expect(standin.storedFiles()).toHaveLength(1);
	});

	it('with ContentDocumentId adds a version: VersionNumber 2, IsLatest moves, the document follows the new version', async () => {
		const { api } = await connect();
		const first = await uploadVersion(api, { PathOnClient: 'plan.txt' }, 'v1');
		const [{ ContentDocumentId: documentId }] = await queryOne(
			api,
			`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${first.body.id}'`,
		);
		const second = await uploadVersion(
			api,
			{
				PathOnClient: 'plan-final.txt',
				Title: 'Plan (final)',
				ContentDocumentId: documentId,
				ReasonForChange: 'signed',
			},
			'version two',
		);
		expect(second.status).toBe(201);
		const versions = await queryOne(
			api,
			`SELECT Id, VersionNumber, IsLatest, ContentSize FROM ContentVersion WHERE ContentDocumentId = '${documentId}' ORDER BY VersionNumber`,
		);
		expect(versions).toEqual([
			expect.objectContaining({
				Id: first.body.id,
				VersionNumber: '1',
				IsLatest: false,
				ContentSize: 2,
			}),
			expect.objectContaining({
				Id: second.body.id,
				VersionNumber: '2',
				IsLatest: true,
				ContentSize: 11,
			}),
		]);
		const [document] = await queryOne(
			api,
			`SELECT Title, ContentSize, LatestPublishedVersionId FROM ContentDocument WHERE Id = '${documentId}'`,
		);
		expect(document).toEqual(
			expect.objectContaining({
				Title: 'Plan (final)',
				ContentSize: 11,
				LatestPublishedVersionId: second.body.id,
			}),
		);
		const latest = await download(api, `sobjects/ContentVersion/${second.body.id}/VersionData`);
		expect(latest.bytes.toString()).toBe('version two');
		const older = await download(api, `sobjects/ContentVersion/${first.body.id}/VersionData`);
		expect(older.bytes.toString()).toBe('v1');
	});

	it('refuses documented mistakes with the record errors, leaving no record and no file', async () => {
		const { standin, api } = await connect();
		const [account] = standin.insertRecords('Account', [{ Name: 'A' }]);
		const noPath = await uploadVersion(api, { Title: 'no path' }, PDF);
		expect(noPath.status).toBe(400);
		expect(noPath.body).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [PathOnClient]',
				fields: ['PathOnClient'],
			},
		]);
		const noData = await api.call('POST', 'sobjects/ContentVersion', { PathOnClient: 'a.pdf' });
		expect(noData.body).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [VersionData]',
				fields: ['VersionData'],
			},
		]);
		const nobody = await uploadVersion(
			api,
			{ PathOnClient: 'a.pdf', FirstPublishLocationId: '001000000000000AAA' },
			PDF,
		);
		expect(nobody.status).toBe(400);
		expect(nobody.body[0]).toMatchObject({
			errorCode: 'INVALID_CROSS_REFERENCE_KEY',
			fields: ['FirstPublishLocationId'],
		});
		const notAnId = await uploadVersion(
			api,
			{ PathOnClient: 'a.pdf', FirstPublishLocationId: 'nonsense' },
			PDF,
		);
		expect(notAnId.body[0]).toMatchObject({
			errorCode: 'INVALID_CROSS_REFERENCE_KEY',
			fields: ['FirstPublishLocationId'],
		});
		const unknownField = await uploadVersion(api, { PathOnClient: 'a.pdf', Name: 'x' }, PDF);
		expect(unknownField.body).toEqual([
			{
				errorCode: 'INVALID_FIELD',
				message: "No such column 'Name' on sobject of type ContentVersion",
			},
		]);
		const readOnly = await uploadVersion(api, { PathOnClient: 'a.pdf', ContentSize: 5 }, PDF);
		expect(readOnly.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
			fields: ['ContentSize'],
		});
		const first = await uploadVersion(api, { PathOnClient: 'a.pdf' }, PDF);
		const [{ ContentDocumentId }] = await queryOne(
			api,
			`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${first.body.id}'`,
		);
		const both = await uploadVersion(
			api,
			{ PathOnClient: 'a.pdf', ContentDocumentId, FirstPublishLocationId: account },
			PDF,
		);
		expect(both.body[0]).toMatchObject({
			errorCode: 'FIELD_INTEGRITY_EXCEPTION',
			fields: ['FirstPublishLocationId'],
		});
		expect(standin.records('ContentVersion')).toHaveLength(1);
		expect(standin.records('ContentDocument')).toHaveLength(1);
		expect(standin.storedFiles()).toHaveLength(1);
	});

	it('refuses broken multipart bodies: the JSON part first, the binary part named VersionData, the closing boundary', async () => {
		const { standin, api } = await connect();
		const [json, data] = versionParts({ PathOnClient: 'a.pdf' }, PDF);
		const cases = [
			multipartBody([data, json]),
			multipartBody([json, { ...data, name: 'File' }]),
			multipartBody([json, data, { ...data, name: 'VersionData' }]),
			multipartBody([json, data], false),
			Buffer.from('no boundary anywhere'),
		];
		for (const body of cases) {
			const answer = await api.call('POST', 'sobjects/ContentVersion', body, MULTIPART_HEADERS);
			expect(answer.status).toBe(400);
			expect(answer.body[0].errorCode).toBe('INVALID_MULTIPART_REQUEST');
		}
		expect(
			(
				await api.call(
					'POST',
					'sobjects/ContentVersion',
					multipartBody([data, json]),
					MULTIPART_HEADERS,
				)
			).body[0].message,
		).toBe('Multipart message must include a non-binary part');
		expect(standin.records('ContentVersion')).toEqual([]);
		expect(standin.storedFiles()).toEqual([]);
		// Each refused upload was still an API request.
		expect(standin.apiRequestCount).toBe(cases.length + 1);
	});

	it('refuses a file over the limit and keeps nothing of it', async () => {
		const { standin, api } = await connect({
			blobLimits: { contentVersionBytes: 1000, jsonRequestBytes: 2000 },
		});
		const big = await uploadVersion(api, { PathOnClient: 'big.bin' }, Buffer.alloc(1001, 1));
		expect(big.status).toBe(400);
		expect(big.body[0]).toMatchObject({
			errorCode: 'MAXIMUM_SIZE_OF_DOCUMENT',
			fields: ['ContentSize'],
		});
		const fits = await uploadVersion(api, { PathOnClient: 'fits.bin' }, Buffer.alloc(1000, 1));
		expect(fits.status).toBe(201);
		const json = await api.call('POST', 'sobjects/ContentVersion', {
			PathOnClient: 'j.bin',
			VersionData: Buffer.alloc(1600).toString('base64'),
		});
		expect(json.status).toBe(413);
		expect(standin.storedFiles().map((file) => file.bytes)).toEqual([1000]);
	});

	it('keeps no half-created version when the connection breaks part-way through the upload', async () => {
		const { standin, api } = await connect();
		standin.resetUploadsAfterBytes(5000, { times: 1 });
		const body = multipartBody(
			versionParts({ PathOnClient: 'broken.bin' }, Buffer.alloc(200_000, 3)),
		);
		await expect(
			api.call('POST', 'sobjects/ContentVersion', body, MULTIPART_HEADERS),
		).rejects.toThrow();
		// The stand-in notices the reset on its side too: wait until it has dropped the partial file.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(standin.records('ContentVersion')).toEqual([]);
		expect(standin.records('ContentDocument')).toEqual([]);
		expect(standin.storedFiles()).toEqual([]);
		// The fault was for one upload only.
		expect(
			(await api.call('POST', 'sobjects/ContentVersion', body, MULTIPART_HEADERS)).status,
		).toBe(201);
	});
});

describe('download', () => {
	it("streams VersionData with the file's MIME type and length, and no file name", async () => {
		const { api } = await connect();
		const created = await uploadVersion(api, { PathOnClient: 'contract.pdf' }, PDF);
		const answer = await download(api, versionDataUrl(created.body.id));
		expect(answer.status).toBe(200);
		expect(answer.bytes).toEqual(PDF);
		expect(answer.headers.get('content-type')).toBe('application/pdf');
		expect(answer.headers.get('content-length')).toBe(String(PDF.length));
		expect(answer.headers.get('content-disposition')).toBeNull();
		expect(answer.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
		const head = await fetch(api.url + versionDataUrl(created.body.id), {
			method: 'HEAD',
			headers: { Authorization: `Bearer ${api.token}` },
		});
		expect(head.headers.get('content-length')).toBe(String(PDF.length));
		const unknownType = await uploadVersion(api, { PathOnClient: 'data.weird' }, 'x');
		expect(
			(await download(api, versionDataUrl(unknownType.body.id))).headers.get('content-type'),
		).toBe('application/octet-stream');
	});

	it('answers 404 for an unknown version, and ENTITY_IS_DELETED once its document is deleted (versions and links go with it)', async () => {
		const { standin, api } = await connect();
		expect((await download(api, versionDataUrl('068000000000000AAA'))).status).toBe(404);
		const created = await uploadVersion(api, { PathOnClient: 'gone.txt' }, 'bye');
		const [{ ContentDocumentId }] = await queryOne(
			api,
			`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${created.body.id}'`,
		);
		expect((await api.call('DELETE', `sobjects/ContentDocument/${ContentDocumentId}`)).status).toBe(
			204,
		);
		const gone = await download(api, versionDataUrl(created.body.id));
		expect(gone.status).toBe(404);
		expect(JSON.parse(gone.bytes.toString())[0].errorCode).toBe('ENTITY_IS_DELETED');
		expect(standin.records('ContentVersion').map((row) => row.IsDeleted)).toEqual([true]);
		expect(standin.records('ContentDocumentLink').map((row) => row.IsDeleted)).toEqual([true]);
		expect(
			await queryOne(
				api,
				`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${ContentDocumentId}'`,
			),
		).toEqual([]);
		const cannot = await api.call('DELETE', `sobjects/ContentVersion/${created.body.id}`);
		expect(cannot.status).toBe(404);
	});

	it('is not served inside a Composite request (the guide: blob retrieve is not compatible with Composite)', async () => {
		const { api } = await connect();
		const created = await uploadVersion(api, { PathOnClient: 'c.txt' }, 'composite');
		const answer = await api.call('POST', 'composite', {
			compositeRequest: [
				{ method: 'GET', url: versionDataUrl(created.body.id), referenceId: 'bytes' },
				{
					method: 'POST',
					url: `${API}/sobjects/ContentVersion`,
					referenceId: 'upload',
					body: { PathOnClient: 'x.txt', VersionData: 'eA==' },
				},
			],
		});
		expect(answer.status).toBe(200);
		expect(
			answer.body.compositeResponse.map((result: any) => [
				result.httpStatusCode,
				result.body[0].errorCode,
			]),
		).toEqual([
			[400, 'INVALID_API_INPUT'],
			[400, 'INVALID_API_INPUT'],
		]);
	});

	it('Attachment and Document bodies: multipart with their own JSON part name, read back through /body', async () => {
		const { standin, api } = await connect();
		const [account] = standin.insertRecords('Account', [{ Name: 'With attachment' }]);
		const attachment = await api.call(
			'POST',
			'sobjects/Attachment',
			multipartBody([
				{
					name: 'entity_attachment',
					type: 'application/json',
					body: JSON.stringify({ Name: 'photo.png', ParentId: account, ContentType: 'image/png' }),
				},
				{ name: 'Body', filename: 'photo.png', type: 'image/png', body: PDF },
			]),
			MULTIPART_HEADERS,
		);
		expect(attachment.status).toBe(201);
		expect(attachment.body.id).toMatch(/^00P/);
		const body = await download(api, `sobjects/Attachment/${attachment.body.id}/body`);
		expect(body.bytes).toEqual(PDF);
		expect(body.headers.get('content-type')).toBe('image/png');
		const [row] = await queryOne(
			api,
			`SELECT Name, BodyLength, Body, Parent.Name FROM Attachment WHERE ParentId = '${account}'`,
		);
		expect(row).toMatchObject({
			Name: 'photo.png',
			BodyLength: PDF.length,
			Body: `${API}/sobjects/Attachment/${attachment.body.id}/Body`,
			Parent: { Name: 'With attachment' },
		});

		const noParent = await api.call(
			'POST',
			'sobjects/Attachment',
			multipartBody([
				{ name: 'entity_attachment', type: 'application/json', body: '{"Name":"x.txt"}' },
				{ name: 'Body', filename: 'x.txt', type: 'text/plain', body: 'x' },
			]),
			MULTIPART_HEADERS,
		);
		expect(noParent.body[0]).toMatchObject({
			errorCode: 'REQUIRED_FIELD_MISSING',
			fields: ['ParentId'],
		});

		const document = await api.call(
			'POST',
			'sobjects/Document',
			multipartBody([
				{
					name: 'entity_document',
					type: 'application/json',
					body: JSON.stringify({
						Name: 'Brochure',
						FolderId: standin.users[0].userId,
						Type: 'pdf',
					}),
				},
				{ name: 'Body', filename: 'brochure.pdf', type: 'application/pdf', body: 'brochure bytes' },
			]),
			MULTIPART_HEADERS,
		);
		expect(document.status).toBe(201);
		const documentBody = await download(api, `sobjects/Document/${document.body.id}/Body`);
		expect(documentBody.bytes.toString()).toBe('brochure bytes');
		expect(standin.storedFiles()).toHaveLength(2);
		expect(standin.apiRequestCount).toBeGreaterThanOrEqual(6);
	});
});

describe('finding the files of a record (§10 queries)', () => {
	it('ContentDocumentLink needs a filter on LinkedEntityId or ContentDocumentId', async () => {
		const { api } = await connect();
		const unfiltered = await api.query('SELECT Id FROM ContentDocumentLink');
		expect(unfiltered.status).toBe(400);
		expect(unfiltered.body[0]).toMatchObject({
			errorCode: 'MALFORMED_QUERY',
			message: expect.stringContaining(
				'Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId',
			),
		});
		expect(
			(await api.query("SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'")).status,
		).toBe(400);
		expect(
			(
				await api.query(
					"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId != '001000000000000AAA'",
				)
			).status,
		).toBe(400);
		expect(
			(
				await api.query(
					"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '001000000000000AAA' OR ShareType = 'V'",
				)
			).status,
		).toBe(400);
		expect(
			(
				await api.query(
					"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '001000000000000AAA'",
				)
			).status,
		).toBe(200);
		expect(
			(
				await api.query(
					"SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V' AND ContentDocumentId IN ('069000000000000AAA')",
				)
			).status,
		).toBe(200);
	});

	it('two queries or one semi-join give the latest version of each file linked to the record', async () => {
		const { standin, api } = await connect();
		const [account, other] = standin.insertRecords('Account', [
			{ Name: 'Has files' },
			{ Name: 'Other' },
		]);
		const a = await uploadVersion(
			api,
			{ PathOnClient: 'a.txt', FirstPublishLocationId: account },
			'a1',
		);
		const [{ ContentDocumentId: docA }] = await queryOne(
			api,
			`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${a.body.id}'`,
		);
		const a2 = await uploadVersion(api, { PathOnClient: 'a.txt', ContentDocumentId: docA }, 'a2');
		const b = await uploadVersion(
			api,
			{ PathOnClient: 'b.csv', FirstPublishLocationId: account },
			'b1',
		);
		await uploadVersion(api, { PathOnClient: 'c.txt', FirstPublishLocationId: other }, 'c1');

		const links = await queryOne(
			api,
			`SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.LatestPublishedVersionId FROM ContentDocumentLink WHERE LinkedEntityId = '${account}'`,
		);
		expect(links.map((link) => link.ContentDocument.LatestPublishedVersionId).sort()).toEqual(
			[a2.body.id, b.body.id].sort(),
		);
		const ids = links.map((link) => `'${link.ContentDocumentId}'`).join(',');
		const latest = await queryOne(
			api,
			`SELECT Id FROM ContentVersion WHERE ContentDocumentId IN (${ids}) AND IsLatest = true`,
		);
		const joined = await queryOne(
			api,
			`SELECT Id, Title, FileExtension, ContentSize FROM ContentVersion WHERE ContentDocumentId IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${account}') AND IsLatest = true`,
		);
		expect(joined.map((row) => row.Id).sort()).toEqual([a2.body.id, b.body.id].sort());
		expect(latest.map((row) => row.Id).sort()).toEqual(joined.map((row) => row.Id).sort());
		const anti = await queryOne(
			api,
			`SELECT Id FROM ContentVersion WHERE ContentDocumentId NOT IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${account}')`,
		);
		expect(anti).toHaveLength(1);
	});

	it('semi-joins work on any id or lookup, and refuse other shapes', async () => {
		const { standin, api } = await connect({ seedData: false });
		const [acme, globex] = standin.insertRecords('Account', [
			{ Name: 'Acme', Industry: 'Energy' },
			{ Name: 'Globex', Industry: 'Banking' },
		]);
		standin.insertRecords('Contact', [
			{ LastName: 'A', AccountId: acme },
			{ LastName: 'G', AccountId: globex },
			{ LastName: 'None' },
		]);
		const energy = await queryOne(
			api,
			"SELECT LastName FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Energy')",
		);
		expect(energy.map((row) => row.LastName)).toEqual(['A']);
		const notEnergy = await queryOne(
			api,
			"SELECT LastName FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account WHERE Industry = 'Energy') ORDER BY LastName",
		);
		expect(notEnergy.map((row) => row.LastName)).toEqual(['G', 'None']);
		const twoFields = await api.query(
			'SELECT Id FROM Contact WHERE AccountId IN (SELECT Id, Name FROM Account)',
		);
		expect(twoFields.body[0].errorCode).toBe('MALFORMED_QUERY');
		const notId = await api.query(
			'SELECT Id FROM Contact WHERE LastName IN (SELECT Name FROM Account)',
		);
		expect(notId.body[0].errorCode).toBe('INVALID_FIELD');
		expect(
			(await api.query('SELECT VersionData FROM ContentVersion WHERE VersionData = null')).body[0]
				.message,
		).toMatch(/can not be filtered/);
	});
});
