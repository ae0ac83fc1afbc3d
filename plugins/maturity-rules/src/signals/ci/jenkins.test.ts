import { defaultToolPatterns } from '../tools';
import { parseJenkinsfile } from './jenkins';

const JENKINSFILE = `pipeline {
  agent any
  triggers { cron('H 2 * * *') }
  stages {
    stage('Test') {
      steps {
        sh 'mvn -B verify'
        sh 'trivy fs --exit-code 1 .'
      }
    }
    stage('Image') {
      steps { sh 'docker build -t app:$GIT_COMMIT .' }
    }
    stage('Deploy staging') {
      when { branch 'main' }
      steps { sh 'kubectl apply -k deploy/overlays/staging' }
    }
    stage('Deploy production') {
      when { buildingTag() }
      steps {
        input message: 'Ship it?'
        sh 'helm upgrade --install app chart'
      }
    }
  }
}`;

describe('parseJenkinsfile', () => {
  it('assumes a multibranch pipeline and reads stages as jobs', () => {
    const { pipeline, environments } = parseJenkinsfile(
      'Jenkinsfile',
      JENKINSFILE,
      defaultToolPatterns,
    );
    expect(pipeline.system).toBe('jenkins');
    expect(pipeline.triggers).toEqual({
      pullRequest: true,
      pushDefaultBranch: true,
      tags: true,
      schedule: true,
      manual: false,
    });
    expect(pipeline.tests).toEqual([
      { tool: 'mvn test', file: 'Jenkinsfile', line: 7 },
    ]);
    expect(pipeline.imageBuilds.map(b => b.tool)).toEqual(['docker build']);
    expect(pipeline.scanners).toEqual([
      {
        tool: 'trivy fs',
        kind: 'dependency',
        blocking: true,
        file: 'Jenkinsfile',
        line: 8,
      },
    ]);
    expect(pipeline.deploys).toEqual([
      {
        tool: 'kubectl apply',
        file: 'Jenkinsfile',
        line: 16,
        environment: 'staging',
        onDefaultBranch: true,
        onTags: false,
        manualApproval: false,
      },
      {
        tool: 'helm upgrade',
        file: 'Jenkinsfile',
        line: 22,
        environment: 'production',
        onDefaultBranch: false,
        onTags: true,
        manualApproval: true,
      },
    ]);
    expect(environments.map(e => e.name)).toEqual(['staging', 'production']);
  });

  it('copes with a Jenkinsfile that is not a declarative pipeline', () => {
    const { pipeline } = parseJenkinsfile(
      'Jenkinsfile',
      'node {\n  sh "go test ./..."\n}\n\u0007',
      defaultToolPatterns,
    );
    expect(pipeline.tests.map(t => t.tool)).toEqual(['go test']);
    expect(pipeline.deploys).toEqual([]);
  });
});
