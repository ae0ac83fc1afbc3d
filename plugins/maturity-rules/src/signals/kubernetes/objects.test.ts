import { parseYaml } from '../yaml';
import { readKubernetesDoc } from './objects';

const read = (text: string) =>
  readKubernetesDoc(parseYaml(text).docs[0].value, { file: 'k.yaml', line: 1 });

describe('readKubernetesDoc', () => {
  it('merges pod and container securityContext, the container winning', () => {
    const r = read(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: { prometheus.io/scrape: "true" }
        spec:
          securityContext: { runAsNonRoot: true, runAsUser: 1000 }
          containers:
            - name: job
              image: app:1
              resources: { requests: { cpu: 1, memory: 64Mi } }
              securityContext: { runAsUser: 0, privileged: false }
            - not-a-container
`);
    expect(r?.workload).toEqual({
      kind: 'CronJob',
      name: 'nightly',
      file: 'k.yaml',
      line: 1,
      annotations: { 'prometheus.io/scrape': 'true' },
      labels: {},
      containers: [
        {
          name: 'job',
          image: 'app:1',
          requests: { cpu: '1', memory: '64Mi' },
          limits: {},
          readinessProbe: false,
          livenessProbe: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 0,
            privileged: false,
          },
        },
      ],
    });
  });

  it('tells a Secret with data from an empty one', () => {
    expect(
      read('apiVersion: v1\nkind: Secret\nstringData: { password: x }\n')
        ?.object.hasSecretData,
    ).toBe(true);
    expect(
      read('apiVersion: v1\nkind: Secret\ndata: {}\n')?.object.hasSecretData,
    ).toBe(false);
    expect(
      read(
        'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec: { encryptedData: { a: b } }\n',
      )?.object.hasSecretData,
    ).toBeUndefined();
  });

  it('reads TLS on Ingress and Gateway listeners, and PeerAuthentication mTLS', () => {
    expect(
      read(
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec: { rules: [] }\n',
      )?.object.tls,
    ).toBe(false);
    expect(
      read(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
spec:
  listeners:
    - { name: http, protocol: HTTP, port: 80 }
    - { name: https, protocol: HTTPS, port: 443, tls: { certificateRefs: [{ name: cert }] } }
`)?.object.tls,
    ).toBe(true);
    expect(
      read(
        'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nspec: { mtls: { mode: PERMISSIVE } }\n',
      )?.object.mtlsMode,
    ).toBe('PERMISSIVE');
  });

  it('ignores documents without apiVersion and kind, and Rollouts that are not Argo', () => {
    expect(read('kind: Deployment\n')).toBeUndefined();
    expect(read('apiVersion: 1\nkind: Deployment\n')).toBeUndefined();
    expect(
      read(
        'apiVersion: example.com/v1\nkind: Rollout\nspec: { template: {} }\n',
      )?.workload,
    ).toBeUndefined();
  });
});
