/** The editor's lists: the objects Change Data Capture can report, and the org's Platform Events. */
import { changeEventObjects, objectSearch, platformEvents } from '../editor';

export const listSearch = {
	searchChangeEventObjects: objectSearch(changeEventObjects),
	searchPlatformEvents: objectSearch(platformEvents),
};
