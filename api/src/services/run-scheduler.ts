/**
 * Scheduled runs. After consent the first run is due `firstRunDelayHours` later; after that,
 * weekly: at the configured day and time in its time zone or, with no explicit schedule, on
 * the weekday and UTC time of the first run. Time comes from the injected clock and timer.
 * With a lease (lease.ts), only the instance holding it arms the timer; the others stand by.
 */
import { isAppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import type { Clock, Timer, TimerHandle } from './clock';
import type { ConfigService } from './config-service';
import type { ConsentService } from './consent-service';
import type { Lease } from './lease';
import type { Logger } from './logger';
import type { RunService } from './run-service';
import { DEFAULT_SCHEDULE, nextOccurrence, scheduleAnchoredAt, type Schedule } from './schedule';
import type { AppState } from './state';

/** Long waits are split so a sleeping laptop or a changed clock is noticed within this time. */
const MAX_TIMER_MS = 60 * 60 * 1000;

export interface ScheduleView {
  schedule: Schedule;
  nextRunAt: string | null;
  /** Extra: true when the configuration sets the schedule, false when it follows the first run. */
  explicit: boolean;
}

/** What /api/ready reports: running here, standing by for another instance's lease, or stopped. */
export type SchedulerStatus = { state: 'running' } | { state: 'standby'; detail: string } | { state: 'starting' } | { state: 'stopped' };

export class RunScheduler {
  private handle: TimerHandle | null = null;
  private started = false;
  private ticking: Promise<void> = Promise.resolve();
  private lease: Lease | null = null;
  /** False until the first try for the lease has answered: until then this instance knows neither role. */
  private leaseAnswered = false;
  /** True while this instance may schedule: always without a lease, while it holds one with it. */
  private holding = false;
  private leaseHandle: TimerHandle | null = null;
  private leaseError: string | null = null;

  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      runs: RunService;
      config: ConfigService;
      consent: ConsentService;
      clock: Clock;
      timer: Timer;
      logger: Logger;
      firstRunDelayHours: number;
    },
  ) {
    deps.consent.onGranted((at) => this.consentGranted(at));
    deps.config.onSaved(() => this.configSaved());
  }

  /**
   * Arms the timer. The composition root calls this once, with the lease that elects one
   * scheduler among instances; tests too, usually without one.
   */
  async start(options: { lease?: Lease } = {}): Promise<void> {
    this.started = true;
    this.leaseAnswered = false;
    this.lease = options.lease ?? null;
    if (!this.lease) {
      this.holding = true;
      await this.reschedule();
      return;
    }
    await this.renewLease();
  }

  stop(): void {
    this.started = false;
    this.holding = false;
    if (this.handle !== null) this.deps.timer.clearTimeout(this.handle);
    this.handle = null;
    if (this.leaseHandle !== null) this.deps.timer.clearTimeout(this.leaseHandle);
    this.leaseHandle = null;
  }

  /** Stops and gives the lease up, so a standby instance takes over at its next try rather than after the expiry. */
  async shutdown(): Promise<void> {
    const held = this.lease !== null && this.holding;
    this.stop();
    if (held) {
      await this.lease!.release().catch((e: unknown) => this.deps.logger.warn('the scheduler lease could not be released; it expires on its own', { error: (e as Error).message }));
    }
  }

  status(): SchedulerStatus {
    if (!this.started) return { state: 'stopped' };
    if (this.holding) return { state: 'running' };
    if (!this.leaseAnswered) return { state: 'starting' };
    const why = this.leaseError ? `the lease cannot be read (${this.leaseError})` : 'another instance holds the lease';
    return { state: 'standby', detail: `${why} (${this.lease?.description ?? 'no lease'}); this instance takes over when that lease expires.` };
  }

  /** Takes or renews the lease, arms or disarms the run timer on a change, and comes back in `renewEveryMs`. */
  private async renewLease(): Promise<void> {
    const lease = this.lease;
    if (!lease || !this.started) return;
    let held: boolean;
    try {
      held = await lease.acquire();
      this.leaseError = null;
    } catch (e) {
      // Storage unreachable: this instance cannot prove it holds the lease, so it must not schedule.
      held = false;
      this.leaseError = (e as Error).message;
      this.deps.logger.warn('the scheduler lease could not be taken or renewed', { lease: lease.description, error: this.leaseError });
    }
    if (!this.started) return;
    this.leaseAnswered = true;
    if (held && !this.holding) {
      this.holding = true;
      this.deps.logger.info('this instance runs the scheduler (lease taken)', { lease: lease.description });
      await this.reschedule();
    } else if (!held && this.holding) {
      this.holding = false;
      if (this.handle !== null) this.deps.timer.clearTimeout(this.handle);
      this.handle = null;
      this.deps.logger.warn('the scheduler lease was lost; this instance stands by', { lease: lease.description });
    }
    if (!this.started) return;
    this.leaseHandle = this.deps.timer.setTimeout(() => {
      this.leaseHandle = null;
      void this.renewLease().catch((e: unknown) => this.deps.logger.error('scheduler lease renewal failed', { error: (e as Error).message }));
    }, lease.renewEveryMs);
  }

  /** Resolves when the last timer callback has finished starting its run (tests). */
  whenSettled(): Promise<void> {
    return this.ticking;
  }

  async view(): Promise<ScheduleView> {
    const state = await this.deps.state.read();
    const explicit = state.configVersions.at(-1)?.config.schedule;
    const next = await this.nextRunAt();
    return {
      schedule: explicit ?? state.scheduler.anchor ?? DEFAULT_SCHEDULE,
      nextRunAt: next?.toISOString() ?? null,
      explicit: explicit !== undefined,
    };
  }

  /** When the next scheduled run is due; null before consent or before the configuration is saved. */
  async nextRunAt(): Promise<Date | null> {
    return (await this.plan())?.due ?? null;
  }

  private async plan(): Promise<{ due: Date; schedule: Schedule } | null> {
    const state = await this.deps.state.read();
    const { firstRunAt, lastSlotAt, anchor } = state.scheduler;
    const config = state.configVersions.at(-1)?.config;
    if (!firstRunAt || !config || !(await this.deps.consent.isReady())) return null;
    const schedule = config.schedule ?? anchor ?? scheduleAnchoredAt(new Date(firstRunAt));
    return { due: lastSlotAt ? nextOccurrence(schedule, new Date(lastSlotAt)) : new Date(firstRunAt), schedule };
  }

  private async consentGranted(at: Date): Promise<void> {
    const firstRunAt = new Date(at.getTime() + this.deps.firstRunDelayHours * 3_600_000);
    const planned = await this.deps.state.update((state) => {
      if (state.scheduler.firstRunAt) return false;
      state.scheduler = { firstRunAt: firstRunAt.toISOString(), lastSlotAt: null, anchor: scheduleAnchoredAt(firstRunAt) };
      return true;
    });
    if (planned) this.deps.logger.info('first run scheduled', { at: firstRunAt.toISOString() });
    await this.reschedule();
  }

  /** A changed schedule counts from now: a slot that passed before the change never fires late. */
  private async configSaved(): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.state.update((state) => {
      const last = state.scheduler.lastSlotAt;
      if (last && last < now) state.scheduler.lastSlotAt = now;
    });
    await this.reschedule();
  }

  /** Re-reads the state and re-arms the timer. */
  async reschedule(): Promise<void> {
    if (!this.started || !this.holding) return;
    if (this.handle !== null) this.deps.timer.clearTimeout(this.handle);
    this.handle = null;
    const due = await this.nextRunAt();
    if (!due || !this.started || !this.holding) return;
    const wait = Math.max(0, due.getTime() - this.deps.clock.now().getTime());
    this.handle = this.deps.timer.setTimeout(() => {
      this.handle = null;
      this.ticking = this.tick().catch((e: unknown) => this.deps.logger.error('scheduler tick failed', { error: (e as Error).message }));
    }, Math.min(wait, MAX_TIMER_MS));
  }

  private async tick(): Promise<void> {
    if (!this.holding) return;
    const plan = await this.plan();
    const now = this.deps.clock.now();
    if (plan && plan.due.getTime() <= now.getTime()) {
      // Slots missed while the service was down collapse into one run.
      let slot = plan.due;
      for (let next = nextOccurrence(plan.schedule, slot); next.getTime() <= now.getTime(); next = nextOccurrence(plan.schedule, slot)) slot = next;
      const due = slot;
      // The slot is spent whatever happens next: a busy or failing run is not retried in a loop.
      let previousSlot: string | null = null;
      await this.deps.state.update((state) => {
        previousSlot = state.scheduler.lastSlotAt;
        state.scheduler.lastSlotAt = due.toISOString();
      });
      try {
        await this.deps.runs.start('schedule', null, { full: isFirstSlotOfMonth(previousSlot, due) });
      } catch (e) {
        const code = isAppError(e) ? e.code : 'INTERNAL';
        this.deps.logger.warn('scheduled run skipped', { slot: due.toISOString(), code, error: (e as Error).message });
      }
    }
    await this.reschedule();
  }
}

/**
 * The first scheduled run of each calendar month (UTC) is a full recompute: it bounds the drift
 * that incremental refresh cannot see (messages moved or deleted after the overlap, meetings
 * changed long after they started; docs/incremental.md). The other weekly runs are refreshes.
 */
export function isFirstSlotOfMonth(previousSlot: string | null, slot: Date): boolean {
  if (previousSlot === null) return true;
  const prev = new Date(previousSlot);
  return prev.getUTCFullYear() !== slot.getUTCFullYear() || prev.getUTCMonth() !== slot.getUTCMonth();
}
