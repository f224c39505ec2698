/** The trigger's dynamic UI: n8n calls these by the names the properties give. */
import { getFields, objectSearch, replicateableObjects } from '../editor';

export const listSearch = { searchObjects: objectSearch(replicateableObjects) };

export const loadOptions = { getFields };
