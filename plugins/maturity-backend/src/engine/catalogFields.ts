/** What the checks read of an entity; the catalog's status is left out. */
export const ENTITY_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'relations',
];

/**
 * What deciding whether an entity changed reads of it: its ref and catalog
 * etag, where its repository is (sourceLocationUrl) and the refs it follows
 * (firstHopRefs); the relations are left out. Whole `metadata` and `spec`
 * rather than the few fields inside them: the catalog picks nested fields
 * one by one, which cost it more than the bytes they saved (measured with
 * the benchmark).
 */
export const ENTITY_KEY_FIELDS = ['kind', 'metadata', 'spec'];

/** The same for a related entity: its etag, and a system's domain (domainRefOf). */
export const RELATED_KEY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
  'spec.domain',
];
