/** The node's dynamic UI: n8n calls these by the names the properties give. */
export * as listSearch from '../../editor/objectSearch';
export * as loadOptions from './loadOptions';
export * as resourceMapping from './resourceMapping';
