#!/usr/bin/env node
/*
 * Pushes examples/facts.yaml to the running demo portal, as a CI pipeline
 * would: POST /api/maturity/facts with the demo's static service token.
 * Run after `npm start`: `npm run demo:facts`.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const YAML = require(require.resolve('yaml', { paths: [ROOT] }));
const url =
  process.env.MATURITY_FACTS_URL ?? 'http://localhost:7007/api/maturity/facts';
const token = process.env.MATURITY_CI_TOKEN ?? 'demo-ci-token-not-a-secret';

const doc = YAML.parse(
  fs.readFileSync(path.join(ROOT, 'examples', 'facts.yaml'), 'utf8'),
);
const facts = doc.facts.map(f => ({
  entityRef: f.entityRef,
  source: f.source,
  timestamp: f.timestamp,
  values: f.facts,
}));

fetch(url, {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ facts }),
})
  .then(async res => {
    const body = await res.text();
    console.log(`${res.status} ${body.trim()}`);
    if (!res.ok) process.exit(1);
  })
  .catch(e => {
    console.error(
      `Could not reach ${url}: ${e.message} (is the portal running?)`,
    );
    process.exit(1);
  });
