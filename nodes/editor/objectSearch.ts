/** The searchable object list behind the Object picker (resource locator, mode "From List"). */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { describeGlobal } from '../client';

export async function searchObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const operation = this.getNodeParameter('operation', 'get') as string;
	const wanted = (filter ?? '').trim().toLowerCase();
	const objects = (await describeGlobal.call(this)).filter((object) => {
		if (operation === 'create' && !object.createable) return false;
		if (operation === 'update' && !object.updateable) return false;
		if (operation === 'upsert' && !(object.createable && object.updateable)) return false;
		if (operation === 'delete' && !object.deletable) return false;
		if ((operation === 'get' || operation === 'getAll') && !object.queryable) return false;
		return wanted === '' || object.name.toLowerCase().includes(wanted) || object.label.toLowerCase().includes(wanted);
	});
	return {
		results: objects
			.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}
