/** The node's dynamic UI: n8n calls these by the names the properties give. */
export * as listSearch from './listSearch';
export * as loadOptions from './loadOptions';
export * as resourceMapping from './resourceMapping';
