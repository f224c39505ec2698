/** The Object picker's list: per operation, the objects the user may do that with. */
import { objectSearch, type ObjectRule } from '../../editor';

const objectsForOperation: ObjectRule = (context) => {
	const operation = context.getNodeParameter('operation', 'get') as string;
	return (object) => {
		if (operation === 'create') return object.createable;
		if (operation === 'update') return object.updateable;
		if (operation === 'upsert') return object.createable && object.updateable;
		if (operation === 'delete') return object.deletable;
		if (operation === 'get' || operation === 'getAll') return object.queryable;
		return true;
	};
};

export const searchObjects = objectSearch(objectsForOperation);
