import type { ObjectDef, StoredRecord, WriteContext } from '../schema';
import { fieldOf, findField } from '../schema';
import type { Entries } from '../dml';
import { buildRecord } from '../dml';
import type { RecordStore, Undo } from '../records';
import { recordError, RestError, asApiErrors } from '../errors';
import { idKey } from '../values';
import { salesforceId } from '../../ids';
import type { StoredBlob } from './blobs';
import { extensionOf, fileTypeOf, titleOf } from './fileTypes';

/**
 * What creating a record with a blob does beyond the insert itself (Object Reference:
 * ContentVersion, ContentDocument, ContentDocumentLink; REST API Guide: Insert or Update Blob Data).
 * ContentVersion: without ContentDocumentId a new ContentDocument is created with the owner's link
 * (ShareType I) and, when FirstPublishLocationId names a record, a link to it (ShareType V); with
 * ContentDocumentId the version is added to that document, becomes its latest (IsLatest moves) and
 * FirstPublishLocationId is refused. Size, type, extension, MD5 checksum and version number are
 * Salesforce's to fill. Attachment and Document get their BodyLength.
 */

function entryValue(entries: Entries, name: string): unknown {
	return entries.find(([field]) => field.name === name)?.[1] ?? null;
}

function setEntry(object: ObjectDef, entries: Entries, name: string, value: string): void {
	const field = findField(object, name);
	if (field && entryValue(entries, name) === null) entries.push([field, value]);
}

/** Checks the request's fields before the insert runs; fills what Salesforce derives (Title). */
export function prepareBlobRecord(
	object: ObjectDef,
	entries: Entries,
	blob: StoredBlob | undefined,
): void {
	if (object.name !== 'ContentVersion') return;
	const fail = (statusCode: string, message: string, fields: string[]) =>
		new RestError(400, asApiErrors([recordError(statusCode, message, fields)]));
	// silent: the wording when VersionData or PathOnClient is missing (the Object Reference says
	// "If VersionData is specified, then either the FileName or PathOnClient field must also be specified").
	if (!blob)
		throw fail('REQUIRED_FIELD_MISSING', 'Required fields are missing: [VersionData]', [
			'VersionData',
		]);
	const path = entryValue(entries, 'PathOnClient');
	if (typeof path !== 'string' || path === '')
		throw fail('REQUIRED_FIELD_MISSING', 'Required fields are missing: [PathOnClient]', [
			'PathOnClient',
		]);
	if (
		entryValue(entries, 'ContentDocumentId') !== null &&
		entryValue(entries, 'FirstPublishLocationId') !== null
	) {
		// Knowledge article 000385651: FirstPublishLocationId only on a document's first version.
		throw fail(
			'FIELD_INTEGRITY_EXCEPTION',
			'FirstPublishLocationId can be set only on the first version of a document',
			['FirstPublishLocationId'],
		);
	}
	setEntry(object, entries, 'Title', titleOf(path));
}

/** After the insert: the derived fields and, for a ContentVersion, its document and links. Returns the undo. */
export function completeBlobRecord(
	store: RecordStore,
	object: ObjectDef,
	row: StoredRecord,
	blob: StoredBlob,
	context: WriteContext,
): Undo {
	if (object.name !== 'ContentVersion')
		return store.put(object, { ...row, BodyLength: blob.bytes });
	const extension = extensionOf(String(row.PathOnClient));
	const facts = {
		ContentSize: blob.bytes,
		FileType: fileTypeOf(extension),
		FileExtension: extension || null,
	};
	const documents = store.objectNamed('ContentDocument');
	const versions = object;
	const undos: Undo[] = [];
	const existingId = row.ContentDocumentId;
	let documentId: string;
	let versionNumber = 1;
	if (typeof existingId === 'string') {
		const document = store.get(documents, existingId) as StoredRecord;
		documentId = String(document.Id);
		const siblings = store
			.findBy(versions, fieldOf(versions, 'ContentDocumentId'), documentId)
			.filter((sibling) => sibling.Id !== row.Id);
		versionNumber = siblings.length + 1;
		for (const sibling of siblings)
			if (sibling.IsLatest === true)
				undos.push(store.put(versions, { ...sibling, IsLatest: false }));
		undos.push(
			store.put(documents, {
				...document,
				...facts,
				Title: row.Title,
				LatestPublishedVersionId: row.Id,
				LastModifiedDate: context.now,
				LastModifiedById: context.userId,
				SystemModstamp: context.now,
			}),
		);
	} else {
		documentId = salesforceId(documents.keyPrefix);
		const fields = {
			...facts,
			Title: row.Title,
			LatestPublishedVersionId: row.Id,
			PublishStatus: 'P',
			OwnerId: row.OwnerId,
		};
		undos.push(
			store.put(documents, { ...buildRecord(documents, documentId, [], context), ...fields }),
		);
		const location =
			typeof row.FirstPublishLocationId === 'string' ? row.FirstPublishLocationId : context.userId;
		undos.push(link(store, documentId, context.userId, 'I', context));
		if (idKey(location) !== idKey(context.userId))
			undos.push(link(store, documentId, location, 'V', context));
		row = { ...row, FirstPublishLocationId: location };
	}
	undos.push(
		store.put(versions, {
			...row,
			...facts,
			ContentDocumentId: documentId,
			Checksum: blob.md5,
			IsLatest: true,
			VersionNumber: String(versionNumber),
		}),
	);
	return () => undos.reverse().forEach((undo) => undo());
}

function link(
	store: RecordStore,
	documentId: string,
	entityId: string,
	shareType: string,
	context: WriteContext,
): Undo {
	const links = store.objectNamed('ContentDocumentLink');
	const fields: Record<string, string> = {
		ContentDocumentId: documentId,
		LinkedEntityId: entityId,
		ShareType: shareType,
	};
	const entries: Entries = Object.entries(fields).map(([name, value]) => [
		fieldOf(links, name),
		value,
	]);
	return store.put(links, buildRecord(links, salesforceId(links.keyPrefix), entries, context));
}
