import { buildLayout, helmCharts, layoutEnvironments } from './layout';

describe('layout', () => {
  const paths = [
    'charts/web/Chart.yaml',
    'charts/web/templates/deployment.yaml',
    'charts/web/values.yaml',
    'charts/web/values-prod.yaml',
    'deploy/base/kustomization.yaml',
    'deploy/base/app.yaml',
    'deploy/extra/cm.yaml',
    'deploy/overlays/dev/kustomization.yaml',
    'k8s/staging/kustomization.yaml',
    'k8s/job.yaml',
  ];
  const layout = buildLayout(paths, [
    {
      file: 'deploy/base/kustomization.yaml',
      resources: ['app.yaml', '../extra/cm.yaml'],
    },
    {
      file: 'deploy/overlays/dev/kustomization.yaml',
      resources: ['../../base', 'https://github.com/x/y'],
    },
  ]);

  it('tells Helm templates, kustomize resources and plain manifests apart', () => {
    expect(layout.sourceOf('charts/web/templates/deployment.yaml')).toBe(
      'helm',
    );
    expect(layout.chartDirOf('charts/web/templates/deployment.yaml')).toBe(
      'charts/web',
    );
    expect(layout.sourceOf('deploy/base/app.yaml')).toBe('kustomize');
    expect(layout.sourceOf('deploy/extra/cm.yaml')).toBe('kustomize');
    expect(layout.sourceOf('k8s/job.yaml')).toBe('manifest');
  });

  it('lists charts with their values files', () => {
    expect(
      helmCharts(paths, new Map([['charts/web/Chart.yaml', { name: 'web' }]])),
    ).toEqual([
      {
        file: 'charts/web/Chart.yaml',
        name: 'web',
        valuesFiles: ['charts/web/values-prod.yaml', 'charts/web/values.yaml'],
      },
    ]);
  });

  it('finds environments in overlay directories and values files', () => {
    expect(layoutEnvironments(paths)).toEqual([
      { name: 'prod', via: 'helm-values', file: 'charts/web/values-prod.yaml' },
      {
        name: 'dev',
        via: 'kustomize-overlay',
        file: 'deploy/overlays/dev/kustomization.yaml',
      },
      {
        name: 'staging',
        via: 'kustomize-overlay',
        file: 'k8s/staging/kustomization.yaml',
      },
    ]);
  });
});
