/** What the request budget knows of one resource of an SCM host. */
export interface MaturityScmResourceStatus {
  /** GitHub's separately limited resources: REST (`core`) and GraphQL. */
  resource: 'core' | 'graphql';
  /** The SCM's limit per hour, as last reported. */
  limit: number;
  /** Left in the SCM's window for everyone, as last reported. */
  remaining?: number;
  /** When the SCM's window resets (ISO). */
  resetAt?: string;
  /** The plugin's share of the limit per hour. */
  allowance: number;
  /** What the plugin spent in the last hour. */
  spent: number;
  /** While reads are held back (ISO), and why. */
  heldUntil?: string;
  heldReason?: string;
}

/**
 * How reading one SCM host's repositories stands: what the last cycle saw,
 * what is still unread because the request budget held it back, and how
 * long that takes at the plugin's share of the rate limit.
 */
export interface MaturityScmHostStatus {
  host: string;
  /** When the last cycle recorded this (ISO). */
  updatedAt: string;
  repositories: {
    /** Repositories the last cycle needed. */
    seen: number;
    /** Never read yet: their entities wait for a first result. */
    unread: number;
    /** Changed but held back: their entities keep a stale result. */
    held: number;
  };
  /** The latest time a held read may go on (ISO), and why it was held. */
  heldUntil?: string;
  heldReason?: string;
  /** Hours the unread repositories need at the plugin's share of the limit. */
  estimateHours?: number;
  resources: MaturityScmResourceStatus[];
}

/** `GET /scm-status`. */
export interface MaturityScmStatus {
  hosts: MaturityScmHostStatus[];
}
