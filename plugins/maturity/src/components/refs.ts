import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * An entity ref the way people say it: `group:default/payments-team` is
 * `payments-team` where a group is expected, `user:jane` otherwise; a
 * namespace other than `default` stays. Anything unparsable is shown as is.
 */
export function humanizeRef(ref: string, defaultKind?: string): string {
  if (!ref) return '';
  try {
    const { kind, namespace, name } = parseEntityRef(ref);
    const showKind =
      !defaultKind ||
      kind.toLocaleLowerCase('en-US') !==
        defaultKind.toLocaleLowerCase('en-US');
    const showNamespace = namespace !== DEFAULT_NAMESPACE;
    return `${showKind ? `${kind}:` : ''}${
      showNamespace ? `${namespace}/` : ''
    }${name}`;
  } catch {
    return ref;
  }
}

/**
 * What someone typed (`payments-team`, `group:payments-team`,
 * `Group:default/Payments-Team`) as the full, lower-case entity ref the
 * maturity API filters on; undefined for text that is no entity ref.
 */
export function normalizeRef(
  input: string,
  defaultKind: string,
): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(text, {
        defaultKind,
        defaultNamespace: DEFAULT_NAMESPACE,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
