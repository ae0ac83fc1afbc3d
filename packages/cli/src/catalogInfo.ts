import { Entity } from '@backstage/catalog-model';
import { parseYaml, RepoFile } from '@cnmaturity/plugin-maturity-rules';

/** The entity the scan rates, and where it came from. */
export interface ScannedEntity {
  entity: Entity;
  /** The catalog-info file it was read from; absent when made up from the folder. */
  file?: string;
  /** Problems with the file, shown with the result; never fatal. */
  messages: string[];
}

export const CATALOG_FILES = ['catalog-info.yaml', 'catalog-info.yml'];

/** A catalog name from a folder name: letters, digits, `-_.`, at most 63. */
function entityName(folder: string): string {
  const name = folder
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63);
  return name || 'repository';
}

function isEntity(v: unknown): v is Entity {
  const e = v as Entity | undefined;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.kind === 'string' &&
    typeof e.metadata?.name === 'string'
  );
}

/**
 * The Component the checkout describes: from its catalog-info.yaml (the one
 * named `wanted`, else the first Component), else one made up from the
 * folder's name with the given type. A broken file is a message, not an error.
 */
export function scannedEntity(
  files: readonly RepoFile[],
  folder: string,
  options: { type: string; wanted?: string },
): ScannedEntity {
  const messages: string[] = [];
  const made = (): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: entityName(folder), namespace: 'default' },
    spec: { type: options.type },
  });
  const file = CATALOG_FILES.map(f => files.find(r => r.path === f)).find(
    Boolean,
  );
  if (!file) return { entity: made(), messages };

  const parsed = parseYaml(file.content.toString());
  parsed.errors.forEach(e => messages.push(`${file.path}: ${e}`));
  const components = parsed.docs
    .map(d => d.value)
    .filter(isEntity)
    .filter(e => e.kind.toLocaleLowerCase('en-US') === 'component');
  const entity = options.wanted
    ? components.find(e => e.metadata.name === options.wanted)
    : components[0];
  if (!entity) {
    messages.push(
      options.wanted
        ? `${file.path}: no Component named ${options.wanted}; rated as a ${options.type} made up from the folder`
        : `${file.path}: no Component in it; rated as a ${options.type} made up from the folder`,
    );
    return { entity: made(), messages };
  }
  return {
    entity: {
      ...entity,
      metadata: { namespace: 'default', ...entity.metadata },
    },
    file: file.path,
    messages,
  };
}
