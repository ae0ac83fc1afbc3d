import { InputError } from '@backstage/errors';
import { ZodError } from 'zod';

/** The first problem of a failed parse, as a 400 naming the field, e.g. `facts[0].source`. */
export function inputErrorFromZod(what: string, error: ZodError): InputError {
  const issue = error.issues[0];
  const field = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`))
    .join('');
  return new InputError(
    `Invalid ${what}: ${field || 'body'}: ${issue.message}`,
  );
}
