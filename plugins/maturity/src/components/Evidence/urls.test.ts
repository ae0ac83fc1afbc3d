import { Entity } from '@backstage/catalog-model';
import {
  modelReferenceUrl,
  repositoryFileUrl,
  safeHttpUrl,
  sourceLocationUrl,
} from './urls';

/** A `javascript:` URL, built so that lint does not take it for one. */
const scriptUrl = (code: string, scheme = 'javascript') => `${scheme}:${code}`;

const entityAt = (location?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'x',
    annotations: location ? { 'backstage.io/source-location': location } : {},
  },
});

describe('safeHttpUrl', () => {
  it.each([
    scriptUrl('alert(1)'),
    scriptUrl('alert(1)', 'JaVaScRiPt'),
    ` ${scriptUrl('alert(1)')}`,
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    '//evil.example.com',
    '/relative/path',
    'component:default/x',
    'file:///etc/passwd',
    '',
  ])('rejects %p', value => {
    expect(safeHttpUrl(value)).toBeUndefined();
  });

  it('accepts http and https', () => {
    expect(safeHttpUrl('https://wiki.example.com/a b')).toBe(
      'https://wiki.example.com/a%20b',
    );
    expect(safeHttpUrl('http://example.com')).toBe('http://example.com/');
  });
});

describe('repositoryFileUrl', () => {
  it('joins a GitHub tree URL and the file path, with the line', () => {
    expect(
      repositoryFileUrl(
        entityAt('url:https://github.com/acme/shop/tree/main/'),
        '.github/workflows/ci.yml',
        7,
      ),
    ).toBe(
      'https://github.com/acme/shop/tree/main/.github/workflows/ci.yml#L7',
    );
  });

  it('joins a GitLab tree URL without a trailing slash', () => {
    expect(
      repositoryFileUrl(
        entityAt('url:https://gitlab.example.com/team/shop/-/tree/main'),
        'Dockerfile',
      ),
    ).toBe('https://gitlab.example.com/team/shop/-/tree/main/Dockerfile');
  });

  it('opens the default branch of a bare GitHub repository URL', () => {
    expect(
      repositoryFileUrl(entityAt('url:https://github.com/acme/shop'), 'a.md'),
    ).toBe('https://github.com/acme/shop/tree/HEAD/a.md');
  });

  it('never leaves the repository location', () => {
    const base = 'url:https://github.com/acme/shop/tree/main/';
    expect(
      repositoryFileUrl(entityAt(base), '../../../evil/repo/x?y=1#z'),
    ).toBe('https://github.com/acme/shop/tree/main/evil/repo/x%3Fy%3D1%23z');
    expect(repositoryFileUrl(entityAt(base), '//evil.example.com/x')).toBe(
      'https://github.com/acme/shop/tree/main/evil.example.com/x',
    );
  });

  it('gives no link without an http(s) source location', () => {
    expect(repositoryFileUrl(entityAt(), 'a.md')).toBeUndefined();
    expect(
      repositoryFileUrl(entityAt(`url:${scriptUrl('alert(1)//')}`), 'a.md'),
    ).toBeUndefined();
    expect(sourceLocationUrl(entityAt('file:/home/me/repo/'))).toBeUndefined();
  });
});

describe('modelReferenceUrl', () => {
  it('links a built-in reference to its level page', () => {
    expect(modelReferenceUrl('Level 2 Operate, Process: change control')).toBe(
      'https://maturitymodel.cncf.io/level-2/',
    );
  });

  it('uses an http(s) reference as is and falls back to the model home', () => {
    expect(modelReferenceUrl('https://example.com/standard')).toBe(
      'https://example.com/standard',
    );
    expect(modelReferenceUrl(scriptUrl('alert(1)'))).toBe(
      'https://maturitymodel.cncf.io/',
    );
    expect(modelReferenceUrl(undefined)).toBe('https://maturitymodel.cncf.io/');
  });
});
