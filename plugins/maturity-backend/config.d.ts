import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration for the Cloud Native Maturity plugin. */
  maturity?: {
    /**
     * How often the evaluation cycle runs over the catalog.
     * Defaults to every 30 minutes, 15 minutes timeout, 15 seconds after start.
     */
    schedule?: {
      /** How often to run, e.g. `{ minutes: 30 }` or a cron expression. */
      frequency: HumanDuration | { cron: string } | string;
      /** The longest a cycle may take before it is abandoned. */
      timeout: HumanDuration | string;
      /** How long after start-up the first cycle runs. */
      initialDelay?: HumanDuration | string;
    };
    /**
     * How the plugin spends an SCM's API requests. Pushes arrive through
     * the events backend's SCM webhook modules (GitHub, GitLab); the cycle
     * catches what they miss.
     */
    scm?: {
      /**
       * Share of a GitHub host's API rate limit the plugin may spend per
       * hour, above 0 and at most 1, paced over the hour; the rest stays for
       * the catalog and other plugins. Default 0.5.
       */
      requestShare?: number;
      /**
       * Ask GitHub and GitLab for the head commits of 100 repositories in
       * one GraphQL query, so an unchanged repository costs no request of
       * its own. Default true.
       */
      batchedHeadLookups?: boolean;
    };
    /**
     * Splits each cycle into this many disjoint shards (1 to 64), one
     * global scheduler task each (`maturity-evaluate-shard-<i>-of-<n>`), so
     * several backend instances run a cycle in parallel. Default 1 (one
     * task, `maturity-evaluate`).
     */
    shards?: number;
    /** Entity kinds to evaluate. Defaults to `[Component]`. */
    kinds?: string[];
    /**
     * How many repositories are read at once in a cycle, across pages, 1 to
     * 100. Default 16.
     */
    concurrency?: number;
    /**
     * Worker threads that parse repository files (YAML, CI definitions) and
     * share evaluating entities with the event loop, 0 to 16; 0 does all of
     * it on the event loop. Default: the CPU cores less one, at most 4.
     */
    extractionWorkers?: number;
    /** Repository files larger than this many bytes are skipped with a note. Default 1 MiB. */
    maxFileBytes?: number;
    /** Attestations older than this many days no longer pass. Default 365. */
    attestationMaxAgeDays?: number;
    /** Days of daily history kept per entity, 1 to 3650; older rows are pruned once a day. Default 365. */
    historyRetentionDays?: number;
    /** The organisation's CI/CD tool lists, for `people.consolidated-tooling`. */
    tools?: {
      /** Tools the organisation has standardised on, e.g. `github-actions`, `argocd`. */
      allowed?: string[];
      /** Tools being retired. */
      denied?: string[];
    };
    /**
     * Tools the built-in detection does not know, added to it: each a name
     * and a regular expression over CI `run:` commands and `uses:` lines.
     */
    detection?: {
      tests?: Array<{ tool: string; pattern: string }>;
      smokeTests?: Array<{ tool: string; pattern: string }>;
      imageBuilds?: Array<{ tool: string; pattern: string }>;
      deploys?: Array<{ tool: string; pattern: string }>;
      otherTools?: Array<{ tool: string; pattern: string }>;
      scanners?: Array<{
        /** container, config, policy, secret, sast, sbom, signing, provenance or dependency. */
        kind: string;
        tool: string;
        pattern: string;
      }>;
      /** A match on a scan's line makes it report-only (it cannot fail the build). */
      reportOnly?: string[];
    };
    /**
     * Shared CI definitions a service's CI calls (GitHub reusable workflows
     * and composite actions, GitLab includes) are read through the
     * UrlReader and count for the service.
     */
    sharedCi?: {
      /** Levels of shared files calling shared files that are followed, 0 to 10. Default 3. */
      maxDepth?: number;
      /** GitHub organisations whose composite actions are read, besides the repository's own owner. */
      organizations?: string[];
      /**
       * Hosts that are not a GitHub or GitLab integration: where a shared
       * file lives, as a URL template with {owner}, {repo}, {project}, {ref}, {path}.
       */
      hosts?: Array<{ host: string; fileUrl: string }>;
    };
    /**
     * Checks an organisation adds without code. Each needs exactly one rule:
     * an annotation that must be set, a file glob that must match in the
     * repository, or a pushed fact compared with a threshold.
     */
    customChecks?: Array<{
      /** `<area>.<slug>`, area one of people, process, policy, technology, business. */
      id: string;
      title: string;
      /** 1 to 5. */
      level: number;
      /** Default `supporting`. */
      kind?: 'required' | 'supporting' | 'informational';
      weight?: number;
      remediation: string;
      modelReference?: string;
      rule: {
        annotation?: string;
        /** Glob over repository paths: `**` any depth, `*` one segment. */
        fileExists?: string;
        fact?: {
          source: string;
          field: string;
          op: '>' | '>=' | '<' | '<=' | '==' | '!=';
          value: number;
        };
      };
    }>;
    /**
     * Per-check overrides, nested by area then check: the check
     * `people.team-owner` is `checks.people.team-owner`.
     * An unknown check stops the backend at start.
     */
    checks?: {
      [area: string]: {
        [check: string]: {
          /** Set to false to drop the check. */
          enabled?: boolean;
          /** True gates its level; false makes it supporting. */
          required?: boolean;
          /** Move the check to another level, 1 to 5. */
          level?: number;
          /** Weight in the score, 0 or more. */
          weight?: number;
        };
      };
    };
    /**
     * Controls done once, centrally, for what no repository shows (secret
     * scanning on the whole GitHub organisation, a log platform). A control
     * passes the checks it lists for the entities it applies to, unless a
     * check passes on its own evidence. An invalid entry stops the backend
     * at start.
     */
    orgControls?: Array<{
      /** Unique id, shown as the evidence. */
      id: string;
      /** A name, shown in the message of every check the control passes. */
      title?: string;
      /** Shown in the message of every check the control passes. */
      description?: string;
      /** Ids of configured checks (built-in, from modules or customChecks). */
      satisfies: string[];
      /** http(s) URL where the control can be seen. */
      evidence: string;
      /**
       * Catalog filter: dotted entity paths (`kind`, `spec.lifecycle`,
       * `metadata.annotations.<key>`, `metadata.tags`) to a value or a list
       * of values (any of them), case-insensitive; every key must match. A
       * list of such objects matches when any does. Default: every entity.
       */
      appliesTo?:
        | { [path: string]: string | string[] }
        | Array<{ [path: string]: string | string[] }>;
      /** `YYYY-MM-DD` of the last review; not in the future. */
      reviewed: string;
    }>;
    /** Org controls reviewed longer ago than this many days no longer pass. Default 365. */
    orgControlReviewMaxAgeDays?: number;
  };
}
