/**
 * Life cycle of one process, as the probes see it. `/api/health` says the process is alive;
 * `/api/ready` says it should get traffic: its store can be read, the weekly scheduler is
 * running here (or stands by while another instance holds the lease), and in production a
 * Microsoft Graph token can be obtained. Once SIGTERM arrives the process is shutting down:
 * ready fails at once, so the load balancer stops sending work before the listener closes.
 */
import type { TenantGateway } from '../enrichment/ports';
import type { Clock } from '../services/clock';
import type { RunScheduler } from '../services/run-scheduler';
import type { Stores } from '../services/state';
import type { Readiness } from '../contract';

export type ReadinessCheck = Readiness['checks'][number];

/** Set by the composition root when the process begins to stop; read by the gate and the probe. */
export class Lifecycle {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  beginShutdown(): void {
    this.stopping = true;
  }
}

/** A token is good for an hour: a success is trusted this long, so probes do not hammer Entra. */
const GRAPH_OK_TTL_MS = 5 * 60_000;
/** A probe answers within this time even when Entra does not. */
const GRAPH_TIMEOUT_MS = 5_000;

export interface ReadinessDeps {
  stores: Stores;
  scheduler: RunScheduler;
  gateway: TenantGateway;
  lifecycle: Lifecycle;
  clock: Clock;
  /** The Graph check runs in production only: demo mode's token comes from its own simulator. */
  checkGraph: boolean;
}

export class ReadinessProbe {
  private graphOkUntil = 0;
  private graphInFlight: Promise<ReadinessCheck> | null = null;

  constructor(private readonly deps: ReadinessDeps) {}

  async checks(): Promise<ReadinessCheck[]> {
    const checks: ReadinessCheck[] = [];
    if (this.deps.lifecycle.shuttingDown) {
      checks.push({ name: 'shutdown', ok: false, message: 'The service is shutting down (SIGTERM): it finishes its current work and takes no new work.' });
    }
    checks.push(await this.store());
    checks.push(this.scheduler());
    if (this.deps.checkGraph) checks.push(await this.graph());
    return checks;
  }

  private async store(): Promise<ReadinessCheck> {
    try {
      await this.deps.stores.state.read();
      await this.deps.stores.results.current();
      return { name: 'store', ok: true, message: 'The data files can be read.' };
    } catch (e) {
      return { name: 'store', ok: false, message: `The data files cannot be read: ${(e as Error).message} Check DATA_DIR and its disk.` };
    }
  }

  private scheduler(): ReadinessCheck {
    const status = this.deps.scheduler.status();
    switch (status.state) {
      case 'running':
        return { name: 'scheduler', ok: true, message: 'The weekly scheduler runs in this instance.' };
      case 'standby':
        return { name: 'scheduler', ok: true, message: `The weekly scheduler stands by: ${status.detail}` };
      case 'starting':
        return { name: 'scheduler', ok: false, message: 'The weekly scheduler is starting: this instance is asking for the scheduler lease; ask again in a few seconds.' };
      case 'stopped':
        return { name: 'scheduler', ok: false, message: 'The weekly scheduler is not running in this instance; restart the service.' };
    }
  }

  private graph(): Promise<ReadinessCheck> {
    if (this.deps.clock.now().getTime() < this.graphOkUntil) return Promise.resolve({ name: 'graph', ok: true, message: 'A Microsoft Graph token was obtained.' });
    // One token request at a time, however many probes arrive meanwhile.
    this.graphInFlight ??= this.fetchToken().finally(() => (this.graphInFlight = null));
    return this.graphInFlight;
  }

  private async fetchToken(): Promise<ReadinessCheck> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${GRAPH_TIMEOUT_MS / 1000} s`)), GRAPH_TIMEOUT_MS);
    });
    try {
      // Consent is not part of readiness: before it, the token carries no roles but is issued.
      await Promise.race([this.deps.gateway.grantedRoles(), timeout]);
      this.graphOkUntil = this.deps.clock.now().getTime() + GRAPH_OK_TTL_MS;
      return { name: 'graph', ok: true, message: 'A Microsoft Graph token was obtained.' };
    } catch (e) {
      return {
        name: 'graph',
        ok: false,
        message: `No Microsoft Graph token could be obtained from ${this.deps.gateway.authorityHost}: ${(e as Error).message} Check TENANT_ID, CLIENT_ID and the Graph credential (secret, certificate or federated managed identity).`,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The words of a 503 from /api/ready: each failing check's message. */
export function notReadyMessage(checks: readonly ReadinessCheck[]): string {
  return `Not ready: ${checks
    .filter((c) => !c.ok)
    .map((c) => c.message)
    .join(' ')}`;
}
